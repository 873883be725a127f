import { describe, expect, it } from 'vitest';
import {
  buildableTasks,
  buildSettled,
  compareTaskIds,
  markedTasks,
  nextAssignments,
  readyTasks,
  waitingTasks,
  type ScheduleState,
} from '../../../src/core/build/scheduler.js';
import type { TaskGraph, TaskStatus } from '../../../src/core/task-graph/task.js';
import { graph, task } from '../task-graph/graph-fixtures.js';

function state(g: TaskGraph, maxWorkers = 2, statuses: Record<string, TaskStatus> = {}, skipped: string[] = []): ScheduleState {
  return { graph: g, maxWorkers, statuses: new Map(Object.entries(statuses)), skipped: new Set(skipped) };
}

/*
 *   1 ─┬─> 3 ──> 5
 *   2 ─┘   4 (own)
 * 6 writes src/shared.ts after 4 (ordered by depends_on).
 */
const diamond = graph(
  task('TASK-001'),
  task('TASK-002'),
  task('TASK-003', { depends_on: ['TASK-001', 'TASK-002'] }),
  task('TASK-004', { output_files: ['src/shared.ts'] }),
  task('TASK-005', { depends_on: ['TASK-003'] }),
  task('TASK-006', { output_files: ['src/shared.ts', 'src/six.ts'], depends_on: ['TASK-004'] }),
);

describe('compareTaskIds', () => {
  it('orders by number, then by text', () => {
    expect(['TASK-1000', 'TASK-010', 'TASK-999', 'TASK-002', 'X'].sort(compareTaskIds)).toEqual(['TASK-002', 'TASK-010', 'TASK-999', 'TASK-1000', 'X']);
  });
});

describe('readyTasks', () => {
  it.each([
    ['at the start: every task without dependencies', {}, [], [], ['TASK-001', 'TASK-002', 'TASK-004']],
    ['one parent DONE is not enough', { 'TASK-001': 'DONE' }, [], [], ['TASK-002', 'TASK-004']],
    ['all parents DONE', { 'TASK-001': 'DONE', 'TASK-002': 'DONE' }, [], [], ['TASK-003', 'TASK-004']],
    ['running tasks are not ready again', {}, ['TASK-001'], [], ['TASK-002', 'TASK-004']],
    ['STALE runs again, DONE does not', { 'TASK-001': 'DONE', 'TASK-002': 'STALE' }, [], [], ['TASK-002', 'TASK-004']],
    ['IN-PROGRESS without a worker was interrupted: ready', { 'TASK-002': 'IN-PROGRESS' }, [], [], ['TASK-001', 'TASK-002', 'TASK-004']],
    ['BLOCKED is never ready', { 'TASK-004': 'BLOCKED' }, [], [], ['TASK-001', 'TASK-002']],
    ['a skipped parent counts as satisfied', { 'TASK-001': 'DONE' }, [], ['TASK-002'], ['TASK-003', 'TASK-004']],
  ] as const)('%s', (_title, statuses, running, skipped, ready) => {
    expect(readyTasks(state(diamond, 2, statuses, [...skipped]), running)).toEqual(ready);
  });

  it('lists in id order whatever the list order, and never a task waiting on an unknown id', () => {
    const g = graph(task('TASK-010'), task('TASK-002'), task('TASK-003', { depends_on: ['TASK-404'] }));
    expect(readyTasks(state(g))).toEqual(['TASK-002', 'TASK-010']);
  });
});

describe('nextAssignments', () => {
  it.each([
    ['fills the free workers in id order', 2, {}, [], ['TASK-001', 'TASK-002']],
    ['no more than max_workers', 4, {}, [], ['TASK-001', 'TASK-002', 'TASK-004']],
    ['counts running tasks against max_workers', 2, {}, ['TASK-001'], ['TASK-002']],
    ['nothing when every worker is busy', 2, {}, ['TASK-001', 'TASK-002'], []],
    ['one worker, one task', 1, {}, [], ['TASK-001']],
  ] as const)('%s', (_title, workers, statuses, running, expected) => {
    expect(nextAssignments(state(diamond, workers, statuses), running)).toEqual(expected);
  });

  it('never starts two tasks that write the same file, nor one that clashes with a running task', () => {
    // A graph validate would reject (7 and 8 share a file without an order); the scheduler stays safe anyway.
    const g = graph(
      task('TASK-007', { output_files: ['src/routes.ts', 'src/a.ts'] }),
      task('TASK-008', { output_files: ['src/b.ts', 'src/routes.ts'] }),
      task('TASK-009', { output_files: ['src/c.ts'] }),
    );
    expect(nextAssignments(state(g, 3), [])).toEqual(['TASK-007', 'TASK-009']);
    expect(nextAssignments(state(g, 3), ['TASK-007'])).toEqual(['TASK-009']);
    expect(nextAssignments(state(g, 3, { 'TASK-007': 'DONE' }), [])).toEqual(['TASK-008', 'TASK-009']);
  });

  it('never starts a task beside one it depends on through a DONE task (statuses set by hand)', () => {
    // 3 → 2 → 1; a person marked 2 DONE and 1 STALE: 3 looks ready but sits above 1.
    const g = graph(task('TASK-001'), task('TASK-002', { depends_on: ['TASK-001'] }), task('TASK-003', { depends_on: ['TASK-002'] }));
    const s = state(g, 2, { 'TASK-001': 'STALE', 'TASK-002': 'DONE' });
    expect(readyTasks(s)).toEqual(['TASK-001', 'TASK-003']);
    expect(nextAssignments(s, [])).toEqual(['TASK-001']);
  });

  it('is stable: the same state gives the same answer', () => {
    const s = state(diamond, 3);
    expect(nextAssignments(s, [])).toEqual(nextAssignments(s, []));
  });
});

describe('waitingTasks (BLOCKED blocks its dependents)', () => {
  it('explains each waiting task by its chain down to the BLOCKED task', () => {
    const g = graph(
      task('TASK-001'),
      task('TASK-002', { depends_on: ['TASK-001'] }),
      task('TASK-003', { depends_on: ['TASK-002'] }),
      task('TASK-004', { depends_on: ['TASK-001', 'TASK-404'] }),
      task('TASK-005'),
    );
    expect(waitingTasks(state(g, 2, { 'TASK-001': 'BLOCKED' }))).toEqual([
      { taskId: 'TASK-002', cause: 'TASK-001', why: 'waits on TASK-001, which is BLOCKED' },
      { taskId: 'TASK-003', cause: 'TASK-001', why: 'waits on TASK-002, which waits on TASK-001, which is BLOCKED' },
      // Both hold it back; its own unknown dependency is found first.
      { taskId: 'TASK-004', cause: 'TASK-404', why: 'waits on TASK-404, which is not in the graph' },
    ]);
    expect(waitingTasks(state(g))).toEqual([{ taskId: 'TASK-004', cause: 'TASK-404', why: 'waits on TASK-404, which is not in the graph' }]);
  });

  it('does not list DONE dependents, nor go through them', () => {
    const g = graph(task('TASK-001'), task('TASK-002', { depends_on: ['TASK-001'] }), task('TASK-003', { depends_on: ['TASK-002'] }));
    expect(waitingTasks(state(g, 2, { 'TASK-001': 'BLOCKED', 'TASK-002': 'DONE' }))).toEqual([]);
  });

  it('a BLOCKED task a person skipped blocks nothing', () => {
    const g = graph(task('TASK-001'), task('TASK-002', { depends_on: ['TASK-001'] }));
    const s = state(g, 2, { 'TASK-001': 'BLOCKED' }, ['TASK-001']);
    expect(waitingTasks(s)).toEqual([]);
    expect(readyTasks(s)).toEqual(['TASK-002']);
  });
});

describe('markedTasks (skipped tasks mark their dependents)', () => {
  it('lists the dependents of skipped tasks with why', () => {
    expect(markedTasks(state(diamond, 2, { 'TASK-005': 'DONE' }, ['TASK-001', 'TASK-002']))).toEqual([
      {
        taskId: 'TASK-003',
        skippedDependencies: ['TASK-001', 'TASK-002'],
        why: 'depends on TASK-001, TASK-002, which a person chose to skip; check that TASK-003 still makes sense without them',
      },
    ]);
    expect(markedTasks(state(diamond))).toEqual([]);
  });

  it('keeps a dependent marked once it is DONE: it was built without the skipped task', () => {
    expect(markedTasks(state(diamond, 2, { 'TASK-003': 'DONE' }, ['TASK-002'])).map((m) => [m.taskId, m.skippedDependencies])).toEqual([['TASK-003', ['TASK-002']]]);
  });
});

describe('buildSettled', () => {
  it.each([
    ['work left', {}, [], false],
    ['a task running', { 'TASK-001': 'DONE' }, ['TASK-002'], false],
    ['everything DONE', Object.fromEntries(diamond.tasks.map((t) => [t.id, 'DONE'])), [], true],
    ['only waiting on a BLOCKED task', { 'TASK-001': 'BLOCKED', 'TASK-002': 'DONE', 'TASK-004': 'DONE', 'TASK-006': 'DONE' }, [], true],
  ] as const)('%s → %s', (_title, statuses, running, settled) => {
    expect(buildSettled(state(diamond, 2, statuses as Record<string, TaskStatus>), running)).toBe(settled);
  });
});

describe('buildableTasks', () => {
  it('is every open task at the start, in id order', () => {
    expect(buildableTasks(state(diamond))).toEqual(['TASK-001', 'TASK-002', 'TASK-003', 'TASK-004', 'TASK-005', 'TASK-006']);
  });

  it('leaves out DONE and skipped tasks, a BLOCKED task and everything it holds up', () => {
    const s = state(diamond, 2, { 'TASK-001': 'BLOCKED', 'TASK-004': 'DONE' }, ['TASK-006']);
    // 3 waits on 1 (BLOCKED), 5 waits on 3; 2 can still run.
    expect(buildableTasks(s)).toEqual(['TASK-002']);
  });

  it('is empty when every open task waits on a BLOCKED one', () => {
    expect(buildableTasks(state(diamond, 2, { 'TASK-001': 'DONE', 'TASK-002': 'BLOCKED', 'TASK-004': 'DONE', 'TASK-006': 'DONE' }))).toEqual([]);
  });
});
