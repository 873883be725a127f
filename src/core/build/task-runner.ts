import type { AgentEvent } from '../agent/agent-types.js';
import { appendUserText, userMessage } from '../agent/conversation.js';
import type { Snapshot } from '../git/git-results.js';
import type { ChatMessage } from '../provider/types.js';
import type { Task } from '../task-graph/task.js';
import type { GateRun } from './repair-policy.js';
import { taskBrief, type ReviewDiff } from './task-brief.js';
import { collectTaskWork, commitTaskWork } from './task-commit.js';
import { changedFilesOfEvent, dirtyFilesOf, projectPrefix, toRepoPath } from './task-files.js';
import { runGateStep } from './task-gate-step.js';
import { builderStep, type TaskResult, type TaskRunEnding } from './task-result.js';
import { TaskReview } from './task-review-step.js';
import type { TaskRunOptions, TaskRunnerPorts } from './task-runner-ports.js';

/*
 * One task from PENDING to a commit, or to the reason it stopped. Pure orchestration over
 * ports: the Builder agent works, then the runtime runs the gate commands itself (a model's
 * word that tests pass counts for nothing), feeds failures back a bounded number of times,
 * has a separate reviewer check the work (spec compliance, then code quality, a bounded
 * number of rounds), and commits only the files the agent's tools changed that were clean
 * before the task. Each step lives in its own module; this is the loop that joins them.
 */

/** Repository-relative paths of the files the agent reported, dropping any outside the project. */
function repoPaths(projectFiles: ReadonlySet<string>, prefix: string, projectDir: string): string[] {
  return [...projectFiles].map((f) => toRepoPath(f, prefix, projectDir)).filter((f): f is string => f !== undefined);
}

/**
 * Runs `task` to a commit or to the reason it stopped. Order: git status (and a snapshot of
 * the person's uncommitted work, if any) before the agent; the Builder; on DONE the gates;
 * on failure the repair policy's feedback and the Builder again; on pass, with a reviewer,
 * the review (its findings go back to the Builder, whose fix goes through the gates and the
 * review again); then a commit of the task's files only.
 */
export async function runTask(task: Task, ports: TaskRunnerPorts, options: TaskRunOptions): Promise<TaskResult> {
  const { builder, git, clock, reviewer, fileIndex } = ports;
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
  const review = reviewer !== undefined && fileIndex !== undefined ? new TaskReview(task, reviewer, fileIndex, options) : undefined;

  const record = (ending: TaskRunEnding): TaskResult =>
    ({
      ...ending,
      taskId: task.id,
      messages,
      agentRuns,
      gateRuns,
      reportedFiles: repoPaths(projectFiles, prefix, options.projectDir).sort(),
      snapshot,
      startedAt,
      finishedAt: clock.now().toISOString(),
      ...(review === undefined ? {} : { reviews: review.history }),
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
    options.onPhase?.({ kind: 'builder', run: agentRuns });
    const outcome = await builder.run({ taskId: task.id, messages, onEvent });
    messages = outcome.messages;
    const step = builderStep(outcome);
    if (step.kind === 'end') return record(step.ending);
    const { report } = step;
    for (const file of report.changed_files ?? []) projectFiles.add(file);
    if (report.status === 'NEEDS_CONTEXT') return record({ kind: 'needs_context', questions: report.questions ?? [] });
    if (report.status === 'BLOCKED') return record({ kind: 'blocked', blocker: report.blocker ?? report.summary });

    // DONE or DONE_WITH_CONCERNS: only the runtime's own run of the gates counts.
    const gated = await runGateStep(ports, options, gateRuns, failuresFrom);
    if (gated.kind === 'end') return record(gated.ending);
    if (gated.kind === 'repair') {
      messages = appendUserText(messages, gated.feedback);
      continue;
    }
    const { commands, receipts } = gated;
    failuresFrom = gateRuns.length;

    const collected = await collectTaskWork(ports, {
      projectDir: options.projectDir,
      dirtyBefore,
      reported: repoPaths(projectFiles, prefix, options.projectDir),
      reportConcerns: report.concerns ?? [],
      receipts,
      ...(options.gateScripts ? { gateScripts: options.gateScripts } : {}),
    });
    if (collected.kind === 'end') return record(collected.ending);
    const { work } = collected;

    if (review !== undefined) {
      // The commit's files, as the reviewer (and its file index) name them: relative to the project.
      const files = work.split.commit.map((f) => f.slice(prefix.length));
      const diffed = await git.diffFiles(options.projectDir, work.split.commit);
      const diff: ReviewDiff = diffed.ok ? { kind: 'diff', text: diffed.value } : { kind: 'unavailable', reason: diffed.error.message };
      const reviewed = await review.review({ files, summary: report.summary, concerns: work.concerns, receipts, commands, diff });
      if (reviewed.kind === 'end') return record(reviewed.ending);
      if (reviewed.kind === 'fix') {
        messages = appendUserText(messages, reviewed.feedback);
        continue;
      }
    }

    return record(await commitTaskWork(git, { task, options, work, report, receipts, commands, gateRuns, ...(review === undefined ? {} : { reviews: review.history }) }));
  }
}
