import { describe, expect, it } from 'vitest';
import { parallelBatches } from '../../../src/core/task-graph/parallel-batches.js';
import { graph, task } from './graph-fixtures.js';

describe('parallelBatches', () => {
  it('layers tasks by their longest chain of dependencies', () => {
    const plan = parallelBatches(
      graph(
        task('TASK-001'),
        task('TASK-002', { depends_on: ['TASK-001'] }),
        task('TASK-003', { depends_on: ['TASK-001'] }),
        task('TASK-004', { depends_on: ['TASK-002', 'TASK-003'] }),
        task('TASK-005'),
        task('TASK-006', { depends_on: ['TASK-005', 'TASK-004'] }),
      ),
    );
    expect(plan).toEqual({
      batches: [['TASK-001', 'TASK-005'], ['TASK-002', 'TASK-003'], ['TASK-004'], ['TASK-006']],
      unscheduled: [],
    });
  });

  it('splits a layer so that no two tasks of a batch write the same file', () => {
    const plan = parallelBatches(
      graph(
        task('TASK-001', { output_files: ['package.json', 'src/a.ts'] }),
        task('TASK-002', { output_files: ['src/b.ts'] }),
        task('TASK-003', { output_files: ['package.json'] }),
        task('TASK-004', { output_files: ['package.json', 'src/b.ts'] }),
      ),
    );
    expect(plan.batches).toEqual([['TASK-001', 'TASK-002'], ['TASK-003'], ['TASK-004']]);
  });

  it('leaves out tasks in a cycle, waiting on an unknown id, and those that wait on them', () => {
    const plan = parallelBatches(
      graph(
        task('TASK-001'),
        task('TASK-002', { depends_on: ['TASK-003'] }),
        task('TASK-003', { depends_on: ['TASK-002'] }),
        task('TASK-004', { depends_on: ['TASK-002'] }),
        task('TASK-005', { depends_on: ['TASK-099'] }),
        task('TASK-006', { depends_on: ['TASK-005'] }),
        task('TASK-007', { depends_on: ['TASK-001'] }),
      ),
    );
    expect(plan).toEqual({ batches: [['TASK-001'], ['TASK-007']], unscheduled: ['TASK-002', 'TASK-003', 'TASK-004', 'TASK-005', 'TASK-006'] });
  });

  it('schedules DONE tasks too: the plan covers the whole graph', () => {
    expect(parallelBatches(graph(task('TASK-001', { status: 'DONE' }))).batches).toEqual([['TASK-001']]);
    expect(parallelBatches(graph())).toEqual({ batches: [], unscheduled: [] });
  });
});
