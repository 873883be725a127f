import type { ReportStatusInput } from '../agent/structured-tools.js';
import type { Task } from '../task-graph/task.js';
import type { GateCommand } from './gate-commands.js';
import { gateScriptChanges, gateScriptConcern, gateScriptsOf, type GateScripts } from './gate-scripts.js';
import { firstFailure, renderReceiptSummary, type Receipt } from './receipts.js';
import type { GateRun } from './repair-policy.js';
import { reviewRoundsRun, reviewSummaryLine, type ReviewRoundRecord } from './review-rounds.js';
import { dirtyFilesOf, splitTaskFiles, type TaskFileSplit } from './task-files.js';
import type { TaskRunEnding } from './task-result.js';
import type { GatesPort, TaskGitPort, TaskRunOptions } from './task-runner-ports.js';

/*
 * What a task commits once its gates pass: only the files the agent's tools changed that were
 * clean before the task, with a body that tells the truth about the receipts, the repairs, the
 * review and what was left out.
 */

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

/** The task's share of the work tree after a passing gate run. */
export interface TaskWork {
  readonly split: TaskFileSplit;
  /** Every script of the project's package.json now; absent when the gates port cannot say. */
  readonly scripts?: Readonly<Record<string, string>>;
  /** The Builder's concerns, then the runtime's own. */
  readonly concerns: readonly string[];
}

/**
 * Sorts the work tree into what the task may commit, what it must hold back and what no tool
 * reported. `reported`: repository-relative; `dirtyBefore`: what was uncommitted before the task.
 */
export async function collectTaskWork(
  ports: { readonly git: TaskGitPort; readonly gates: GatesPort },
  input: {
    readonly projectDir: string;
    readonly dirtyBefore: readonly string[];
    readonly reported: readonly string[];
    readonly reportConcerns: readonly string[];
    readonly receipts: readonly Receipt[];
    readonly gateScripts?: GateScripts;
  },
): Promise<{ readonly kind: 'work'; readonly work: TaskWork } | { readonly kind: 'end'; readonly ending: TaskRunEnding }> {
  const after = await ports.git.status(input.projectDir);
  if (!after.ok) return { kind: 'end', ending: { kind: 'git_failed', step: 'commit', error: after.error, receipts: input.receipts } };
  const split = splitTaskFiles({ before: input.dirtyBefore, after: dirtyFilesOf(after.value), reported: input.reported });
  if (split.commit.length === 0) return { kind: 'end', ending: { kind: 'no_changes', receipts: input.receipts, heldBack: split.heldBack, unattributed: split.unattributed } };
  // The runtime's own concern: a recorded gate script this task's work changed (the gates ran the new one).
  const scripts = ports.gates.scripts ? await ports.gates.scripts() : undefined;
  const scriptConcerns = scripts && input.gateScripts ? gateScriptChanges(input.gateScripts, scripts).map(gateScriptConcern) : [];
  return { kind: 'work', work: { split, concerns: [...input.reportConcerns, ...scriptConcerns], ...(scripts ? { scripts } : {}) } };
}

/** Commits the task's files and says how the task ended: DONE with the SHA, or git's failure. */
export async function commitTaskWork(
  git: TaskGitPort,
  input: {
    readonly task: Task;
    readonly options: Pick<TaskRunOptions, 'projectDir' | 'onPhase'>;
    readonly work: TaskWork;
    readonly report: ReportStatusInput;
    readonly receipts: readonly Receipt[];
    readonly commands: readonly GateCommand[];
    readonly gateRuns: readonly GateRun[];
    /** The review's history; absent when the task had no reviewer. */
    readonly reviews?: readonly ReviewRoundRecord[];
  },
): Promise<TaskRunEnding> {
  const { task, work, receipts, commands, reviews } = input;
  const { split, scripts, concerns } = work;
  input.options.onPhase?.({ kind: 'commit' });
  const committed = await git.commitTask(input.options.projectDir, {
    taskId: task.id,
    title: task.title,
    body: taskCommitBody({
      receipts,
      commands,
      concerns,
      heldBack: split.heldBack,
      failedGateRuns: input.gateRuns.filter((run) => firstFailure(run) !== undefined).length,
      ...(reviews === undefined ? {} : { reviews }),
    }),
    files: split.commit,
  });
  if (!committed.ok) return { kind: 'git_failed', step: 'commit', error: committed.error, receipts };
  return {
    kind: 'done',
    sha: committed.value,
    receipts,
    summary: input.report.summary,
    concerns,
    changedFiles: split.commit,
    heldBack: split.heldBack,
    unattributed: split.unattributed,
    reviewRounds: reviews === undefined ? 0 : reviewRoundsRun(reviews),
    ...(reviews === undefined ? {} : { review: reviewSummaryLine(reviews) }),
    ...(scripts ? { gateScripts: gateScriptsOf(commands, scripts) } : {}),
  };
}
