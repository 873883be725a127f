import type { AgentEvent, AgentFailure, AgentOutcome } from '../agent/agent-types.js';
import { appendUserText, userMessage } from '../agent/conversation.js';
import { reportStatusSchema, type ReportStatusInput } from '../agent/structured-tools.js';
import type { GitError, GitResult, RepoStatus, Snapshot } from '../git/git-results.js';
import type { TaskCommitRequest } from '../git/ports.js';
import type { ChatMessage } from '../provider/types.js';
import type { Task } from '../task-graph/task.js';
import type { FileIndex } from '../verdicts/evidence.js';
import type { GateCommand } from './gate-commands.js';
import { firstFailure, receiptsPass, renderReceiptSummary, type Receipt } from './receipts.js';
import { gateScriptChanges, gateScriptConcern, gateScriptsOf, type GateScripts } from './gate-scripts.js';
import { nextAfterGateFailure, type GateRun, type RepairPolicy } from './repair-policy.js';
import { REVIEW_STAGE_TITLES, type ReviewPortOutcome, type ReviewStage } from './review-report.js';
import {
  MAX_REVIEW_ROUNDS,
  checkReviewFindings,
  recordReviewRound,
  reviewRoundsRun,
  reviewSummaryLine,
  startReview,
  type Escalation,
  type ReviewRoundRecord,
  type ReviewState,
} from './review-rounds.js';
import { reviewFollowUp, taskBrief, taskReviewBrief, type ReviewDiff } from './task-brief.js';
import { changedFilesOfEvent, dirtyFilesOf, projectPrefix, splitTaskFiles, toRepoPath } from './task-files.js';

/*
 * One task from PENDING to a commit, or to the reason it stopped. Pure orchestration over
 * ports: the Builder agent works, then the runtime runs the gate commands itself (a model's
 * word that tests pass counts for nothing), feeds failures back a bounded number of times,
 * has a separate reviewer check the work (spec compliance, then code quality, a bounded
 * number of rounds), and commits only the files the agent's tools changed that were clean
 * before the task.
 */

/** What the Builder port is asked for: one agent run on the task's conversation. */
export interface BuilderRunRequest {
  readonly taskId: string;
  /** The conversation so far, ending with a user message. */
  readonly messages: readonly ChatMessage[];
  /** Every event of the run; the runner reads tool results' changedFiles from them. */
  readonly onEvent: (event: AgentEvent) => void;
}

/** Runs the Builder agent (production: AgentRuntimePort.run with stage 'building'). */
export interface BuilderPort {
  run(request: BuilderRunRequest): Promise<AgentOutcome>;
}

/**
 * The project's gate commands and how to run them. The commands are read when the Builder
 * reports DONE, not before: a new project gets its package.json from its first task.
 */
export interface GatesPort {
  /** The commands that must all pass, as the project states them now; none means no task can be DONE. */
  commands(): Promise<readonly GateCommand[]>;
  /** Runs `commands` in the project directory and returns the receipts. */
  run(commands: readonly GateCommand[]): Promise<readonly Receipt[]>;
  /** Every script of the project's package.json as it is now ({} without one); absent: the gates run no package scripts. */
  scripts?(): Promise<Readonly<Record<string, string>>>;
}

/** The receipt the runtime records when the project states no gate commands at all. */
export function noGatesReceipt(at: string): Receipt {
  const outputTail =
    'The project has no gate commands: package.json has no lint, typecheck, test or build script (and the person set none). ' +
    'Add a test script that runs the project\'s tests (for example "test": "node --test") so the runtime can check the work.';
  return { gate: 'gates', command: '(none found)', exitCode: null, timedOut: false, durationMs: 0, outputSha256: '0'.repeat(64), outputTail, at };
}

/** The part of GitPort a task needs. */
export interface TaskGitPort {
  status(repo: string): Promise<GitResult<RepoStatus>>;
  snapshotWork(repo: string, label: string): Promise<GitResult<Snapshot>>;
  commitTask(repo: string, request: TaskCommitRequest): Promise<GitResult<string>>;
  /** The change the commit would hold, for the reviewer (GitPort.diffFiles). */
  diffFiles(repo: string, files: readonly string[]): Promise<GitResult<string>>;
}

/** A clock, for when the task started and ended. */
export interface ClockPort {
  now(): Date;
}

/**
 * What the reviewer port is asked for: one run of the reviewer on a conversation of its own,
 * never the Builder's (a fresh one per stage; later rounds and re-asks continue it).
 */
export interface ReviewRequest {
  readonly taskId: string;
  readonly stage: ReviewStage;
  /** The round within the stage, from 1; a re-ask after an unusable report keeps its round. */
  readonly round: number;
  /** The reviewer's conversation, ending with a user message (the stage's brief, a follow-up, or why it is asked again). */
  readonly messages: readonly ChatMessage[];
  /** Every event of the run (the person's transcript); the runner takes no changed files from them. */
  readonly onEvent: (event: AgentEvent) => void;
}

/**
 * Reviews a task's work and ends with report_review (production: the Critic through
 * AgentRuntimePort.run with purpose 'task-review', read-only tools; src/build/reviewer-adapter.ts).
 */
export interface ReviewerPort {
  review(request: ReviewRequest): Promise<ReviewPortOutcome>;
}

/** The ports of runTask. */
export interface TaskRunnerPorts {
  readonly builder: BuilderPort;
  readonly gates: GatesPort;
  readonly git: TaskGitPort;
  readonly clock: ClockPort;
  /** Reviews the work after the gates pass and before the commit; without it the task commits unreviewed. */
  readonly reviewer?: ReviewerPort;
  /**
   * The project's files as they are now (relative to TaskRunOptions.projectDir, no cache across
   * calls: the Builder edits between rounds), to check every file:line the reviewer cites.
   * Required with `reviewer`.
   */
  readonly fileIndex?: FileIndex;
}

/** Options of runTask. */
export interface TaskRunOptions {
  /** The project directory (inside the repository the task commits to). */
  readonly projectDir: string;
  readonly repair?: RepairPolicy;
  /** Sees every agent event too (the UI's transcript). */
  readonly onEvent?: (event: AgentEvent) => void;
  /**
   * Sees the reviewer's events instead of `onEvent`, when given: a reviewer only reads, so a
   * patrol that counts turns without a file change should not count its turns as the Builder's.
   */
  readonly onReviewEvent?: (event: AgentEvent) => void;
  /** Checked between steps; an aborted task ends as 'aborted'. */
  readonly signal?: AbortSignal;
  /** Told when the task moves between the Builder, the gates, the review and the commit (the live board). */
  readonly onPhase?: (phase: TaskPhase) => void;
  /** Every gate run's receipts as the runtime records them (the patrol counts a new receipt as progress). */
  readonly onReceipts?: (receipts: readonly Receipt[]) => void;
  /** The gate scripts' bodies the build recorded: a change to one by this task is a concern on it. */
  readonly gateScripts?: GateScripts;
}

/** Where a task is in its run, for the person watching. */
export type TaskPhase =
  | { readonly kind: 'builder'; readonly run: number }
  | { readonly kind: 'gates'; readonly commands: readonly string[] }
  | { readonly kind: 'review'; readonly stage: ReviewStage; readonly round: number }
  | { readonly kind: 'commit' };

/** What every result carries: the conversation, the gate runs, the files the agent reported. */
export interface TaskRunRecord {
  readonly taskId: string;
  /** The whole transcript, to save or continue (answer questions, raise the budget). */
  readonly messages: readonly ChatMessage[];
  readonly agentRuns: number;
  /** Every gate run, oldest first. */
  readonly gateRuns: readonly GateRun[];
  /** Repository-relative files the agent's tools (and its report) said it changed. */
  readonly reportedFiles: readonly string[];
  /** The snapshot of the person's uncommitted work taken before the agent ran, if there was any. */
  readonly snapshot: Snapshot | null;
  /** ISO 8601. */
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Every reviewer report, oldest first, with the citations dropped from it; absent without a reviewer. */
  readonly reviews?: readonly ReviewRoundRecord[];
}

/** How a task run ended. Failures are values, never throws. */
export type TaskResult = TaskRunRecord &
  (
    | {
        readonly kind: 'done';
        readonly sha: string;
        readonly receipts: readonly Receipt[];
        readonly summary: string;
        readonly concerns: readonly string[];
        /** The files in the commit. */
        readonly changedFiles: readonly string[];
        /** Reported files already uncommitted before the task: not committed, left for the person. */
        readonly heldBack: readonly string[];
        /** Files changed during the task that no tool reported: not committed. */
        readonly unattributed: readonly string[];
        /** Review rounds run over both stages (spec, quality); 0 without a reviewer. Both passing at once is 2. */
        readonly reviewRounds: number;
        /** The review's one-line outcome (as in the commit body); absent without a reviewer. */
        readonly review?: string;
        /** The bodies of the scripts the gates ran, as the task left them (to record); absent when unknown. */
        readonly gateScripts?: GateScripts;
      }
    /**
     * A review stage still requested changes after MAX_REVIEW_ROUNDS rounds: nothing was
     * committed, the person decides (`escalation`). `receipts`: the last gate run, which passed.
     */
    | { readonly kind: 'escalated'; readonly escalation: Escalation; readonly receipts: readonly Receipt[] }
    | { readonly kind: 'needs_context'; readonly questions: readonly string[]; readonly pendingToolUseId?: string }
    /**
     * `receipts` when the repair limit was reached; absent when the agent itself reported BLOCKED
     * or the reviewer could not review (`blocker` then starts with "the reviewer").
     */
    | { readonly kind: 'blocked'; readonly blocker: string; readonly receipts?: readonly Receipt[] }
    /** The gates passed but no reported file of the task's has a change git can commit. */
    | { readonly kind: 'no_changes'; readonly receipts: readonly Receipt[]; readonly heldBack: readonly string[]; readonly unattributed: readonly string[] }
    /** git failed before the agent ran (status, snapshot) or at the commit (`receipts` then set). */
    | { readonly kind: 'git_failed'; readonly step: 'status' | 'snapshot' | 'commit'; readonly error: GitError; readonly receipts?: readonly Receipt[] }
    /** The agent stopped without report_status (it replied in prose, or finished another way). */
    | { readonly kind: 'unreported'; readonly text: string }
    | { readonly kind: 'failed'; readonly error: AgentFailure }
    | { readonly kind: 'budget_refused'; readonly message: string }
    | { readonly kind: 'max_turns'; readonly turns: number }
    | { readonly kind: 'aborted' }
  );

/** The result minus what `record()` adds. */
type Ending = TaskResult extends infer R ? (R extends TaskResult ? Omit<R, keyof TaskRunRecord> : never) : never;

/** The agent's report, or how the run ended without one. */
type AgentStep =
  | { readonly kind: 'report'; readonly report: ReportStatusInput }
  | { readonly kind: 'end'; readonly ending: Ending };

function agentStep(outcome: AgentOutcome): AgentStep {
  switch (outcome.kind) {
    case 'finished': {
      if (outcome.tool !== 'report_status') return { kind: 'end', ending: { kind: 'unreported', text: `The Builder finished with ${outcome.tool} instead of report_status.` } };
      // The loop validated it already; parsing again keeps `unknown` from leaking in here.
      const parsed = reportStatusSchema.safeParse(outcome.input);
      if (!parsed.success) return { kind: 'end', ending: { kind: 'unreported', text: 'The Builder\'s report_status input is not valid.' } };
      return { kind: 'report', report: parsed.data };
    }
    case 'question':
      return { kind: 'end', ending: { kind: 'needs_context', questions: [outcome.question], pendingToolUseId: outcome.toolUseId } };
    case 'reply':
      return { kind: 'end', ending: { kind: 'unreported', text: outcome.text } };
    case 'max_turns':
      return { kind: 'end', ending: { kind: 'max_turns', turns: outcome.turns } };
    case 'budget_refused':
      return { kind: 'end', ending: { kind: 'budget_refused', message: outcome.message } };
    case 'aborted':
      return { kind: 'end', ending: { kind: 'aborted' } };
    case 'failed':
      return { kind: 'end', ending: { kind: 'failed', error: outcome.error } };
  }
}

/** The commit body: the receipts, the review, then the concerns and what was left out, so the log tells the truth. */
export function taskCommitBody(input: {
  readonly receipts: readonly Receipt[];
  readonly commands: readonly GateCommand[];
  readonly concerns: readonly string[];
  readonly heldBack: readonly string[];
  /** The review's history, when the task was reviewed. */
  readonly reviews?: readonly ReviewRoundRecord[];
  /** Gate runs that failed before these receipts (each went back to the Builder). */
  readonly failedGateRuns?: number;
}): string {
  const parts = [renderReceiptSummary(input.receipts, { commands: input.commands })];
  const failed = input.failedGateRuns ?? 0;
  if (failed > 0) parts.push(`Repairs: the gates failed ${failed} time${failed === 1 ? '' : 's'} before this run passed; each failure went back to the Builder with its output.`);
  if (input.reviews !== undefined) parts.push(reviewSummaryLine(input.reviews));
  if (input.concerns.length > 0) parts.push(['Concerns:', ...input.concerns.map((c) => `- ${c}`)].join('\n'));
  if (input.heldBack.length > 0) {
    parts.push(['Not committed (they held uncommitted changes before the task began):', ...input.heldBack.map((f) => `- ${f}`)].join('\n'));
  }
  return parts.join('\n\n');
}

/** How a review of the work as it is now ended. */
type ReviewEnd = { readonly kind: 'approved' } | { readonly kind: 'fix'; readonly feedback: string } | { readonly kind: 'end'; readonly ending: Ending };

/** What the reviewer is shown of the work it reviews. */
interface WorkUnderReview {
  /** Project-relative. */
  readonly files: readonly string[];
  readonly summary: string;
  readonly concerns: readonly string[];
  readonly receipts: readonly Receipt[];
  readonly commands: readonly GateCommand[];
  readonly diff: ReviewDiff;
}

/** A reviewer run that ended without a report stops the task: a review never passes by default. */
function reviewerStopped(outcome: Exclude<ReviewPortOutcome, { kind: 'reported' }>, stage: ReviewStage, round: number): Ending {
  switch (outcome.kind) {
    case 'unreported':
      return { kind: 'blocked', blocker: `the reviewer did not report (${REVIEW_STAGE_TITLES[stage]} review, round ${round}): ${outcome.reason}` };
    case 'budget_refused':
      return { kind: 'budget_refused', message: outcome.message };
    case 'aborted':
      return { kind: 'aborted' };
  }
}

/**
 * Runs `task` to a commit or to the reason it stopped. Order: git status (and a snapshot of
 * the person's uncommitted work, if any) before the agent; the Builder; on DONE the gates;
 * on failure the repair policy's feedback and the Builder again; on pass, with a reviewer,
 * the review (its findings go back to the Builder, whose fix goes through the gates and the
 * review again); then a commit of the task's files only.
 */
export async function runTask(task: Task, ports: TaskRunnerPorts, options: TaskRunOptions): Promise<TaskResult> {
  const { builder, gates, git, clock, reviewer, fileIndex } = ports;
  if (reviewer !== undefined && fileIndex === undefined) {
    // A wiring mistake, not a task state: unchecked citations must never reach the Builder.
    throw new TypeError('runTask: ports.reviewer needs ports.fileIndex to check the file:line of every finding');
  }
  const startedAt = clock.now().toISOString();
  const projectFiles = new Set<string>();
  const gateRuns: GateRun[] = [];
  let messages: readonly ChatMessage[] = [userMessage(taskBrief(task))];
  let agentRuns = 0;
  let snapshot: Snapshot | null = null;
  let prefix = '';
  /** Where the current run of failing gate runs began: a passing run resets the repair count. */
  let failuresFrom = 0;
  let review: ReviewState = startReview(task.id);
  /** The reviewer's conversation in the current stage; empty until the stage's first run. */
  let reviewerMessages: readonly ChatMessage[] = [];
  /** The citations dropped from the report the Builder just worked on, to tell the reviewer. */
  let droppedLastRound = '';

  const record = (ending: Ending): TaskResult =>
    ({
      ...ending,
      taskId: task.id,
      messages,
      agentRuns,
      gateRuns,
      reportedFiles: [...projectFiles].map((f) => toRepoPath(f, prefix, options.projectDir)).filter((f): f is string => f !== undefined).sort(),
      snapshot,
      startedAt,
      finishedAt: clock.now().toISOString(),
      ...(reviewer === undefined ? {} : { reviews: review.history }),
    }) as TaskResult;

  const reviewerEvent = (event: AgentEvent): void => (options.onReviewEvent ?? options.onEvent)?.(event);

  /** Reviews the work as it is now until it passes, goes back to the Builder, or cannot go on. */
  const reviewWork = async (reviewPort: ReviewerPort, index: FileIndex, work: WorkUnderReview): Promise<ReviewEnd> => {
    const receipts = renderReceiptSummary(work.receipts, { commands: work.commands });
    if (reviewerMessages.length > 0) {
      // Back from the Builder's fix: the same stage, the reviewer's own conversation goes on.
      const followUp = { stage: review.stage, round: review.round + 1, maxRounds: MAX_REVIEW_ROUNDS, files: work.files, summary: work.summary, receipts, rejectedText: droppedLastRound, diff: work.diff };
      reviewerMessages = appendUserText(reviewerMessages, reviewFollowUp(followUp));
    }
    for (;;) {
      if (options.signal?.aborted) return { kind: 'end', ending: { kind: 'aborted' } };
      const { stage } = review;
      const round = review.round + 1;
      if (reviewerMessages.length === 0) {
        reviewerMessages = [userMessage(taskReviewBrief({ task, stage, files: work.files, summary: work.summary, concerns: work.concerns, receipts, maxRounds: MAX_REVIEW_ROUNDS, diff: work.diff }))];
      }
      options.onPhase?.({ kind: 'review', stage, round });
      const outcome = await reviewPort.review({ taskId: task.id, stage, round, messages: reviewerMessages, onEvent: reviewerEvent });
      reviewerMessages = outcome.messages;
      if (outcome.kind !== 'reported') return { kind: 'end', ending: reviewerStopped(outcome, stage, round) };
      const next = recordReviewRound(review, await checkReviewFindings(outcome.report, index));
      review = next.state;
      const { step } = next;
      switch (step.kind) {
        case 'next-stage':
          reviewerMessages = []; // each stage is a fresh review, not a continuation
          continue;
        case 'rereview':
          reviewerMessages = appendUserText(reviewerMessages, step.feedback);
          continue;
        case 'approved':
          return { kind: 'approved' };
        case 'fix':
          droppedLastRound = step.rejectedText;
          return { kind: 'fix', feedback: step.feedback };
        case 'escalate':
          return { kind: 'end', ending: { kind: 'escalated', escalation: step.escalation, receipts: work.receipts } };
        case 'reviewer_failed':
          return { kind: 'end', ending: { kind: 'blocked', blocker: `the reviewer did not report on the ${REVIEW_STAGE_TITLES[step.stage]} stage: ${step.reason}` } };
      }
    }
  };

  const before = await git.status(options.projectDir);
  if (!before.ok) return record({ kind: 'git_failed', step: 'status', error: before.error });
  const knownPrefix = projectPrefix(before.value.root, options.projectDir);
  if (knownPrefix === undefined) {
    return record({
      kind: 'git_failed',
      step: 'status',
      error: { kind: 'invalid-request', message: `${options.projectDir} is not inside the repository at ${before.value.root} as written.`, hint: 'Open the project by its real path (no symlinks).' },
    });
  }
  prefix = knownPrefix;
  const dirtyBefore = dirtyFilesOf(before.value);
  if (!before.value.clean) {
    // The agent may overwrite a file of the person's; the snapshot keeps what was there.
    const saved = await git.snapshotWork(options.projectDir, `before-${task.id.toLowerCase()}`);
    if (saved.ok) snapshot = saved.value;
    else if (saved.error.kind !== 'nothing-to-save') return record({ kind: 'git_failed', step: 'snapshot', error: saved.error });
  }

  const onEvent = (event: AgentEvent): void => {
    for (const file of changedFilesOfEvent(event)) projectFiles.add(file);
    options.onEvent?.(event);
  };

  for (;;) {
    if (options.signal?.aborted) return record({ kind: 'aborted' });
    agentRuns += 1;
    options.onPhase?.({ kind: 'builder', run: agentRuns });
    const outcome = await builder.run({ taskId: task.id, messages, onEvent });
    messages = outcome.messages;
    const step = agentStep(outcome);
    if (step.kind === 'end') return record(step.ending);
    const { report } = step;
    for (const file of report.changed_files ?? []) projectFiles.add(file);
    if (report.status === 'NEEDS_CONTEXT') return record({ kind: 'needs_context', questions: report.questions ?? [] });
    if (report.status === 'BLOCKED') return record({ kind: 'blocked', blocker: report.blocker ?? report.summary });

    // DONE or DONE_WITH_CONCERNS: only the runtime's own run of the gates counts.
    if (options.signal?.aborted) return record({ kind: 'aborted' });
    const commands = await gates.commands();
    options.onPhase?.({ kind: 'gates', commands: commands.map((c) => c.command) });
    const receipts = commands.length === 0 ? [noGatesReceipt(clock.now().toISOString())] : [...(await gates.run(commands))];
    gateRuns.push(receipts);
    options.onReceipts?.(receipts);
    if (!receiptsPass(receipts, commands)) {
      if (firstFailure(receipts) === undefined) {
        // Nothing failed but not every gate ran: the run was stopped part-way.
        if (options.signal?.aborted) return record({ kind: 'aborted' });
        const missing = commands.filter((c) => !receipts.some((r) => r.gate === c.name)).map((c) => c.name);
        return record({ kind: 'blocked', blocker: `the gate run stopped before ${missing.join(', ')} ran`, receipts });
      }
      // The repair limit counts the failures since the gates last passed (a review fix starts afresh).
      const decision = nextAfterGateFailure(gateRuns.slice(failuresFrom), options.repair);
      if (decision.kind === 'blocked') return record({ kind: 'blocked', blocker: decision.reason, receipts: decision.lastReceipts });
      messages = appendUserText(messages, decision.feedback);
      continue;
    }
    failuresFrom = gateRuns.length;

    const after = await git.status(options.projectDir);
    if (!after.ok) return record({ kind: 'git_failed', step: 'commit', error: after.error, receipts });
    const reported = [...projectFiles].map((f) => toRepoPath(f, prefix, options.projectDir)).filter((f): f is string => f !== undefined);
    const split = splitTaskFiles({ before: dirtyBefore, after: dirtyFilesOf(after.value), reported });
    if (split.commit.length === 0) return record({ kind: 'no_changes', receipts, heldBack: split.heldBack, unattributed: split.unattributed });
    // The runtime's own concern: a recorded gate script this task's work changed (the gates ran the new one).
    const scripts = gates.scripts ? await gates.scripts() : undefined;
    const scriptConcerns = scripts && options.gateScripts ? gateScriptChanges(options.gateScripts, scripts).map(gateScriptConcern) : [];
    const concerns = [...(report.concerns ?? []), ...scriptConcerns];

    if (reviewer !== undefined && fileIndex !== undefined) {
      // The commit's files, as the reviewer (and its file index) name them: relative to the project.
      const files = split.commit.map((f) => f.slice(prefix.length));
      const diffed = await git.diffFiles(options.projectDir, split.commit);
      const diff: ReviewDiff = diffed.ok ? { kind: 'diff', text: diffed.value } : { kind: 'unavailable', reason: diffed.error.message };
      const reviewed = await reviewWork(reviewer, fileIndex, { files, summary: report.summary, concerns, receipts, commands, diff });
      if (reviewed.kind === 'end') return record(reviewed.ending);
      if (reviewed.kind === 'fix') {
        messages = appendUserText(messages, reviewed.feedback);
        continue;
      }
    }

    options.onPhase?.({ kind: 'commit' });
    const committed = await git.commitTask(options.projectDir, {
      taskId: task.id,
      title: task.title,
      body: taskCommitBody({
        receipts,
        commands,
        concerns,
        heldBack: split.heldBack,
        failedGateRuns: gateRuns.filter((run) => firstFailure(run) !== undefined).length,
        ...(reviewer === undefined ? {} : { reviews: review.history }),
      }),
      files: split.commit,
    });
    if (!committed.ok) return record({ kind: 'git_failed', step: 'commit', error: committed.error, receipts });
    return record({
      kind: 'done',
      sha: committed.value,
      receipts,
      summary: report.summary,
      concerns,
      changedFiles: split.commit,
      heldBack: split.heldBack,
      unattributed: split.unattributed,
      reviewRounds: reviewer === undefined ? 0 : reviewRoundsRun(review.history),
      ...(reviewer === undefined ? {} : { review: reviewSummaryLine(review.history) }),
      ...(scripts ? { gateScripts: gateScriptsOf(commands, scripts) } : {}),
    });
  }
}
