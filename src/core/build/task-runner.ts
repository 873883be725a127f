import type { AgentEvent, AgentFailure, AgentOutcome } from '../agent/agent-types.js';
import { appendUserText, userMessage } from '../agent/conversation.js';
import { reportStatusSchema, type ReportStatusInput } from '../agent/structured-tools.js';
import type { GitError, GitResult, RepoStatus, Snapshot } from '../git/git-results.js';
import type { TaskCommitRequest } from '../git/ports.js';
import type { ChatMessage } from '../provider/types.js';
import type { Task } from '../task-graph/task.js';
import type { GateCommand } from './gate-commands.js';
import { firstFailure, receiptsPass, renderReceiptSummary, type Receipt } from './receipts.js';
import { nextAfterGateFailure, type GateRun, type RepairPolicy } from './repair-policy.js';
import { taskBrief } from './task-brief.js';
import { changedFilesOfEvent, dirtyFilesOf, projectPrefix, splitTaskFiles, toRepoPath } from './task-files.js';

/*
 * One task from PENDING to a commit, or to the reason it stopped. Pure orchestration over
 * ports: the Builder agent works, then the runtime runs the gate commands itself (a model's
 * word that tests pass counts for nothing), feeds failures back a bounded number of times,
 * and commits only the files the agent's tools changed that were clean before the task.
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
}

/** A clock, for when the task started and ended. */
export interface ClockPort {
  now(): Date;
}

/** The ports of runTask. */
export interface TaskRunnerPorts {
  readonly builder: BuilderPort;
  readonly gates: GatesPort;
  readonly git: TaskGitPort;
  readonly clock: ClockPort;
}

/** Options of runTask. */
export interface TaskRunOptions {
  /** The project directory (inside the repository the task commits to). */
  readonly projectDir: string;
  readonly repair?: RepairPolicy;
  /** Sees every agent event too (the UI's transcript). */
  readonly onEvent?: (event: AgentEvent) => void;
  /** Checked between steps; an aborted task ends as 'aborted'. */
  readonly signal?: AbortSignal;
}

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
      }
    | { readonly kind: 'needs_context'; readonly questions: readonly string[]; readonly pendingToolUseId?: string }
    /** `receipts` when the repair limit was reached; absent when the agent itself reported BLOCKED. */
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

/** The commit body: the receipts, then the concerns and what was left out, so the log tells the truth. */
export function taskCommitBody(input: {
  readonly receipts: readonly Receipt[];
  readonly commands: readonly GateCommand[];
  readonly concerns: readonly string[];
  readonly heldBack: readonly string[];
}): string {
  const parts = [renderReceiptSummary(input.receipts, { commands: input.commands })];
  if (input.concerns.length > 0) parts.push(['Concerns:', ...input.concerns.map((c) => `- ${c}`)].join('\n'));
  if (input.heldBack.length > 0) {
    parts.push(['Not committed (they held uncommitted changes before the task began):', ...input.heldBack.map((f) => `- ${f}`)].join('\n'));
  }
  return parts.join('\n\n');
}

/**
 * Runs `task` to a commit or to the reason it stopped. Order: git status (and a snapshot of
 * the person's uncommitted work, if any) before the agent; the Builder; on DONE the gates;
 * on failure the repair policy's feedback and the Builder again; on pass a commit of the
 * task's files only.
 */
export async function runTask(task: Task, ports: TaskRunnerPorts, options: TaskRunOptions): Promise<TaskResult> {
  const { builder, gates, git, clock } = ports;
  const startedAt = clock.now().toISOString();
  const projectFiles = new Set<string>();
  const gateRuns: GateRun[] = [];
  let messages: readonly ChatMessage[] = [userMessage(taskBrief(task))];
  let agentRuns = 0;
  let snapshot: Snapshot | null = null;
  let prefix = '';

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
    }) as TaskResult;

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
    const receipts = commands.length === 0 ? [noGatesReceipt(clock.now().toISOString())] : [...(await gates.run(commands))];
    gateRuns.push(receipts);
    if (!receiptsPass(receipts, commands)) {
      if (firstFailure(receipts) === undefined) {
        // Nothing failed but not every gate ran: the run was stopped part-way.
        if (options.signal?.aborted) return record({ kind: 'aborted' });
        const missing = commands.filter((c) => !receipts.some((r) => r.gate === c.name)).map((c) => c.name);
        return record({ kind: 'blocked', blocker: `the gate run stopped before ${missing.join(', ')} ran`, receipts });
      }
      const decision = nextAfterGateFailure(gateRuns, options.repair);
      if (decision.kind === 'blocked') return record({ kind: 'blocked', blocker: decision.reason, receipts: decision.lastReceipts });
      messages = appendUserText(messages, decision.feedback);
      continue;
    }

    const after = await git.status(options.projectDir);
    if (!after.ok) return record({ kind: 'git_failed', step: 'commit', error: after.error, receipts });
    const reported = [...projectFiles].map((f) => toRepoPath(f, prefix, options.projectDir)).filter((f): f is string => f !== undefined);
    const split = splitTaskFiles({ before: dirtyBefore, after: dirtyFilesOf(after.value), reported });
    if (split.commit.length === 0) return record({ kind: 'no_changes', receipts, heldBack: split.heldBack, unattributed: split.unattributed });
    const concerns = report.concerns ?? [];
    const committed = await git.commitTask(options.projectDir, {
      taskId: task.id,
      title: task.title,
      body: taskCommitBody({ receipts, commands, concerns, heldBack: split.heldBack }),
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
    });
  }
}
