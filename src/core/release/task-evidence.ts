import type { TaskRecord } from '../build/build-record.js';
import type { TaskGraph } from '../task-graph/task.js';

/**
 * Every task of the plan must have evidence before a release: a DONE record with passing
 * receipts (the runtime's own runs of the gate commands), or the person's decision to
 * skip it (`!skip`, which also lets a BLOCKED task go). The task graph's status column is not evidence; HANDOFF.json's
 * records are.
 */

export interface TaskEvidence {
  readonly ok: boolean;
  /** Tasks with evidence, one line each. */
  readonly done: readonly string[];
  /** Tasks the person skipped. */
  readonly excused: readonly string[];
  /** Tasks without evidence, with why. */
  readonly problems: readonly string[];
}

function receiptsPass(record: TaskRecord): boolean {
  return record.receipts.length > 0 && record.receipts.every((r) => r.exitCode === 0 && !r.timedOut);
}

/** Pure: the evidence of each task of `graph` in the build records. */
export function checkTaskEvidence(graph: TaskGraph, records: readonly TaskRecord[]): TaskEvidence {
  const done: string[] = [];
  const excused: string[] = [];
  const problems: string[] = [];
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const task of graph.tasks) {
    const record = byId.get(task.id);
    if (record === undefined) {
      problems.push(`${task.id} (${task.title}) was never built: no record in HANDOFF.json`);
    } else if (record.status === 'DONE') {
      if (receiptsPass(record)) done.push(`${task.id}: DONE, ${record.receipts.length} passing receipt${record.receipts.length === 1 ? '' : 's'}${record.sha ? `, commit ${record.sha.slice(0, 12)}` : ''}`);
      else problems.push(`${task.id} is DONE but ${record.receipts.length === 0 ? 'has no receipts' : 'its receipts do not all pass'}`);
    } else if (record.status === 'SKIPPED') {
      excused.push(`${task.id}: skipped by the person`);
    } else {
      problems.push(`${task.id} is ${record.status}${record.reason ? `: ${record.reason}` : ''}`);
    }
  }
  if (graph.tasks.length === 0) problems.push('the task graph has no tasks');
  return { ok: problems.length === 0, done, excused, problems };
}
