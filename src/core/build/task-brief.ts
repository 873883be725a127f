import type { Task } from '../task-graph/task.js';
import { REVIEW_STAGE_TITLES, type ReviewStage } from './review-report.js';

/*
 * The first messages of a task's agents: the Builder's brief, and the reviewer's brief for
 * each review stage (with its follow-up once the Builder has fixed findings). The approved
 * TDD, INTERFACES and SCHEMA are already in each agent's context (the runtime adds them), so
 * these name the task, what finishes it and what to look at.
 */

/** Pure: the user message that starts the Builder on `task`. */
export function taskBrief(task: Task): string {
  const lines = [`Implement ${task.id}: ${task.title}`, '', task.description.trim(), '', 'Acceptance criteria:'];
  for (const criterion of task.acceptance_criteria) lines.push(`- ${criterion}`);
  lines.push('', 'Files this task creates or changes:');
  for (const file of task.output_files) lines.push(`- ${file}`);
  if (task.depends_on.length > 0) lines.push('', `It builds on ${task.depends_on.join(', ')}, which are done and committed.`);
  if (task.status === 'STALE') {
    lines.push('', 'This task is STALE: an approved change affected it. Re-read the current spec and design and derive the work again.');
  }
  lines.push(
    '',
    'When you are finished, call report_status. The runtime then runs the project\'s gate commands itself and commits only ' +
      'the files your tools changed; list any file you changed another way (with bash) in changed_files.',
  );
  return lines.join('\n');
}

/** What the reviewer is told about the work it reviews (project-relative files, the gates' receipts). */
export interface ReviewBriefInput {
  readonly task: Task;
  readonly stage: ReviewStage;
  /** Project-relative files the task's commit would hold. */
  readonly files: readonly string[];
  /** The Builder's report_status summary and concerns. */
  readonly summary: string;
  readonly concerns: readonly string[];
  /** renderReceiptSummary of the passing gate run. */
  readonly receipts: string;
  readonly maxRounds: number;
  /** The change against the last commit (a unified diff, repository-relative paths), or why there is none. */
  readonly diff: ReviewDiff;
}

/** The task's change as the reviewer sees it. */
export type ReviewDiff = { readonly kind: 'diff'; readonly text: string } | { readonly kind: 'unavailable'; readonly reason: string };

/** A reviewer reads at most this much of a diff in its brief; the files hold the rest. */
export const MAX_REVIEW_DIFF_CHARS = 24_000;

/** Pure: the diff section of a review brief, cut at MAX_REVIEW_DIFF_CHARS on a line boundary. */
export function renderReviewDiff(diff: ReviewDiff): string[] {
  if (diff.kind === 'unavailable') return [`The change against the last commit could not be shown (${diff.reason}); read the files.`];
  if (diff.text.trim() === '') return ['The change against the last commit: (empty)'];
  let text = diff.text.replace(/\n$/, '');
  let note = '';
  if (text.length > MAX_REVIEW_DIFF_CHARS) {
    const cut = text.lastIndexOf('\n', MAX_REVIEW_DIFF_CHARS);
    text = text.slice(0, cut > 0 ? cut : MAX_REVIEW_DIFF_CHARS);
    note = `\n(The diff is ${Math.round(diff.text.length / 1024)} KB; the first ${Math.round(text.length / 1024)} KB are shown. Read the files for the rest.)`;
  }
  const fence = text.includes('```') ? '~~~~' : '```';
  return ['The change against the last commit (paths from the repository top):', `${fence}diff`, text, fence + note];
}

const STAGE_INSTRUCTIONS: Readonly<Record<ReviewStage, string>> = {
  spec:
    'Stage "spec" (spec compliance): take each acceptance criterion above, and what the task description and the approved ' +
    'documents ask of this task, and decide: covered, partly covered or missing. Find the code that does it. Anything ' +
    'the task needs that is partly covered or missing is a finding; so is anything built that nothing asked for. ' +
    'Leave code quality to the next stage.',
  quality:
    'Stage "quality" (code quality): spec compliance has passed. Check the changed code for correctness at the edges, ' +
    'error handling, input validation, naming, duplication, dead code, tests that really exercise the behaviour, and ' +
    'the project\'s own conventions.',
};

function bullets(items: readonly string[], none: string): string[] {
  return items.length === 0 ? [`- ${none}`] : items.map((item) => `- ${item}`);
}

/**
 * Pure: the first message of a task review stage, in a conversation of the reviewer's own
 * (the Builder's transcript is not shown: the reviewer judges the files, not the story).
 */
export function taskReviewBrief(input: ReviewBriefInput): string {
  const { task, stage } = input;
  return [
    `Review ${task.id}: ${task.title} — stage ${stage === 'spec' ? '1' : '2'} of 2, ${REVIEW_STAGE_TITLES[stage]}.`,
    '',
    'This is a review of one task during the build, not the final critique: review only this task\'s change, only for ' +
      `this stage, read the files (you cannot change them), score nothing, and end by calling report_review once with stage "${stage}".`,
    '',
    'What the task asks:',
    '',
    task.description.trim(),
    '',
    'Acceptance criteria:',
    ...bullets(task.acceptance_criteria, '(none listed)'),
    '',
    'Files the task changed (these go into its commit; read them):',
    ...bullets(input.files, '(none)'),
    '',
    ...renderReviewDiff(input.diff),
    '',
    `The Builder reports: ${input.summary}`,
    ...(input.concerns.length === 0 ? [] : ['Concerns it raised (confirm or dismiss each):', ...bullets(input.concerns, '')]),
    '',
    'The runtime ran the project\'s gate commands itself:',
    input.receipts,
    '',
    STAGE_INSTRUCTIONS[stage],
    '',
    reportRules(input.maxRounds),
  ].join('\n');
}

/** What the reviewer reads when the work comes back after the Builder fixed its findings. */
export interface ReviewFollowUpInput {
  readonly stage: ReviewStage;
  /** The round about to run (2 or more). */
  readonly round: number;
  readonly maxRounds: number;
  readonly files: readonly string[];
  readonly summary: string;
  readonly receipts: string;
  /** Citations of the last round that were dropped ('' when none). */
  readonly rejectedText: string;
  /** The whole change as it is now. */
  readonly diff: ReviewDiff;
}

/** Pure: the next round of a stage, appended to the reviewer's own conversation. */
export function reviewFollowUp(input: ReviewFollowUpInput): string {
  return [
    `The Builder worked on your findings and reports: ${input.summary}`,
    '',
    'The runtime ran the gate commands again:',
    input.receipts,
    '',
    'Files the task changed now:',
    ...bullets(input.files, '(none)'),
    '',
    ...renderReviewDiff(input.diff),
    '',
    ...(input.rejectedText === '' ? [] : ['Some citations of your last report were dropped and never reached the Builder:', input.rejectedText, '']),
    `Round ${input.round} of ${input.maxRounds} of the ${REVIEW_STAGE_TITLES[input.stage]} review: read the files again (lines may have moved), ` +
      `check that each earlier finding is fixed, look for what the fixes broke, then call report_review with stage "${input.stage}".`,
  ].join('\n');
}

function reportRules(maxRounds: number): string {
  return (
    'Report: verdict pass when nothing critical or important remains, else changes_requested. Give every finding in ONE ' +
    'list, each citing the project-relative file and a line you read (from 1): every citation is checked, and a finding ' +
    'whose file or line does not exist is dropped before the Builder sees it. The Builder fixes, the gates run again and ' +
    `you review again, at most ${maxRounds} rounds; then a person decides.`
  );
}
