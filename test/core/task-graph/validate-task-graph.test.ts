import { describe, expect, it } from 'vitest';
import type { TaskGraph } from '../../../src/core/task-graph/task.js';
import { nextFreeId, validateTaskGraph, type GraphProblemKind } from '../../../src/core/task-graph/validate-task-graph.js';
import { graph, task } from './graph-fixtures.js';

const valid = graph(
  task('TASK-001', { output_files: ['package.json', 'src/index.ts'] }),
  task('TASK-002', { depends_on: ['TASK-001'], output_files: ['src/index.ts', 'src/api.ts'] }),
  task('TASK-003', { depends_on: ['TASK-001'] }),
  task('TASK-004', { depends_on: ['TASK-002', 'TASK-003'], output_files: ['src/index.ts'] }),
);

describe('validateTaskGraph', () => {
  it('accepts a graph whose shared files are written one task after another', () => {
    expect(validateTaskGraph(valid)).toEqual([]);
  });

  const cases: { name: string; graph: TaskGraph; kind: GraphProblemKind; taskId?: string; message: string; fix: string }[] = [
    {
      name: 'no tasks',
      graph: graph(),
      kind: 'empty-graph',
      message: 'the task graph has no tasks',
      fix: 'add at least one task (TASK-001)',
    },
    {
      name: 'a duplicate id',
      graph: graph(task('TASK-001', { title: 'Set up' }), task('TASK-002'), task('TASK-001', { title: 'Login', output_files: ['src/login.ts'] })),
      kind: 'duplicate-id',
      taskId: 'TASK-001',
      message: 'TASK-001 is used by two tasks: "Set up" (task 1 in the list) and "Login" (task 3)',
      fix: 'give "Login" an id of its own (the next free one is TASK-003) and update the depends_on lists that mean it',
    },
    {
      name: 'an unknown dependency',
      graph: graph(task('TASK-001'), task('TASK-002', { depends_on: ['TASK-001', 'TASK-009'] })),
      kind: 'unknown-dependency',
      taskId: 'TASK-002',
      message: 'TASK-002 depends on TASK-009, which is not in the graph',
      fix: 'add TASK-009 as a task, or remove it from the dependencies of TASK-002',
    },
    {
      name: 'a cycle of three',
      graph: graph(
        task('TASK-001'),
        task('TASK-002', { depends_on: ['TASK-001', 'TASK-004'] }),
        task('TASK-003', { depends_on: ['TASK-002'] }),
        task('TASK-004', { depends_on: ['TASK-003'] }),
      ),
      kind: 'cycle',
      taskId: 'TASK-002',
      message: 'the tasks depend on each other in a cycle: TASK-002 → TASK-004 → TASK-003 → TASK-002 (each depends on the next), so none of them can start',
      fix: 'remove one of these dependencies, e.g. TASK-002 from the dependencies of TASK-003',
    },
    {
      name: 'a task that depends on itself',
      graph: graph(task('TASK-001', { depends_on: ['TASK-001'] })),
      kind: 'cycle',
      taskId: 'TASK-001',
      message: 'TASK-001 depends on itself',
      fix: 'remove TASK-001 from its own dependencies',
    },
    {
      name: 'no acceptance criteria',
      graph: graph(task('TASK-001', { acceptance_criteria: [] })),
      kind: 'no-acceptance-criteria',
      taskId: 'TASK-001',
      message: 'TASK-001 has no acceptance criteria',
      fix: 'add at least one criterion a reviewer can check to TASK-001',
    },
    {
      name: 'no output files',
      graph: graph(task('TASK-001', { output_files: [] })),
      kind: 'no-output-files',
      taskId: 'TASK-001',
      message: 'TASK-001 lists no output files',
      fix: 'list the project files TASK-001 creates or changes',
    },
    {
      name: 'two parallel tasks writing one file',
      graph: graph(
        task('TASK-001'),
        task('TASK-002', { depends_on: ['TASK-001'], output_files: ['src/routes.ts'] }),
        task('TASK-003', { depends_on: ['TASK-001'], output_files: ['src/routes.ts', 'src/b.ts'] }),
      ),
      kind: 'parallel-file-conflict',
      taskId: 'TASK-003',
      message: 'TASK-002 and TASK-003 both write src/routes.ts, and neither depends on the other, so they may run at the same time',
      fix: 'make TASK-003 depend on TASK-002 (or the other way round), or give the change to src/routes.ts to one of them',
    },
  ];

  it.each(cases)('reports $name with the task, what is wrong and the fix', ({ graph: g, kind, taskId, message, fix }) => {
    const problems = validateTaskGraph(g);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind, message, fix, ...(taskId === undefined ? {} : { taskId }) });
  });

  it('treats a transitive dependency as ordering two writers of one file', () => {
    const chain = graph(
      task('TASK-001', { output_files: ['README.md'] }),
      task('TASK-002', { depends_on: ['TASK-001'] }),
      task('TASK-003', { depends_on: ['TASK-002'], output_files: ['README.md'] }),
    );
    expect(validateTaskGraph(chain)).toEqual([]);
  });

  it('lists every problem of a graph with several, in kind order', () => {
    const messy = graph(
      task('TASK-001', { acceptance_criteria: [], output_files: [] }),
      task('TASK-002', { depends_on: ['TASK-003', 'TASK-404'] }),
      task('TASK-003', { depends_on: ['TASK-002'] }),
      task('TASK-002', { output_files: ['src/task-002.ts'] }),
    );
    expect(validateTaskGraph(messy).map((p) => `${p.kind} ${p.taskId ?? ''}`)).toEqual([
      'duplicate-id TASK-002',
      'unknown-dependency TASK-002',
      'cycle TASK-002',
      'no-acceptance-criteria TASK-001',
      // The two TASK-002 rows write one file but share an id: reported as the duplicate, not again as a conflict.
      'no-output-files TASK-001',
    ]);
  });

  it('caps the pairs reported for one widely shared file and counts the rest', () => {
    const tasks = Array.from({ length: 7 }, (_, i) => task(`TASK-00${i + 1}`, { output_files: ['package.json'] }));
    const problems = validateTaskGraph(graph(...tasks));
    expect(problems).toHaveLength(11);
    expect(problems.at(-1)?.message).toBe('11 more pairs of tasks write package.json without depending on each other');
  });

  it('proposes the next free id after the highest', () => {
    expect(nextFreeId(graph(task('TASK-007'), task('TASK-002')))).toBe('TASK-008');
    expect(nextFreeId(graph())).toBe('TASK-001');
  });
});
