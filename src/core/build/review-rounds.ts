import { checkCitations, describeRejectedCitations, type FileIndex } from '../verdicts/evidence.js';
import { inlineCode, oneLine } from '../verdicts/markdown.js';
import { REVIEW_STAGE_TITLES, type ReportReviewInput, type ReviewFinding, type ReviewStage } from './review-report.js';

/*
 * Review rounds as a small pure state machine: spec compliance, then code quality; each stage
 * gets at most MAX_REVIEW_ROUNDS rounds (a round is one review of one version of the work).
 * Every cited file:line is checked before a finding reaches the Builder; a finding whose
 * location does not exist is dropped and recorded. A report nobody can act on is the
 * reviewer's error, not the Builder's: it is asked once more in the same round. When a stage
 * runs out of rounds the person gets an escalation record, not another loop.
 */

/** Review rounds per stage before the task escalates to the person. */
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

/**
 * What one reviewer report amounted to. `unusable`: nothing the Builder could act on, so the
 * reviewer was asked again in the same round; `dismissed`: the re-asked report still cited only
 * lines that do not exist, so the stage passed without any finding reaching the Builder.
 */
export interface ReviewRoundRecord {
  readonly stage: ReviewStage;
  /** The round within the stage, from 1; a re-asked report has the round of the one before it. */
  readonly round: number;
  readonly outcome: 'pass' | 'changes_requested' | 'unusable' | 'dismissed';
  readonly accepted: readonly ReviewFinding[];
  readonly rejected: readonly RejectedFinding[];
  readonly note?: string;
}

/** Where a task's review stands. */
export interface ReviewState {
  readonly taskId: string;
  readonly stage: ReviewStage;
  /** Rounds finished in the current stage (an unusable report does not finish its round). */
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
  /** Ask the reviewer again, once, in the same round: report `round` had nothing usable (`feedback` says why). */
  | { readonly kind: 'rereview'; readonly stage: ReviewStage; readonly round: number; readonly feedback: string }
  /** The re-asked reviewer still did not report on the stage asked for: the review cannot go on. */
  | { readonly kind: 'reviewer_failed'; readonly stage: ReviewStage; readonly round: number; readonly reason: string }
  /** Spec compliance passed; code quality review starts. */
  | { readonly kind: 'next-stage'; readonly stage: ReviewStage }
  /** Both stages passed. */
  | { readonly kind: 'approved' }
  | { readonly kind: 'escalate'; readonly escalation: Escalation };

/** A task's review before the first report: stage spec, no rounds yet. */
export function startReview(taskId: string): ReviewState {
  return { taskId, stage: 'spec', round: 0, history: [] };
}

/**
 * Pure: records one checked reviewer report and says what happens next. A report the Builder
 * cannot act on (the wrong stage, or changes requested with every citation rejected) keeps its
 * round and is asked again once; if the second is unusable too, rejected citations let the
 * stage pass (nothing checkable was found) and a wrong stage stops the review.
 */
export function recordReviewRound(state: ReviewState, checked: CheckedReview, maxRounds = MAX_REVIEW_ROUNDS): { state: ReviewState; step: ReviewStep } {
  const round = state.round + 1;
  const { report, accepted, rejected } = checked;
  const last = state.history[state.history.length - 1];
  const reasked = last !== undefined && last.stage === state.stage && last.round === round && last.outcome === 'unusable';
  const record = (outcome: ReviewRoundRecord['outcome'], note?: string): ReviewRoundRecord => ({
    stage: state.stage,
    round,
    outcome,
    accepted,
    rejected,
    ...(note === undefined ? {} : { note }),
  });
  const title = REVIEW_STAGE_TITLES[state.stage];
  const passStage = (entry: ReviewRoundRecord): { state: ReviewState; step: ReviewStep } => {
    const history = [...state.history, entry];
    if (state.stage === 'spec') return { state: { ...state, stage: 'quality', round: 0, history }, step: { kind: 'next-stage', stage: 'quality' } };
    return { state: { ...state, round, history }, step: { kind: 'approved' } };
  };

  if (report.stage !== state.stage) {
    const note = `the report was for stage ${report.stage}, but stage ${state.stage} was asked for`;
    const history = [...state.history, record('unusable', note)];
    if (reasked) {
      return { state: { ...state, history }, step: { kind: 'reviewer_failed', stage: state.stage, round, reason: `asked twice for the ${title} review, it reported on stage ${report.stage}` } };
    }
    const feedback = `Your report_review said stage "${report.stage}", but this is the ${title} review (stage "${state.stage}"). Review that stage and report again.`;
    return { state: { ...state, history }, step: { kind: 'rereview', stage: state.stage, round, feedback } };
  }
  if (report.verdict === 'pass') return passStage(record('pass'));
  if (accepted.length === 0) {
    if (reasked) return passStage(record('dismissed', 'asked again, the reviewer still cited only locations that do not exist; no finding reached the Builder'));
    const history = [...state.history, record('unusable', 'every finding cited a location that does not exist')];
    const feedback = `${checked.rejectedText}\nNone of your findings could be checked, so none reached the Builder. Review again and cite lines that exist.`;
    return { state: { ...state, history }, step: { kind: 'rereview', stage: state.stage, round, feedback } };
  }
  const next = { ...state, round, history: [...state.history, record('changes_requested')] };
  if (round >= maxRounds) return { state: next, step: { kind: 'escalate', escalation: escalation(next, maxRounds) } };
  return {
    state: next,
    step: { kind: 'fix', stage: state.stage, round, feedback: findingsForBuilder(state.stage, accepted, round, maxRounds), rejectedText: checked.rejectedText },
  };
}

/** Rounds run over both stages so far, each counted once however often its reviewer was asked. */
export function reviewRoundsRun(history: readonly ReviewRoundRecord[]): number {
  return new Set(history.map((r) => `${r.stage}:${r.round}`)).size;
}

/** Pure: one line for a commit body, e.g. `Review: spec compliance passed in round 1; code quality passed in round 2.` */
export function reviewSummaryLine(history: readonly ReviewRoundRecord[]): string {
  const passed = history
    .filter((r) => r.outcome === 'pass' || r.outcome === 'dismissed')
    .map((r) => `${REVIEW_STAGE_TITLES[r.stage]} passed in round ${r.round}${r.outcome === 'dismissed' ? ' (its findings cited lines that do not exist and were dismissed)' : ''}`);
  return passed.length === 0 ? 'Review: none passed.' : `Review: ${passed.join('; ')}.`;
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
    if (r.outcome === 'dismissed') return `${head}passed: its findings were dismissed (${r.note ?? 'no reason'})${dropped}`;
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
