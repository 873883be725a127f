import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../src/core/agent/agent-types.js';
import { Patrol, type PatrolEvent } from '../../../src/core/build/patrol.js';
import { failing } from './build-fixtures.js';

const MIN = 60_000;
const T = 'TASK-001';
const agent = (event: AgentEvent, taskId = T): PatrolEvent => ({ type: 'agent', taskId, event });
let nextId = 0;
const call = (name: string, input: unknown, taskId = T): PatrolEvent => agent({ type: 'tool_call', id: `toolu_${++nextId}`, name, input }, taskId);
const result = (changedFiles?: string[], taskId = T): PatrolEvent =>
  agent({ type: 'tool_result', id: `toolu_${nextId}`, name: 'x', display: 'ok', isError: false, reused: false, ...(changedFiles ? { changedFiles } : {}) }, taskId);
const turnEnd = (turn: number, taskId = T): PatrolEvent => agent({ type: 'turn_end', turn, stopReason: 'tool_use' }, taskId);

function patrol(config: Partial<ConstructorParameters<typeof Patrol>[0]> = {}): Patrol {
  const p = new Patrol({ taskTimeLimitMs: 30 * MIN, ...config });
  p.observe({ type: 'task_started', taskId: T, atMs: 0 });
  return p;
}

function feed(p: Patrol, events: PatrolEvent[]): Patrol {
  for (const e of events) p.observe(e);
  return p;
}

describe('Patrol: one task', () => {
  it('is quiet while a task makes progress', () => {
    const p = patrol();
    for (let turn = 1; turn <= 20; turn++) feed(p, [call('edit_file', { path: `src/${turn}.ts` }), result([`src/${turn}.ts`]), turnEnd(turn)]);
    p.tick(29 * MIN);
    expect(p.verdict()).toEqual({ build: { kind: 'running' }, stalled: [] });
    expect(p.taskVerdict(T)).toEqual({ kind: 'ok' });
  });

  it.each([
    ['at the limit', 30 * MIN, []],
    ['past the limit', 30 * MIN + 1, ['time-limit']],
  ])('wall-clock: a tick %s', (_title, now, rules) => {
    const p = patrol();
    p.tick(now);
    expect(p.verdict().stalled.map((s) => s.rule)).toEqual(rules);
  });

  it('does not count the time a task waits for the person against its limit', () => {
    const p = patrol();
    p.tick(20 * MIN);
    p.observe({ type: 'waiting_for_person', taskId: T, atMs: 20 * MIN });
    // The person is away for two hours: the task is not STALLED meanwhile.
    p.tick(140 * MIN);
    expect(p.verdict().stalled).toEqual([]);
    p.observe({ type: 'person_answered', taskId: T, atMs: 140 * MIN });
    // 20 minutes of its own time so far: 10 more are allowed, not a second more.
    p.tick(150 * MIN);
    expect(p.verdict().stalled).toEqual([]);
    p.tick(150 * MIN + 1);
    expect(p.verdict().stalled.map((s) => s.diagnosis)).toEqual(['TASK-001 has run for 30 min 0 s, over its limit of 30 min 0 s (turn 0).']);
  });

  it('keeps the clock stopped until the last of overlapping waits is answered', () => {
    const p = patrol();
    p.observe({ type: 'waiting_for_person', taskId: T, atMs: 10 * MIN });
    p.observe({ type: 'waiting_for_person', taskId: T, atMs: 12 * MIN });
    p.observe({ type: 'person_answered', taskId: T, atMs: 50 * MIN });
    p.tick(90 * MIN);
    expect(p.verdict().stalled).toEqual([]);
    p.observe({ type: 'person_answered', taskId: T, atMs: 90 * MIN });
    p.tick(110 * MIN);
    expect(p.verdict().stalled).toEqual([]);
    p.tick(110 * MIN + 1);
    expect(p.verdict().stalled.map((s) => s.rule)).toEqual(['time-limit']);
  });

  it('ignores an answer that comes after its task finished', () => {
    const p = patrol();
    p.observe({ type: 'task_finished', taskId: T, outcome: 'done' });
    p.observe({ type: 'person_answered', taskId: T, atMs: MIN });
    p.tick(100 * MIN);
    expect(p.taskVerdict(T)).toBeUndefined();
    expect(p.verdict().stalled).toEqual([]);
  });

  it('explains a wall-clock stall', () => {
    const p = feed(patrol(), [agent({ type: 'turn_start', turn: 4 }), call('bash', { command: 'npm test' })]);
    p.tick(31 * MIN);
    expect(p.verdict().stalled[0]!.diagnosis).toBe('TASK-001 has run for 31 min 0 s, over its limit of 30 min 0 s (turn 4, last tool bash).');
  });

  it.each([
    ['three identical calls in a row', [['read_file', { path: 'a' }], ['read_file', { path: 'a' }], ['read_file', { path: 'a' }]], true],
    ['the same input in another key order', [['grep', { q: 'x', p: 'src' }], ['grep', { p: 'src', q: 'x' }], ['grep', { q: 'x', p: 'src' }]], true],
    ['two only', [['read_file', { path: 'a' }], ['read_file', { path: 'a' }]], false],
    ['another call in between', [['read_file', { path: 'a' }], ['read_file', { path: 'a' }], ['read_file', { path: 'b' }], ['read_file', { path: 'a' }]], false],
    ['same input, other tool', [['read_file', { path: 'a' }], ['read_file', { path: 'a' }], ['list_files', { path: 'a' }]], false],
  ] as const)('repeated calls: %s → stalled %s', (_title, calls, stalled) => {
    const p = patrol();
    for (const [name, input] of calls) feed(p, [call(name, input), result()]);
    expect(p.verdict().stalled.map((s) => s.rule)).toEqual(stalled ? ['repeated-call'] : []);
  });

  it('does not count one call id reported twice as a repeat', () => {
    const p = patrol();
    const same = agent({ type: 'tool_call', id: 'toolu_same', name: 'read_file', input: { path: 'a' } });
    feed(p, [same, same, same]);
    expect(p.verdict().stalled).toEqual([]);
  });

  it('diagnoses a repeated call with its input and the last result', () => {
    const p = patrol();
    for (let i = 0; i < 3; i++) {
      p.observe(call('bash', { command: 'npm test' }));
      p.observe(agent({ type: 'tool_result', id: `toolu_${nextId}`, name: 'bash', display: 'exit 1: 3 failing', isError: true, reused: false }));
    }
    expect(p.verdict().stalled[0]!.diagnosis).toBe(
      'TASK-001 called bash 3 times in a row with the same input {"command":"npm test"}; it is repeating itself instead of making progress. The previous one failed: exit 1: 3 failing',
    );
  });

  it.each([
    ['8 turns of reading only', 8, [], true],
    ['7 turns', 7, [], false],
    ['a file change on turn 5 resets the count', 8, [5], false],
  ])('no progress: %s', (_title, turns, changeOn, stalled) => {
    const p = patrol();
    for (let turn = 1; turn <= turns; turn++) {
      feed(p, [call('read_file', { path: `f${turn}` }), result((changeOn as number[]).includes(turn) ? ['src/a.ts'] : undefined), turnEnd(turn)]);
    }
    expect(p.verdict().stalled.map((s) => s.rule)).toEqual(stalled ? ['no-progress'] : []);
  });

  it('counts a new receipt as progress, the same receipt again not', () => {
    const p = patrol({ idleTurnLimit: 3 });
    feed(p, [turnEnd(1), turnEnd(2), { type: 'receipt', taskId: T, receipt: failing() }, turnEnd(3), turnEnd(4)]);
    expect(p.verdict().stalled).toEqual([]);
    feed(p, [{ type: 'receipt', taskId: T, receipt: failing() }, turnEnd(5)]);
    expect(p.verdict().stalled.map((s) => s.diagnosis)).toEqual(['TASK-001 went 3 turns without changing a file or producing a new receipt (no tool calls).']);
  });

  it('starts the idle-turn count again with a new Builder run of the task (a repair, a review fix)', () => {
    const p = patrol({ idleTurnLimit: 3 });
    feed(p, [call('read_file', { path: 'a' }), result(), turnEnd(1), turnEnd(2), { type: 'run_started', taskId: T }, turnEnd(3), turnEnd(4)]);
    expect(p.verdict().stalled).toEqual([]);
    feed(p, [call('grep', { q: 'x' }), result(), turnEnd(5)]);
    expect(p.verdict().stalled.map((s) => s.diagnosis)).toEqual(['TASK-001 went 3 turns without changing a file or producing a new receipt (tools used: grep ×1).']);
  });

  it('names the tools used since the last progress', () => {
    const p = patrol({ idleTurnLimit: 2 });
    feed(p, [call('read_file', { path: 'a' }), result(), call('grep', { q: 'x' }), result(), turnEnd(1), call('read_file', { path: 'b' }), result(), turnEnd(2)]);
    expect(p.verdict().stalled[0]!.diagnosis).toContain('(tools used: read_file ×2, grep ×1)');
  });

  it('keeps the first stall reason and forgets the task once it finishes', () => {
    const p = patrol({ idleTurnLimit: 1 });
    feed(p, [turnEnd(1)]);
    p.tick(60 * MIN);
    expect(p.verdict().stalled.map((s) => s.rule)).toEqual(['no-progress']);
    p.observe({ type: 'task_finished', taskId: T, outcome: 'failed' });
    expect(p.verdict().stalled).toEqual([]);
    expect(p.taskVerdict(T)).toBeUndefined();
  });
});

describe('Patrol: parallel tasks and the build', () => {
  it('keeps tasks apart: one stalls, the other does not', () => {
    const p = patrol({ idleTurnLimit: 2 });
    p.observe({ type: 'task_started', taskId: 'TASK-002', atMs: 0 });
    feed(p, [turnEnd(1), turnEnd(1, 'TASK-002'), result(['x.ts'], 'TASK-002'), turnEnd(2), turnEnd(2, 'TASK-002')]);
    expect(p.verdict().stalled.map((s) => s.taskId)).toEqual([T]);
    expect(p.taskVerdict('TASK-002')).toEqual({ kind: 'ok' });
  });

  it('times a task it never saw start from the latest tick', () => {
    const p = new Patrol({ taskTimeLimitMs: 10 });
    p.tick(1_000);
    p.observe(turnEnd(1, 'TASK-009'));
    p.tick(1_010);
    expect(p.verdict().stalled).toEqual([]);
    p.tick(1_011);
    expect(p.verdict().stalled.map((s) => s.taskId)).toEqual(['TASK-009']);
  });

  it.each([
    ['five failures in a row pause the build', ['failed', 'failed', 'failed', 'failed', 'failed'], 'paused'],
    ['four are not enough', ['failed', 'failed', 'failed', 'failed'], 'running'],
    ['a success in between resets the count', ['failed', 'failed', 'failed', 'done', 'failed', 'failed'], 'running'],
  ] as const)('%s', (_title, outcomes, kind) => {
    const p = new Patrol({ taskTimeLimitMs: MIN });
    outcomes.forEach((outcome, i) => p.observe({ type: 'task_finished', taskId: `TASK-00${i + 1}`, outcome }));
    expect(p.verdict().build.kind).toBe(kind);
  });

  it('says which tasks failed, and resumes on request', () => {
    const p = new Patrol({ taskTimeLimitMs: MIN });
    for (let i = 1; i <= 5; i++) p.observe({ type: 'task_finished', taskId: `TASK-00${i}`, outcome: 'failed' });
    const build = p.verdict().build;
    expect(build).toMatchObject({ kind: 'paused', failedTasks: ['TASK-001', 'TASK-002', 'TASK-003', 'TASK-004', 'TASK-005'] });
    if (build.kind === 'paused') expect(build.reason).toContain('5 tasks failed one after another (TASK-001, TASK-002, TASK-003, TASK-004, TASK-005)');
    p.resume();
    expect(p.verdict().build).toEqual({ kind: 'running' });
    p.observe({ type: 'task_finished', taskId: 'TASK-006', outcome: 'failed' });
    expect(p.verdict().build.kind).toBe('running');
  });

  it('a task started again starts with a clean slate', () => {
    const p = patrol({ idleTurnLimit: 1 });
    feed(p, [turnEnd(1)]);
    expect(p.verdict().stalled).toHaveLength(1);
    p.observe({ type: 'task_started', taskId: T, atMs: 5 * MIN });
    expect(p.verdict().stalled).toEqual([]);
    p.tick(35 * MIN);
    expect(p.verdict().stalled).toEqual([]);
  });
});
