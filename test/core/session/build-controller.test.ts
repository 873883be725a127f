import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { abortedResult, doneResult, runRecord, shaOf, task } from '../build/build-fixtures.js';
import { builds, cleanUp, heldStep, latch, setUp, START, untilAborted, type Step } from './build-controller-fixtures.js';

/*
 * The Builder as the person meets it, over real stores and a scripted execute(): the run from
 * start to BUILD_REPORT.md, the live board, Ctrl+C and the next start, worktrees, and
 * per_task autonomy. The dialogs (dirty tree, decisions, retry/skip, approvals) are in
 * build-controller-dialogs.test.ts.
 */

afterEach(cleanUp);

describe('BuildController: the gate scripts', () => {
  const CONCERN = 'This task changed the gate script "test" in package.json: it was `node --test`, now `exit 0`. The gates ran the new script; check that the task did not weaken its own gates.';

  it('records them in HANDOFF when the build starts, gives each task the record, and keeps a change with its concern in the report', async () => {
    // TASK-001 weakens `test` (runTask found it: the concern), TASK-002 leaves the scripts alone.
    const weakens: Step = (request) => ({ ...doneResult(request.task.id), concerns: [CONCERN], gateScripts: { test: 'exit 0' } });
    const keeps: Step = (request) => ({ ...doneResult(request.task.id), gateScripts: { ...request.gateScripts } });
    const h = await setUp({ tasks: [task('TASK-001'), task('TASK-002', ['TASK-001'])], steps: { 'TASK-001': [weakens], 'TASK-002': [keeps] } });
    h.gateScripts = { test: 'node --test' };

    await h.controller.start(h.project);

    // Each task is compared with the record as it stood when it started.
    expect(h.executions.map((e) => e.gateScripts)).toEqual([{ test: 'node --test' }, { test: 'exit 0' }]);
    const stored = await h.stored();
    expect(stored.build?.gateScripts).toEqual({ test: 'exit 0' });
    expect(stored.tasks[0]!.concerns).toEqual([CONCERN]);
    // Shown with the task's receipts when it ends, and in BUILD_REPORT.md.
    const ended = h.seen.said.find((e) => e.text.startsWith('✓ TASK-001 DONE'))!.text;
    expect(ended).toContain('Gates: PASS');
    expect(ended).toContain(`  • concern: ${CONCERN}`);
    expect(await h.artifact('BUILD_REPORT.md')).toContain(`- Concern: ${CONCERN}`);
  });

  it('a project without gate scripts yet records the ones its first task creates', async () => {
    const creates: Step = (request) => ({ ...doneResult(request.task.id), gateScripts: { test: 'node --test' } });
    const h = await setUp({ tasks: [task('TASK-001'), task('TASK-002', ['TASK-001'])], steps: { 'TASK-001': [creates], 'TASK-002': [builds] } });

    await h.controller.start(h.project);

    expect(h.executions.map((e) => e.gateScripts)).toEqual([undefined, { test: 'node --test' }]);
    expect((await h.stored()).build?.gateScripts).toEqual({ test: 'node --test' });
    expect((await h.stored()).tasks[0]!.concerns).toEqual([]);
  });
});

describe('BuildController: a build from start to report', () => {
  it('builds a clean project task by task, then writes BUILD_REPORT.md, reaches "built", says what it cost and rings once', async () => {
    const h = await setUp({ tasks: [task('TASK-001'), task('TASK-002', ['TASK-001'])], steps: { 'TASK-001': [builds], 'TASK-002': [builds] } });
    h.git.stale = 1;

    await h.controller.start(h.project);

    expect(h.executions.map((e) => [e.task.id, e.dir])).toEqual([
      ['TASK-001', h.projectDir],
      ['TASK-002', h.projectDir],
    ]);
    expect(h.executions[0]!.projectId).toBe(h.project.id);
    expect(h.executions[0]!.context).toEqual([{ name: 'TDD.md', text: '# TDD' }]);
    // Nothing of the person's is touched in a clean tree: only the worktree an earlier run left is removed.
    expect(h.git.calls).toEqual(['listWorktrees', 'removeWorktree /old/0']);

    const stored = await h.stored();
    expect(stored.tasks.map((r) => [r.id, r.status, r.sha, r.attempts])).toEqual([
      ['TASK-001', 'DONE', shaOf('TASK-001'), 1],
      ['TASK-002', 'DONE', shaOf('TASK-002'), 1],
    ]);
    expect(stored.tasks[0]).toMatchObject({ inputTokens: 1_000, outputTokens: 100, costUsd: 0.25, summary: 'TASK-001 built' });
    expect(stored.milestone).toBe('built');
    expect(stored.build?.completedAt).toBe(new Date(START).toISOString());
    expect(h.project.handoff).toEqual(stored);
    expect(await h.statuses()).toEqual({ 'TASK-001': 'DONE', 'TASK-002': 'DONE' });
    const report = await h.artifact('BUILD_REPORT.md');
    expect(report).toContain('# Build report: sums');
    expect(report).toContain('- Tasks: 2 (2 DONE)');
    expect(report).toContain(`- Commit: ${shaOf('TASK-002')}`);
    expect(report).toContain('cost $0.5000');

    const text = h.text();
    expect(text).toContain('Cleaned up 1 worktree left by an earlier run.');
    expect(text).toContain('Builder (agent 3) is building 2 tasks one at a time.');
    expect(text).toContain(`✓ TASK-001 DONE — commit ${shaOf('TASK-001').slice(0, 12)}: TASK-001 built`);
    expect(h.seen.said.at(-1)).toEqual({
      tone: 'success',
      text: `Build complete: 2 tasks DONE, one commit each; the build spent $0.5000.\nReport: ${path.join(h.ports.projects.artifactPath(h.project.id, 'BUILD_REPORT.md'))}\nReview it; when you agree, type !critic.`,
    });
    expect(h.seen.changed).toBe(1);
    expect(h.seen.bells).toBe(1);
    expect(h.seen.pauses).toEqual([]);
    // The board is gone and nothing ticks any more.
    expect(h.seen.lives.at(-1)).toBeUndefined();
    expect(h.ticking()).toBe(0);
    expect(h.controller.running()).toBe(false);
    expect(h.controller.waitingFor()).toBeUndefined();
  });

  it('runs independent tasks in their own worktrees and lands each through the merge queue', async () => {
    const h = await setUp({ tasks: [task('TASK-001'), task('TASK-002')], maxWorkers: 2, steps: { 'TASK-001': [builds], 'TASK-002': [builds] } });

    await h.controller.start(h.project);

    const root = h.ports.build!.worktreeRoot(h.project.id);
    expect(h.executions.map((e) => e.dir).sort()).toEqual([`${root}/TASK-001-1`, `${root}/TASK-002-1`]);
    const prefix = `codesleuth/${h.project.id}/`;
    for (const id of ['task-001', 'task-002']) {
      expect(h.git.calls).toContain(`addWorktree ${prefix}${id}-1`);
      expect(h.git.calls).toContain(`mergeBranch ${prefix}${id}-1`);
    }
    expect(h.seen.lives.some((board) => board?.includes('starting in its worktree'))).toBe(true);
    expect((await h.stored()).tasks.map((r) => [r.id, r.status, r.landedSha])).toEqual([
      ['TASK-001', 'DONE', 'e'.repeat(40)],
      ['TASK-002', 'DONE', 'e'.repeat(40)],
    ]);
    expect(h.text()).toContain('with up to 2 at once');
    expect(h.text()).toContain(`(landed ${'e'.repeat(12)})`);
  });
});

describe('BuildController: the live board', () => {
  it('shows each task, its phase and its tool activity, and the elapsed time moves on with each tick', async () => {
    const boards: string[] = [];
    const look = (h: { board(): string | undefined }) => boards.push(h.board() ?? '(none)');
    const watched: Step = (request, h) => {
      look(h);
      request.onPhase({ kind: 'builder', run: 1 });
      request.onEvent({ type: 'tool_call', id: 't1', name: 'write_file', input: { path: 'src/part-001.mjs' } });
      look(h);
      request.onPhase({ kind: 'gates', commands: ['npm test'] });
      look(h);
      h.advance(42_000);
      h.tick();
      look(h);
      request.onPhase({ kind: 'review', stage: 'spec', round: 1 });
      request.onReviewEvent({ type: 'turn_start', turn: 2 });
      look(h);
      h.advance(83_000);
      h.tick();
      look(h);
      request.onReviewEvent({ type: 'usage', model: 'm', usage: { inputTokens: 10, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 }, durationMs: 1, stopReason: 'end_turn' });
      look(h);
      return doneResult(request.task.id);
    };
    const h = await setUp({ tasks: [task('TASK-001'), task('TASK-002', ['TASK-001'])], steps: { 'TASK-001': [watched], 'TASK-002': [builds] } });

    await h.controller.start(h.project);

    const line = (board: string) => board.split('\n');
    expect(line(boards[0]!)).toEqual(['Task board', 'TASK-001 IN-PROGRESS   Build part 001 · 0 s — starting', 'TASK-002 PENDING       Build part 002']);
    expect(line(boards[1]!)[1]).toBe('TASK-001 IN-PROGRESS   Build part 001 · 0 s — Builder: write_file src/part-001.mjs');
    expect(line(boards[2]!)[1]).toBe('TASK-001 IN-PROGRESS   Build part 001 · 0 s — gates: npm test');
    expect(line(boards[3]!)[1]).toBe('TASK-001 IN-PROGRESS   Build part 001 · 42 s — gates: npm test');
    expect(line(boards[4]!)[1]).toBe('TASK-001 IN-PROGRESS   Build part 001 · 42 s — review: spec, round 1: thinking (turn 2)');
    expect(line(boards[5]!)[1]).toBe('TASK-001 IN-PROGRESS   Build part 001 · 2 min 05 s — review: spec, round 1: thinking (turn 2)');
    // A model call's cost shows at once, not at the next tick.
    expect(line(boards[6]!)[1]).toBe('TASK-001 IN-PROGRESS   Build part 001 · 2 min 05 s · $0.2500 — review: spec, round 1: thinking (turn 2)');
    // The first board, before any task started, lists the plan; a DONE task shows its commit and its cost.
    expect(h.seen.lives[0]).toBe('Task board\nTASK-001 PENDING       Build part 001\nTASK-002 PENDING       Build part 002');
    expect(h.seen.lives).toContain(`Task board\nTASK-001 DONE          Build part 001 · $0.2500 — ${shaOf('TASK-001').slice(0, 8)}\nTASK-002 IN-PROGRESS   Build part 002 · 0 s — starting`);
    expect(h.seen.lives.some((board) => board?.includes('TASK-002 IN-PROGRESS   Build part 002 · 0 s · $0.2500 — gates: npm test'))).toBe(true);
    expect(h.seen.lives.at(-1)).toBeUndefined();
  });
});

describe('BuildController: stopping and going on', () => {
  it('Ctrl+C stops the running task, which restarts on the next start; a DONE task is never run again', async () => {
    const running = latch();
    const stopped: Step = async (request) => {
      running.open();
      await untilAborted(request);
      return abortedResult(request.task.id);
    };
    const h = await setUp({ tasks: [task('TASK-001'), task('TASK-002', ['TASK-001'])], steps: { 'TASK-001': [builds], 'TASK-002': [stopped, builds] } });
    expect(h.controller.cancel()).toBe(false);

    const first = h.controller.start(h.project);
    await running.promise;
    expect(h.controller.running()).toBe(true);
    expect(h.controller.cancel()).toBe(true);
    await first;

    expect(h.controller.running()).toBe(false);
    const stored = await h.stored();
    expect(stored.tasks.map((r) => [r.id, r.status])).toEqual([
      ['TASK-001', 'DONE'],
      ['TASK-002', 'IN-PROGRESS'],
    ]);
    expect(stored.tasks[1]!.reason).toBe('stopped; it restarts from its last checkpoint when the build goes on.');
    expect(await h.statuses()).toEqual({ 'TASK-001': 'DONE', 'TASK-002': 'IN-PROGRESS' });
    // What the stopped task left in the project would be set aside, never swept into a commit.
    expect(h.git.calls).toContain('setAsideWork task-002-leftovers');
    expect(h.seen.said.at(-1)?.text).toContain('The build stopped. Finished tasks stay committed; unfinished ones restart from their last checkpoint when you type !continue.');
    expect(await h.artifact('BUILD_REPORT.md')).toBeUndefined();
    expect(stored.milestone).toBeUndefined();
    expect(h.seen.lives.at(-1)).toBeUndefined();

    await h.controller.act(h.project, { kind: 'continue' });

    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001', 'TASK-002', 'TASK-002']);
    expect(h.text()).toContain('is building 1 task. Ctrl+C stops it');
    const after = await h.stored();
    expect(after.tasks.map((r) => [r.id, r.status, r.attempts])).toEqual([
      ['TASK-001', 'DONE', 1],
      ['TASK-002', 'DONE', 2],
    ]);
    expect(after.milestone).toBe('built');
    expect(await h.artifact('BUILD_REPORT.md')).toContain('- Attempts: 2');
  });

  it('a HANDOFF.json write that fails stops the build with the reason, and the next !continue writes and builds again', async () => {
    const h = await setUp({ tasks: [task('TASK-001')], steps: { 'TASK-001': [builds] } });
    const save = h.ports.projects.saveHandoff.bind(h.ports.projects);
    let failures = 1;
    h.ports.projects.saveHandoff = async (id, handoff) => {
      if (failures-- > 0) throw new Error('ENOSPC: no space left on device');
      return save(id, handoff);
    };

    await h.controller.start(h.project);

    expect(h.seen.said.at(-1)).toEqual({ tone: 'error', text: 'The build stopped: ENOSPC: no space left on device. Finished tasks are committed; type !continue to go on.' });
    expect(h.executions).toEqual([]);
    expect(h.controller.running()).toBe(false);
    expect(h.seen.lives.at(-1)).toBeUndefined();

    // One failed write does not poison the ones after it.
    await h.controller.act(h.project, { kind: 'continue' });

    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001']);
    expect((await h.stored()).tasks.map((r) => [r.id, r.status])).toEqual([['TASK-001', 'DONE']]);
    expect((await h.stored()).milestone).toBe('built');
  });

  it('stops before spending past the budget, pauses the project, and !continue then restarts the refused task', async () => {
    const refused: Step = (request) => ({ ...runRecord(request.task.id), kind: 'budget_refused', message: 'the next call would pass the $5.00 budget.' });
    const h = await setUp({ tasks: [task('TASK-001'), task('TASK-002')], steps: { 'TASK-001': [refused, builds], 'TASK-002': [builds] } });

    await h.controller.start(h.project);

    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001']);
    expect(h.seen.pauses).toEqual(['budget']);
    expect(h.seen.said.at(-1)!.text).toBe(
      'The build stopped before spending past the budget: the next call would pass the $5.00 budget.\nThe project is paused: after !budget extend, type !resume, then !continue. Finished tasks stay committed; the stopped task restarts from its last checkpoint.',
    );
    expect((await h.stored()).tasks.map((r) => [r.id, r.status])).toEqual([['TASK-001', 'IN-PROGRESS']]);
    expect(await h.artifact('BUILD_REPORT.md')).toBeUndefined();

    // What the message promises: !continue goes on, the refused task first, without a !retry.
    await h.controller.act(h.project, { kind: 'continue' });
    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001', 'TASK-001', 'TASK-002']);
    expect((await h.stored()).milestone).toBe('built');
  });

  it('says so and changes nothing when the build is started twice', async () => {
    const { step: held, running, release } = heldStep();
    const h = await setUp({ tasks: [task('TASK-001')], steps: { 'TASK-001': [held] } });
    const first = h.controller.start(h.project);
    await running.promise;
    const second = h.controller.start(h.project);
    expect(h.text()).toContain('The build is already running.');
    release.open();
    await Promise.all([first, second]);
    expect(h.executions).toHaveLength(1);
    expect((await h.stored()).milestone).toBe('built');
  });
});

describe('BuildController: per_task autonomy', () => {
  it('stops after each DONE task until !continue, and completes after the last one without another stop', async () => {
    const h = await setUp({ tasks: [task('TASK-001'), task('TASK-002', ['TASK-001'])], steps: { 'TASK-001': [builds], 'TASK-002': [builds] } });
    await h.controller.act(h.project, { kind: 'autonomy', mode: 'per_task' });
    expect((await h.stored()).build?.autonomy).toBe('per_task');
    expect(h.text()).toContain('Autonomy per_task: the Builder stops after each task');

    await h.controller.start(h.project);

    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001']);
    expect(h.controller.waitingFor()).toBe('!continue');
    expect(h.seen.said.at(-1)).toEqual({ tone: 'warning', text: 'TASK-001 is DONE (per_task autonomy). Read its report above, then type !continue for the next task.' });
    expect(h.seen.bells).toBe(1);
    // Plain words do not go on; only !continue does.
    expect(await h.controller.answer('go on')).toBe(false);
    expect(h.controller.waitingFor()).toBe('!continue');

    await h.controller.act(h.project, { kind: 'continue' });

    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001', 'TASK-002']);
    expect(h.controller.waitingFor()).toBeUndefined();
    expect(h.controller.running()).toBe(false);
    expect((await h.stored()).milestone).toBe('built');
    expect(h.seen.said.at(-1)?.text).toMatch(/^Build complete: 2 tasks DONE/);
    expect(h.seen.bells).toBe(2);
  });

  it('keeps an autonomy change made while a task runs', async () => {
    let pending: Promise<void> | undefined;
    const switches: Step = (request, h) => {
      pending = h.controller.act(h.project, { kind: 'autonomy', mode: 'per_task' });
      return builds(request, h);
    };
    const h = await setUp({ tasks: [task('TASK-001'), task('TASK-002', ['TASK-001'])], steps: { 'TASK-001': [switches], 'TASK-002': [builds] } });

    await h.controller.start(h.project);
    await pending;

    expect(h.controller.waitingFor()).toBe('!continue');
    expect((await h.stored()).build?.autonomy).toBe('per_task');
    expect(h.project.handoff.build?.autonomy).toBe('per_task');
    expect((await h.stored()).tasks.map((r) => r.status)).toEqual(['DONE']);
    await h.controller.act(h.project, { kind: 'continue' });
    expect((await h.stored()).tasks.map((r) => r.status)).toEqual(['DONE', 'DONE']);
  });
});
