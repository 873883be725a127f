import { checkCitations, describeRejectedCitations, type FileIndex } from '../verdicts/evidence.js';
import { inlineCode, oneLine } from '../verdicts/markdown.js';
import { REVIEW_STAGE_TITLES, type ReportReviewInput, type ReviewFinding, type ReviewStage } from './review-report.js';

/*
 * Review rounds as a small pure state machine: spec compliance, then code quality; each stage
 * gets at most MAX_REVIEW_ROUNDS reviewer reports. Every cited file:line is checked before a
 * finding reaches the Builder; a finding whose location does not exist is dropped and reported.
 * When a stage runs out of rounds the person gets an escalation record, not another loop.
 */

/** Reviewer reports per stage before the task escalates to the person. */
export const MAX_REVIEW_ROUNDS = 3;

/** A finding whose citation was rejected, and why. */
export interface RejectedFinding {
  readonly finding: ReviewFinding;
  readonly reason: string;
}

/** A report_review input after its citations were checked. */
export interface CheckedReview {
  readonly report: ReportReviewInput;
  readonly accepted: readonly ReviewFinding[];
  readonly rejected: readonly RejectedFinding[];
  /** The rejections as one message ('' when none), for the reviewer and the round record. */
  readonly rejectedText: string;
}

/** Pure apart from the injected port: checks every finding's file:line against the project. */
export async function checkReviewFindings(report: ReportReviewInput, fileIndex: FileIndex): Promise<CheckedReview> {
  const citations = report.findings.map((finding, i) => ({ file: finding.file, line: finding.line, label: `finding ${i + 1}`, finding }));
  const { accepted, rejected } = await checkCitations(citations, fileIndex);
  return {
    report,
    accepted: accepted.map((c) => c.finding),
    rejected: rejected.map((r) => ({ finding: r.citation.finding, reason: r.reason })),
    rejectedText: describeRejectedCitations(rejected),
  };
}

/** What one reviewer report amounted to. `unusable`: nothing the Builder could act on. */
export interface ReviewRoundRecord {
  readonly stage: ReviewStage;
  readonly round: number;
  readonly outcome: 'pass' | 'changes_requested' | 'unusable';
  readonly accepted: readonly ReviewFinding[];
  readonly rejected: readonly RejectedFinding[];
  readonly note?: string;
}

/** Where a task's review stands. */
export interface ReviewState {
  readonly taskId: string;
  readonly stage: ReviewStage;
  /** Reviewer reports already recorded in the current stage. */
  readonly round: number;
  readonly history: readonly ReviewRoundRecord[];
}

/** What the person is asked to decide when review does not converge. */
export interface Escalation {
  readonly taskId: string;
  readonly stage: ReviewStage;
  readonly whatHappened: string;
  readonly whatWasTried: readonly string[];
  readonly decisionNeeded: string;
  readonly options: readonly string[];
}

/** The next step after a reviewer report. */
export type ReviewStep =
  /** Back to the Builder with every accepted finding of report `round` as one numbered list. */
  | { readonly kind: 'fix'; readonly stage: ReviewStage; readonly round: number; readonly feedback: string; readonly rejectedText: string }
  /** Ask the reviewer again: report `round` had nothing usable (`feedback` says why). */
  | { readonly kind: 'rereview'; readonly stage: ReviewStage; readonly round: number; readonly feedback: string }
  /** Spec compliance passed; code quality review starts. */
  | { readonly kind: 'next-stage'; readonly stage: ReviewStage }
  /** Both stages passed. */
  | { readonly kind: 'approved' }
  | { readonly kind: 'escalate'; readonly escalation: Escalation };

/** A task's review before the first report: stage spec, no rounds yet. */
export function startReview(taskId: string): ReviewState {
  return { taskId, stage: 'spec', round: 0, history: [] };
}

/** Pure: records one checked reviewer report and says what happens next. */
export function recordReviewRound(state: ReviewState, checked: CheckedReview, maxRounds = MAX_REVIEW_ROUNDS): { state: ReviewState; step: ReviewStep } {
  const round = state.round + 1;
  const { report, accepted, rejected } = checked;
  const record = (outcome: ReviewRoundRecord['outcome'], note?: string): ReviewRoundRecord => ({
    stage: state.stage,
    round,
    outcome,
    accepted,
    rejected,
    ...(note === undefined ? {} : { note }),
  });

  let entry: ReviewRoundRecord;
  let feedback: string;
  if (report.stage !== state.stage) {
    entry = record('unusable', `the report was for stage ${report.stage}, but stage ${state.stage} was asked for`);
    feedback = `Your report_review said stage "${report.stage}", but this is the ${REVIEW_STAGE_TITLES[state.stage]} review (stage "${state.stage}"). Review that stage and report again.`;
  } else if (report.verdict === 'pass') {
    const history = [...state.history, record('pass')];
    if (state.stage === 'spec') return { state: { ...state, stage: 'quality', round: 0, history }, step: { kind: 'next-stage', stage: 'quality' } };
    return { state: { ...state, round, history }, step: { kind: 'approved' } };
  } else if (accepted.length === 0) {
    entry = record('unusable', 'every finding cited a location that does not exist');
    feedback = `${checked.rejectedText}\nNone of your findings could be checked, so none reached the Builder. Review again and cite lines that exist.`;
  } else {
    entry = record('changes_requested');
    const history = [...state.history, entry];
    const next = { ...state, round, history };
    if (round >= maxRounds) return { state: next, step: { kind: 'escalate', escalation: escalation(next, maxRounds) } };
    return {
      state: next,
      step: { kind: 'fix', stage: state.stage, round, feedback: findingsForBuilder(state.stage, accepted, round, maxRounds), rejectedText: checked.rejectedText },
    };
  }
  const next = { ...state, round, history: [...state.history, entry] };
  if (round >= maxRounds) return { state: next, step: { kind: 'escalate', escalation: escalation(next, maxRounds) } };
  return { state: next, step: { kind: 'rereview', stage: state.stage, round, feedback } };
}

/** All findings as ONE numbered list, the way the Builder reads them. */
export function findingsForBuilder(stage: ReviewStage, findings: readonly ReviewFinding[], round: number, maxRounds = MAX_REVIEW_ROUNDS): string {
  const lines = [
    `The ${REVIEW_STAGE_TITLES[stage]} review (round ${round} of ${maxRounds}) requests changes. Fix every item below, run the gates, then report:`,
    '',
    ...findings.map((f, i) => `${i + 1}. [${f.severity}] ${inlineCode(`${f.file}:${f.line}`)}: ${oneLine(f.problem)} Fix: ${oneLine(f.fix)}`),
  ];
  if (round >= maxRounds - 1) lines.push('', `If the next review still requests changes, the task goes to a person to decide.`);
  return lines.join('\n');
}

function countBySeverity(findings: readonly ReviewFinding[]): string {
  if (findings.length === 0) return 'no findings';
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return `${findings.length} finding${findings.length === 1 ? '' : 's'} (${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')})`;
}

function escalation(state: ReviewState, maxRounds: number): Escalation {
  const rounds = state.history.filter((r) => r.stage === state.stage);
  const last = rounds[rounds.length - 1];
  const title = REVIEW_STAGE_TITLES[state.stage];
  const open = last?.accepted ?? [];
  const whatWasTried = state.history.map((r) => {
    const head = `${REVIEW_STAGE_TITLES[r.stage]} round ${r.round}: `;
    const dropped = r.rejected.length === 0 ? '' : `; ${r.rejected.length} dropped for citing lines that do not exist`;
    if (r.outcome === 'pass') return `${head}passed`;
    if (r.outcome === 'unusable') return `${head}report unusable (${r.note ?? 'no reason'})${dropped}; the reviewer was asked again`;
    return `${head}${countBySeverity(r.accepted)} sent to the Builder${dropped}`;
  });
  return {
    taskId: state.taskId,
    stage: state.stage,
    whatHappened:
      `The ${title} review of ${state.taskId} did not pass in ${maxRounds} rounds.` +
      (open.length === 0 ? '' : ` Still open: ${open.map((f) => `[${f.severity}] ${f.file}:${f.line} ${oneLine(f.problem)}`).join('; ')}`),
    whatWasTried,
    decisionNeeded: `Decide how ${state.taskId} goes on: the review loop stops here until a person chooses.`,
    options: [
      'accept the task as it is (its gates passed) and record the open findings',
      'fix it by hand, then run the review again',
      `allow more review rounds for the ${title} stage`,
      `mark ${state.taskId} SKIPPED (its dependents are flagged)`,
    ],
  };
}
