import type { TaskGraph, TaskStatus } from '../task-graph/task.js';
import type { TaskRecord } from './build-record.js';
import { compareTaskIds, type ScheduleState } from './scheduler.js';

/*
 * Where a build stands, read from its records alone: what the scheduler sees, and how a run
 * that has nothing left to start ended. Pure, so the board and the run agree.
 */

/** How a build run ended. */
export type BuildEnding =
  /** Every task is DONE or skipped. */
  | { readonly kind: 'complete' }
  /**
   * Nothing more can start: tasks wait on a decision, a retry or a skip. `held`: the tasks
   * that never started because a dependency is not DONE (BLOCKED pauses its dependents).
   */
  | { readonly kind: 'waiting'; readonly tasks: readonly string[]; readonly held: readonly HeldTask[] }
  | { readonly kind: 'paused'; readonly reason: string }
  | { readonly kind: 'budget'; readonly message: string }
  | { readonly kind: 'aborted' };

/** A task that cannot start yet, and the dependencies it waits for (not DONE, not skipped). */
export interface HeldTask {
  readonly taskId: string;
  readonly waitsFor: readonly string[];
}

/** The scheduler's view of the records. */
export function scheduleStateOf(graph: TaskGraph, records: readonly TaskRecord[], maxWorkers: number): ScheduleState {
  const statuses = new Map<string, TaskStatus>();
  const skipped = new Set<string>();
  for (const r of records) {
    if (r.status === 'SKIPPED') skipped.add(r.id);
    else statuses.set(r.id, r.status === 'DONE' ? 'DONE' : r.status === 'PENDING' || r.status === 'IN-PROGRESS' ? 'PENDING' : 'BLOCKED');
  }
  return { graph, statuses, skipped, maxWorkers };
}

/** How a run that stopped by itself (nothing running, nothing startable) ended: complete, or what waits and on what. */
export function settledEnding(graph: TaskGraph, records: readonly TaskRecord[]): BuildEnding {
  const statusOf = (id: string) => records.find((r) => r.id === id)?.status ?? 'PENDING';
  const finished = (id: string) => statusOf(id) === 'DONE' || statusOf(id) === 'SKIPPED';
  const open = graph.tasks
    .map((t) => t.id)
    .filter((id) => !finished(id))
    .sort(compareTaskIds);
  if (open.length === 0) return { kind: 'complete' };
  const held = graph.tasks
    .filter((t) => open.includes(t.id) && (statusOf(t.id) === 'PENDING' || statusOf(t.id) === 'IN-PROGRESS'))
    .map((t) => ({ taskId: t.id, waitsFor: t.depends_on.filter((d) => !finished(d)) }))
    .filter((h) => h.waitsFor.length > 0)
    .sort((a, b) => compareTaskIds(a.taskId, b.taskId));
  return { kind: 'waiting', tasks: open, held };
}
