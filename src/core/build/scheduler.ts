import { indexGraph, reachability, type GraphIndex } from '../task-graph/graph-index.js';
import type { Task, TaskGraph, TaskStatus } from '../task-graph/task.js';

/*
 * Which tasks the Builder starts next. A task is ready when everything it depends on is DONE
 * (or SKIPPED by a person); ready tasks start together up to max_workers when no dependency
 * links them and no two of them, nor any running task, write the same file. Ties go by task
 * id, so the same state always gives the same answer.
 */

/** The build as the scheduler sees it. */
export interface ScheduleState {
  readonly graph: TaskGraph;
  /** Current statuses by id; a task not in the map has its status from the graph. */
  readonly statuses?: ReadonlyMap<string, TaskStatus>;
  /**
   * Tasks a person decided to skip. SKIPPED is a decision kept beside the graph (TASK-GRAPH.md
   * has no such status): a skipped task never runs, counts as satisfied for its dependents,
   * and marks them so the person sees what was built on a gap.
   */
  readonly skipped?: ReadonlySet<string>;
  readonly maxWorkers: number;
}

/** A task that cannot start, and why (the chain down to the cause). */
export interface WaitingTask {
  readonly taskId: string;
  /** The BLOCKED task (or the unknown id) at the bottom of the chain. */
  readonly cause: string;
  readonly why: string;
}

/** A task that may run although something it depends on was skipped. */
export interface MarkedTask {
  readonly taskId: string;
  readonly skippedDependencies: readonly string[];
  readonly why: string;
}

/** `TASK-999` before `TASK-1000`: by number, then by text. */
export function compareTaskIds(a: string, b: string): number {
  const na = Number(/(\d+)$/.exec(a)?.[1] ?? Number.NaN);
  const nb = Number(/(\d+)$/.exec(b)?.[1] ?? Number.NaN);
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Prepared {
  readonly index: GraphIndex;
  /** Task indexes in id order. */
  readonly byId: readonly number[];
  readonly dependsOn: (from: number, to: number) => boolean;
}

// Graphs are immutable values; index each once however often the Builder asks.
const prepared = new WeakMap<TaskGraph, Prepared>();

function prepare(graph: TaskGraph): Prepared {
  let entry = prepared.get(graph);
  if (!entry) {
    const index = indexGraph(graph);
    const byId = graph.tasks.map((_, i) => i).sort((a, b) => compareTaskIds(graph.tasks[a]!.id, graph.tasks[b]!.id) || a - b);
    entry = { index, byId, dependsOn: reachability(index) };
    prepared.set(graph, entry);
  }
  return entry;
}

/** The task's current status. */
export function statusOf(state: ScheduleState, task: Task): TaskStatus {
  return state.statuses?.get(task.id) ?? task.status;
}

/** PENDING and STALE tasks wait to run; IN-PROGRESS without a worker was interrupted and runs again. */
const RUNNABLE: ReadonlySet<TaskStatus> = new Set(['PENDING', 'STALE', 'IN-PROGRESS']);

function satisfied(state: ScheduleState, task: Task): boolean {
  return statusOf(state, task) === 'DONE' || (state.skipped?.has(task.id) ?? false);
}

/** Pure: tasks that could start now, in id order: runnable, not running, every dependency DONE or skipped. */
export function readyTasks(state: ScheduleState, running: readonly string[] = []): string[] {
  const { graph } = state;
  const { index, byId } = prepare(graph);
  const busy = new Set(running);
  const ready: string[] = [];
  for (const i of byId) {
    const task = graph.tasks[i]!;
    if (busy.has(task.id) || state.skipped?.has(task.id) || !RUNNABLE.has(statusOf(state, task))) continue;
    if (index.indexOf.get(task.id) !== i) continue; // a repeated id: only its first task is scheduled
    if (task.depends_on.some((id) => !index.indexOf.has(id))) continue;
    if (index.deps[i]!.every((d) => satisfied(state, graph.tasks[d]!))) ready.push(task.id);
  }
  return ready;
}

/**
 * Pure: the ready tasks to start now, at most `maxWorkers - running.length`, in id order.
 * A ready task is passed over (for now) when it writes a file a running or chosen task writes,
 * or when a dependency, direct or not, links it to one of them.
 */
export function nextAssignments(state: ScheduleState, running: readonly string[]): string[] {
  const free = state.maxWorkers - running.length;
  if (free <= 0) return [];
  const { graph } = state;
  const { index, dependsOn } = prepare(graph);
  const taken = new Set<string>();
  const active: number[] = [];
  for (const id of running) {
    const i = index.indexOf.get(id);
    if (i === undefined) continue;
    active.push(i);
    for (const file of graph.tasks[i]!.output_files) taken.add(file);
  }
  const chosen: string[] = [];
  for (const id of readyTasks(state, running)) {
    if (chosen.length === free) break;
    const i = index.indexOf.get(id)!;
    const task = graph.tasks[i]!;
    if (task.output_files.some((file) => taken.has(file))) continue;
    if (active.some((j) => dependsOn(i, j) || dependsOn(j, i))) continue;
    chosen.push(id);
    active.push(i);
    for (const file of task.output_files) taken.add(file);
  }
  return chosen;
}

/**
 * Pure: tasks that cannot start because something below them is BLOCKED or not in the graph,
 * each with the chain that explains it, in id order. DONE and skipped tasks are not listed.
 */
export function waitingTasks(state: ScheduleState): WaitingTask[] {
  const { graph } = state;
  const { index, byId } = prepare(graph);
  // Each task's reason as a phrase, so chains read "waits on A, which waits on B, which is BLOCKED".
  const why = new Map<number, { cause: string; why: string }>();
  const queue: number[] = [];
  graph.tasks.forEach((task, i) => {
    if (index.indexOf.get(task.id) !== i) return;
    if (statusOf(state, task) === 'BLOCKED' && !state.skipped?.has(task.id)) {
      why.set(i, { cause: task.id, why: 'is BLOCKED' });
      queue.push(i);
      return;
    }
    const unknown = task.depends_on.find((id) => !index.indexOf.has(id));
    if (unknown !== undefined) {
      why.set(i, { cause: unknown, why: `waits on ${unknown}, which is not in the graph` });
      queue.push(i);
    }
  });
  // Breadth first, so each task is explained by its shortest chain to a cause.
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    const below = why.get(node)!;
    for (const next of index.dependents[node]!) {
      if (why.has(next) || satisfied(state, graph.tasks[next]!)) continue;
      why.set(next, { cause: below.cause, why: `waits on ${graph.tasks[node]!.id}, which ${below.why}` });
      queue.push(next);
    }
  }
  const result: WaitingTask[] = [];
  for (const i of byId) {
    const entry = why.get(i);
    const task = graph.tasks[i]!;
    if (entry === undefined || statusOf(state, task) === 'BLOCKED' || satisfied(state, task)) continue;
    result.push({ taskId: task.id, cause: entry.cause, why: entry.why });
  }
  return result;
}

/**
 * Pure: tasks (not themselves skipped) that depend directly on a skipped task, in id order.
 * A DONE one stays marked: it was built without what it depended on, which is the point.
 */
export function markedTasks(state: ScheduleState): MarkedTask[] {
  const skipped = state.skipped;
  if (skipped === undefined || skipped.size === 0) return [];
  const { graph } = state;
  const { index, byId } = prepare(graph);
  const marked: MarkedTask[] = [];
  for (const i of byId) {
    const task = graph.tasks[i]!;
    if (skipped.has(task.id)) continue;
    const gaps = index.deps[i]!.map((d) => graph.tasks[d]!.id).filter((id) => skipped.has(id));
    if (gaps.length === 0) continue;
    marked.push({
      taskId: task.id,
      skippedDependencies: gaps,
      why: `depends on ${gaps.join(', ')}, which a person chose to skip; check that ${task.id} still makes sense without ${gaps.length === 1 ? 'it' : 'them'}`,
    });
  }
  return marked;
}

/** Pure: tasks this build can still run, now or once what they depend on is done: runnable, not skipped, not held up by a BLOCKED task. */
export function buildableTasks(state: ScheduleState): string[] {
  const { graph } = state;
  const { index, byId } = prepare(graph);
  const held = new Set(waitingTasks(state).map((w) => w.taskId));
  return byId
    .map((i) => graph.tasks[i]!)
    .filter((task, k) => index.indexOf.get(task.id) === byId[k] && RUNNABLE.has(statusOf(state, task)) && !state.skipped?.has(task.id) && !held.has(task.id))
    .map((task) => task.id);
}

/** Pure: the build has nothing left to start: nothing runs and nothing is ready. */
export function buildSettled(state: ScheduleState, running: readonly string[]): boolean {
  return running.length === 0 && readyTasks(state, running).length === 0;
}
