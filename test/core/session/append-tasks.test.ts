import { describe, expect, it } from 'vitest';
import { appendTasks, proposeTasksSchema, type ProposedTask } from '../../../src/core/session/append-tasks.js';
import { criticFixTasks, securityFixTasks, securityFixTitle } from '../../../src/core/session/fix-tasks.js';
import { checkTaskGraphText } from '../../../src/core/task-graph/check-task-graph.js';
import type { SecurityFinding } from '../../../src/core/security/finding.js';
import { graph, task } from '../task-graph/graph-fixtures.js';

const proposal = (id: string, overrides: Partial<ProposedTask> = {}): ProposedTask => ({
  id,
  title: `Maintain ${id}`,
  description: `Change for ${id}.`,
  acceptance_criteria: [`${id} holds`],
  output_files: [`src/new-${id.toLowerCase()}.ts`],
  depends_on: [],
  size: 'S',
  ...overrides,
});

const built = graph(task('TASK-001', { status: 'DONE' }), task('TASK-002', { status: 'DONE', depends_on: ['TASK-001'] }), task('TASK-003', { status: 'DONE' }));

describe('appendTasks', () => {
  it('continues the numbering and follows the renumbering in depends_on', () => {
    const result = appendTasks(built, [proposal('TASK-010', { depends_on: ['TASK-002'] }), proposal('TASK-011', { depends_on: ['TASK-010'] })]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ids).toEqual(['TASK-004', 'TASK-005']);
    const reread = checkTaskGraphText(result.text);
    expect(reread.ok).toBe(true);
    if (!reread.ok) return;
    expect(reread.graph.tasks.map((t) => [t.id, t.status, t.depends_on])).toEqual([
      ['TASK-001', 'DONE', []],
      ['TASK-002', 'DONE', ['TASK-001']],
      ['TASK-003', 'DONE', []],
      ['TASK-004', 'PENDING', ['TASK-002']],
      ['TASK-005', 'PENDING', ['TASK-004']],
    ]);
  });

  it('makes a new task that writes an existing file wait for the task that wrote it', () => {
    const result = appendTasks(built, [proposal('X1', { output_files: ['src/task-003.ts'] }), proposal('X2', { output_files: ['src/task-003.ts'] })]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.graph.tasks.find((t) => t.id === 'TASK-004')?.depends_on).toEqual(['TASK-003']);
    expect(result.graph.tasks.find((t) => t.id === 'TASK-005')?.depends_on).toEqual(['TASK-003', 'TASK-004']);
  });

  it('refuses a dependency that is neither in the graph nor proposed, and an empty proposal', () => {
    const result = appendTasks(built, [proposal('TASK-009', { depends_on: ['TASK-042'] })]);
    expect(result).toEqual({ ok: false, problems: ['TASK-009 ("Maintain TASK-009") depends on TASK-042, which is neither in the task graph nor among the proposed tasks'] });
    expect(appendTasks(built, []).ok).toBe(false);
  });

  it('numbers past the highest id even when ids have gaps', () => {
    const result = appendTasks(graph(task('TASK-001'), task('TASK-007')), [proposal('TASK-001')]);
    expect(result.ok && result.ids).toEqual(['TASK-008']);
  });

  it('propose_tasks requires at least one task and the evidence', () => {
    expect(proposeTasksSchema.safeParse({ tasks: [], evidence: 'x' }).success).toBe(false);
    expect(proposeTasksSchema.safeParse({ tasks: [{ ...proposal('TASK-004') }] }).success).toBe(false);
  });
});

const finding = (overrides: Partial<SecurityFinding>): SecurityFinding => ({
  id: 'AGENT-001',
  severity: 'CRITICAL',
  domain: 'S4',
  title: 'Code injection through eval',
  file: 'src/server.js',
  line: 3,
  evidence: 'eval on the request body',
  source: 'agent',
  status: 'open',
  ...overrides,
});

describe('fix tasks', () => {
  it('turn open CRITICAL/HIGH/MEDIUM findings into tasks on their files and leave LOW, accepted and resolved ones', () => {
    const fixes = securityFixTasks(
      [finding({}), finding({ id: 'AGENT-002', severity: 'LOW', title: 'Verbose errors' }), finding({ id: 'AGENT-003', status: 'accepted', acceptedReason: 'internal tool' }), finding({ id: 'AGENT-004', status: 'resolved' })],
      new Map(),
    );
    expect(fixes.tasks).toHaveLength(1);
    expect(fixes.tasks[0]).toMatchObject({ title: 'Fix CRITICAL AGENT-001: Code injection through eval', output_files: ['src/server.js'] });
    expect(fixes.skipped).toEqual(['1 open LOW finding left as they are (accept or fix them by hand)']);
    const appended = appendTasks(built, fixes.tasks);
    expect(appended.ok && appended.ids).toEqual(['TASK-004']);
  });

  it('return a finding whose fix task is already in the graph with that task, instead of adding it again', () => {
    const first = finding({});
    const fixes = securityFixTasks([first, finding({ id: 'AGENT-002', title: 'SQL built by concatenation' })], new Map([[securityFixTitle(first), 'TASK-004']]));
    expect(fixes.existing).toEqual([{ findingId: 'AGENT-001', taskId: 'TASK-004' }]);
    expect(fixes.tasks.map((t) => t.title)).toEqual(['Fix CRITICAL AGENT-002: SQL built by concatenation']);
    expect(fixes.skipped).toEqual([]);
  });

  it('make tasks of the Critic findings that cite files, and say which could not become one', () => {
    const fixes = criticFixTasks(
      {
        verdict: 'CONDITIONAL',
        mean: 3.2,
        reasons: [],
        scores: [{ id: 'D4', name: 'Error-recovery UX', score: 2, reason: 'raw stack traces', evidence: [{ file: 'src/cli.js', line: 9 }], improvement: 'catch errors and say what to do' }],
        findings: [
          { title: 'Empty list shows nothing', detail: 'The first screen is blank.', evidence: [{ file: 'src/list.js', line: 4 }] },
          { title: 'Slow start', detail: 'Takes 9 s.', evidence: [{ ran: 'time npm start' }] },
        ],
        recommendations: [],
      },
      new Set(['Fix: Empty list shows nothing']),
    );
    expect(fixes.tasks.map((t) => [t.title, t.output_files])).toEqual([['Fix: D4 Error-recovery UX scored 2', ['src/cli.js']]]);
    expect(fixes.skipped).toEqual(['"Empty list shows nothing" is already in the task graph', '"Slow start" cites no file of the project, so it cannot become a task; describe it in Maintenance or fix it by hand']);
  });
});
