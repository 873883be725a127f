import type { TaskRecord } from '../build/build-record.js';
import type { TaskGraph } from '../task-graph/task.js';

/*
 * BUILD_REPORT.md says what was built, but a report on disk is not a finished build: one left
 * from an earlier run, or written by hand, must not let the Critic start on unfinished work.
 * The !critic guard also reads what HANDOFF.json says of the build: its completion time and
 * every task of the graph DONE or SKIPPED (a person's !skip).
 */

/** A task of the graph that is not finished, with the status its record gives (no record: PENDING). */
export interface UnfinishedTask {
  readonly id: string;
  readonly status: string;
}

/** What HANDOFF.json says of the build, handed to the `!critic` guard beside the artifacts. */
export interface BuildEvidence {
  /** When the build wrote BUILD_REPORT.md with every task DONE or skipped; absent: not completed. */
  readonly completedAt?: string;
  readonly unfinished: readonly UnfinishedTask[];
}

const FINISHED = new Set(['DONE', 'SKIPPED']);

/** Pure: the build's evidence from its records and the task graph (without a readable graph, from the records alone). */
export function buildEvidence(records: readonly TaskRecord[], completedAt: string | undefined, graph: TaskGraph | undefined): BuildEvidence {
  const statusOf = new Map(records.map((r) => [r.id, r.status]));
  const ids = graph ? graph.tasks.map((t) => t.id) : records.map((r) => r.id);
  const unfinished = [...new Set(ids)].flatMap((id) => {
    const status = statusOf.get(id) ?? 'PENDING';
    return FINISHED.has(status) ? [] : [{ id, status }];
  });
  return { ...(completedAt ? { completedAt } : {}), unfinished };
}

/** Why the build does not count as finished, and what to type; undefined when it does. */
export function unfinishedBuild(build: BuildEvidence | undefined): { readonly reason: string; readonly remedy: string } | undefined {
  if (!build) return { reason: "the build's state in HANDOFF.json was not read", remedy: 'type !status to see where the build stands, then !critic again' };
  if (build.unfinished.length === 0) {
    if (build.completedAt) return undefined;
    return { reason: 'the build has not completed (HANDOFF.json has no completion time)', remedy: 'type !continue to finish it and write BUILD_REPORT.md' };
  }
  const list = build.unfinished.map((t) => `${t.id} ${t.status}`).join(', ');
  const stuck = build.unfinished.filter((t) => t.status === 'BLOCKED' || t.status === 'STALLED').map((t) => t.id);
  const asking = build.unfinished.filter((t) => t.status === 'NEEDS_CONTEXT').map((t) => t.id);
  const moves = ['!continue to go on with the build'];
  if (stuck.length > 0) moves.push(`!retry ${stuck[0]} to run ${stuck.length === 1 ? 'it' : 'a BLOCKED or STALLED task'} again`, `!skip ${stuck[0]} to build without it`);
  if (asking.length > 0) moves.push(`!decide <id> <answer> for ${asking.join(', ')} (!status lists the questions)`);
  const last = moves.pop()!;
  return {
    reason: `the build is not finished: ${list}`,
    remedy: `type ${moves.length > 0 ? `${moves.join(', ')} or ${last}` : last}`,
  };
}
