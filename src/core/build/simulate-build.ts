import { indexGraph } from '../task-graph/graph-index.js';
import type { Task, TaskGraph, TaskStatus } from '../task-graph/task.js';
import { compareTaskIds, nextAssignments, type ScheduleState } from './scheduler.js';

/*
 * A deterministic build on a fake clock: the real scheduler decides what starts, every task
 * takes `durationOf(task)` and succeeds. Used to check the scheduler keeps workers busy
 * (tests, bench/build-schedule.mjs) without running any agent.
 */

/** The simulated build: worker slots, each task's duration, and the person's skips. */
export interface SimulationOptions {
  readonly workers: number;
  /** How long a task takes, in any unit (the makespan comes out in the same unit). */
  durationOf(task: Task): number;
  readonly skipped?: ReadonlySet<string>;
}

/** One task run: which worker slot (0-based) ran it, from when to when. */
export interface TimelineEntry {
  readonly taskId: string;
  readonly worker: number;
  readonly start: number;
  readonly end: number;
}

/** What the simulated build did. */
export interface Simulation {
  /** When the last task finished (0 when nothing ran). */
  readonly makespan: number;
  /** Task runs in start order (ties by worker). */
  readonly timeline: readonly TimelineEntry[];
  /** Tasks that never started: BLOCKED, waiting on one, in a cycle or on an unknown id. */
  readonly unscheduled: readonly string[];
}

/** Pure: runs the graph's not-DONE, not-skipped tasks on `workers` slots and records what happened. */
export function simulateBuild(graph: TaskGraph, options: SimulationOptions): Simulation {
  if (!Number.isInteger(options.workers) || options.workers < 1) throw new RangeError(`workers must be a whole number from 1, got ${options.workers}`);
  const statuses = new Map<string, TaskStatus>();
  for (const task of graph.tasks) statuses.set(task.id, task.status);
  const state: ScheduleState = { graph, statuses, maxWorkers: options.workers, ...(options.skipped ? { skipped: options.skipped } : {}) };
  const byId = new Map<string, Task>();
  for (const task of graph.tasks) if (!byId.has(task.id)) byId.set(task.id, task); // a repeated id means its first task

  const timeline: TimelineEntry[] = [];
  let running: { taskId: string; worker: number; end: number }[] = [];
  let now = 0;
  for (;;) {
    const freeWorkers = Array.from({ length: options.workers }, (_, w) => w).filter((w) => !running.some((r) => r.worker === w));
    const ids = running.map((r) => r.taskId);
    for (const taskId of nextAssignments(state, ids)) {
      const duration = options.durationOf(byId.get(taskId)!);
      if (!(duration >= 0)) throw new RangeError(`durationOf(${taskId}) must be a number from 0, got ${duration}`);
      const worker = freeWorkers.shift()!;
      statuses.set(taskId, 'IN-PROGRESS');
      running.push({ taskId, worker, end: now + duration });
      timeline.push({ taskId, worker, start: now, end: now + duration });
    }
    if (running.length === 0) break;
    now = Math.min(...running.map((r) => r.end));
    const finished = running.filter((r) => r.end === now).sort((a, b) => compareTaskIds(a.taskId, b.taskId));
    for (const r of finished) statuses.set(r.taskId, 'DONE');
    running = running.filter((r) => r.end !== now);
  }

  const started = new Set(timeline.map((t) => t.taskId));
  const unscheduled = graph.tasks
    .filter((t) => statuses.get(t.id) !== 'DONE' && !started.has(t.id) && !(options.skipped?.has(t.id) ?? false))
    .map((t) => t.id);
  const makespan = timeline.reduce((latest, t) => Math.max(latest, t.end), 0);
  return { makespan, timeline, unscheduled };
}

/** The tasks a build still has to run: not DONE, not skipped. */
function toRun(graph: TaskGraph, skipped?: ReadonlySet<string>): (task: Task) => boolean {
  return (task) => task.status !== 'DONE' && !(skipped?.has(task.id) ?? false);
}

/**
 * Pure: the longest chain of dependencies, summing `durationOf` over tasks still to run
 * (DONE and skipped tasks count 0). Tasks in a cycle, and those waiting on one, are left out.
 */
export function criticalPathLength(graph: TaskGraph, durationOf: (task: Task) => number, skipped?: ReadonlySet<string>): number {
  const index = indexGraph(graph);
  const counts = toRun(graph, skipped);
  const waiting = index.deps.map((deps) => deps.length);
  const start = new Float64Array(graph.tasks.length);
  const queue: number[] = [];
  waiting.forEach((n, i) => {
    if (n === 0) queue.push(i);
  });
  let longest = 0;
  // Kahn's order: a task is finished with only after everything below it.
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    const task = graph.tasks[node]!;
    const finish = start[node]! + (counts(task) ? durationOf(task) : 0);
    longest = Math.max(longest, finish);
    for (const next of index.dependents[node]!) {
      start[next] = Math.max(start[next]!, finish);
      if (--waiting[next]! === 0) queue.push(next);
    }
  }
  return longest;
}

/** Pure: the work still to do, summed. */
export function totalWork(graph: TaskGraph, durationOf: (task: Task) => number, skipped?: ReadonlySet<string>): number {
  const counts = toRun(graph, skipped);
  return graph.tasks.reduce((sum, task) => sum + (counts(task) ? durationOf(task) : 0), 0);
}

/**
 * Pure: no schedule on `workers` slots can finish sooner than this: max(critical path,
 * total work / workers). Shared files add no term; they only order tasks already ordered
 * by dependencies in a valid graph.
 */
export function makespanLowerBound(graph: TaskGraph, workers: number, durationOf: (task: Task) => number, skipped?: ReadonlySet<string>): number {
  return Math.max(criticalPathLength(graph, durationOf, skipped), totalWork(graph, durationOf, skipped) / workers);
}
