import type { Task } from '../task-graph/task.js';
import type { Decision } from './build-record.js';
import type { BuildObserver, BuildOptions, BuildPorts } from './build-run-ports.js';
import type { Lane, MergeQueue } from './merge-queue.js';
import type { SetAside, TaskEnding } from './task-outcome.js';
import { projectPrefix } from './task-files.js';
import type { TaskResult } from './task-result.js';

/*
 * Where a task runs and what becomes of its work: in place in the project, or in a worktree of
 * its own that lands on the working branch through the merge queue. Work a task leaves behind
 * without finishing is set aside to a snapshot ref, never thrown away.
 */

/** What running one task in its place needs from the build. */
export interface TaskPlacement {
  readonly ports: BuildPorts;
  readonly options: BuildOptions;
  readonly observer: BuildObserver;
  readonly queue: MergeQueue;
  /** How often each task's landing conflicted in this build: the second time the person resolves it. */
  readonly conflicts: Map<string, number>;
  /** Runs the task (with the person's decisions as they are by then) in `dir`. */
  execute(dir: string): Promise<TaskResult>;
  /** Records how the task's turn ended. */
  finish(ending: TaskEnding): Promise<void>;
  /** Tells the build a worker is free (the task waits to land). */
  nudge(): void;
}

/** The task as the Builder is given it: with the person's answers to its earlier questions. */
export function taskWithDecisions(task: Task, decisions: readonly Decision[]): Task {
  const answered = decisions.filter((d) => d.taskId === task.id && d.answer !== undefined);
  if (answered.length === 0) return task;
  const lines = answered.map((d) => `- ${d.id} — question: ${d.question}\n  answer from the person: ${d.answer}`);
  return { ...task, description: `${task.description}\n\nDecisions the person made for this task:\n${lines.join('\n')}` };
}

/** Runs `task` in the project directory; an unfinished attempt's leftovers are set aside. */
export async function runInProject(place: TaskPlacement, task: Task): Promise<void> {
  const { ports, options, observer } = place;
  const result = await place.execute(options.projectDir);
  let setAside: SetAside | undefined;
  if (result.kind !== 'done') {
    // The next attempt starts from the last checkpoint; what this one left is kept, not lost.
    // In place that is everything uncommitted, the person's edits made meanwhile too: the reason says so.
    const saved = await ports.git.setAsideWork(options.projectDir, `${task.id.toLowerCase()}-leftovers`);
    if (saved.ok) setAside = { where: 'project', ref: saved.value.ref, restore: saved.value.restoreInstructions };
    else if (saved.error.kind !== 'nothing-to-save') observer.note('warning', `Could not set aside what ${task.id} left in the project: ${saved.error.message}`);
  }
  await place.finish({ kind: 'result', result, ...(setAside ? { setAside } : {}) });
}

/** Runs `task` in a worktree of its own on `lane`, then lands it in turn; the lane is left however it ends. */
export async function runInWorktree(place: TaskPlacement, task: Task, attempt: number, lane: Lane): Promise<void> {
  try {
    await buildInWorktree(place, task, attempt, lane);
  } finally {
    // Landed or ended without landing: the tasks dispatched after it may land.
    place.queue.leave(lane);
  }
}

async function buildInWorktree(place: TaskPlacement, task: Task, attempt: number, lane: Lane): Promise<void> {
  const { ports, options, observer, queue } = place;
  const status = await ports.git.status(options.projectDir);
  if (!status.ok) return place.finish({ kind: 'crashed', message: status.error.message });
  const root = status.value.root;
  const prefix = projectPrefix(root, options.projectDir);
  if (prefix === undefined) return place.finish({ kind: 'crashed', message: `${options.projectDir} is not inside the repository at ${root} as written (open the project by its real path)` });
  const branch = `${options.branchPrefix}${task.id.toLowerCase()}-${attempt}`;
  const dir = `${options.worktreeRoot}/${task.id}-${attempt}`;
  const added = await ports.git.addWorktree(root, { branch, base: lane.base, dir });
  if (!added.ok) return place.finish({ kind: 'crashed', message: `could not create its worktree: ${added.error.message}` });
  const workDir = `${added.value.dir}/${prefix}`.replace(/\/+$/, '');
  const result = await place.execute(workDir);
  if (result.kind !== 'done') {
    const removed = await ports.git.removeWorktree(root, added.value.dir, { deleteBranch: true, force: true });
    const ref = removed.ok ? removed.value.snapshot?.ref : undefined;
    return place.finish({ kind: 'result', result, ...(ref ? { setAside: { where: 'worktree', ref } as const } : {}) });
  }
  // Land through the queue, one merge at a time, in the order the tasks were dispatched;
  // meanwhile its worker is free for the next ready task (a merge is no Builder's work).
  queue.done(lane, result.sha);
  place.nudge();
  await lane.before;
  if (!queue.baseLanded(lane)) {
    // Stacked on work that did not land: its branch holds that work too, so it is built again on the new base.
    await ports.git.removeWorktree(root, added.value.dir, { deleteBranch: true, force: true });
    observer.note('warning', `${task.id} was built on ${[...lane.holds].join(', ')}, which did not land; it runs again once ${lane.holds.size === 1 ? 'that task is' : 'they are'} DONE.`);
    return place.finish({ kind: 'requeue' });
  }
  try {
    await land(place, task, result, { root, branch, dir: added.value.dir }, lane);
  } catch (error) {
    // One task's failed landing must not hold up the queue behind it.
    await place.finish({ kind: 'crashed', message: `landing failed: ${error instanceof Error ? error.message : String(error)}; its commit ${result.sha.slice(0, 12)} is on branch ${branch}` }).catch(() => undefined);
  }
}

/** Where a finished task's work sits: the repository root, the task's branch and its worktree. */
interface Worktree {
  readonly root: string;
  readonly branch: string;
  readonly dir: string;
}

async function land(place: TaskPlacement, task: Task, result: Extract<TaskResult, { kind: 'done' }>, tree: Worktree, lane: Lane): Promise<void> {
  const { ports, observer, queue, conflicts } = place;
  const { root, branch, dir } = tree;
  const merged = await ports.git.mergeBranch(root, branch, { message: `Land ${task.id}: ${task.title}`, fastForward: true });
  const cleanup = () => ports.git.removeWorktree(root, dir, { deleteBranch: true, force: true });
  if (merged.ok && merged.value.kind === 'merged') {
    queue.landed(lane);
    await cleanup();
    return place.finish({ kind: 'result', result, landedSha: merged.value.sha });
  }
  if (merged.ok && merged.value.kind === 'conflict') {
    const count = (conflicts.get(task.id) ?? 0) + 1;
    conflicts.set(task.id, count);
    if (count === 1) {
      await cleanup();
      observer.note('warning', `${task.id} conflicts with work landed meanwhile (${merged.value.files.join(', ')}); running it once more on the new base.`);
      return place.finish({ kind: 'requeue' });
    }
    // Twice: the person resolves it, so the task's commit stays on its branch (only the worktree goes).
    await ports.git.removeWorktree(root, dir, { force: true });
    return place.finish({ kind: 'conflict', files: merged.value.files, branch, sha: result.sha });
  }
  // The task's commit stays on its branch: the work is done, only landing it failed.
  await ports.git.removeWorktree(root, dir, { force: true });
  const why = merged.ok ? 'the merge reported neither a commit nor a conflict' : `${merged.error.message}${merged.error.hint ? ` ${merged.error.hint}` : ''}`;
  return place.finish({ kind: 'crashed', message: `could not land on the working branch (${why}); its commit ${result.sha.slice(0, 12)} is kept on branch ${branch}` });
}
