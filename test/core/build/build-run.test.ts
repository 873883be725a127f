import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../src/core/agent/agent-types.js';
import type { Decision } from '../../../src/core/build/build-record.js';
import type { BuildRun } from '../../../src/core/build/build-run.js';
import type { BuildProgress, TaskHooks } from '../../../src/core/build/build-run-ports.js';
import { abortedResult, blockedResult, doneResult, receipt, runRecord, shaOf, task } from './build-fixtures.js';
import { PROJECT, aborted, done, fakeGit, graphOf, harness, manualClock, modelTurn, recordOf, type Step } from './build-run-harness.js';

/* The build coordinator with one worker, questions, the patrol and the stops (harness: build-run-harness.ts; several workers: build-run-parallel.test.ts). */

describe('BuildRun, one worker', () => {
  it('runs a three-task chain in order in the project directory and completes with DONE records', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002', ['TASK-001']), task('TASK-003', ['TASK-002']));
    const usage: AgentEvent = { type: 'usage', model: 'm', usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 5, cacheWriteTokens: 0 }, durationMs: 1, stopReason: 'end_turn' };
    const h = harness({
      graph,
      steps: {
        'TASK-001': [(_t, _d, hooks) => (hooks.onEvent(usage), doneResult('TASK-001'))],
        'TASK-002': [done('TASK-002')],
        'TASK-003': [done('TASK-003')],
      },
    });

    expect(await h.run.run()).toEqual({ kind: 'complete' });

    expect(h.log).toEqual(['start TASK-001', 'end TASK-001', 'start TASK-002', 'end TASK-002', 'start TASK-003', 'end TASK-003']);
    expect(h.calls.map((c) => c.dir)).toEqual([PROJECT, PROJECT, PROJECT]);
    expect(h.started.map((s) => s.where)).toEqual(['project', 'project', 'project']);
    // No worktree, no merge, nothing set aside: DONE tasks commit in place (git is only asked where each starts from).
    expect(h.git.calls).toEqual([`status ${PROJECT}`, `status ${PROJECT}`, `status ${PROJECT}`]);
    const progress = h.run.progress();
    for (const id of ['TASK-001', 'TASK-002', 'TASK-003']) {
      const r = recordOf(progress, id);
      expect(r).toMatchObject({ status: 'DONE', sha: shaOf(id), attempts: 1, summary: `${id} built`, finishedAt: '2025-02-03T04:05:06.000Z' });
      expect(r.receipts).toEqual([receipt()]);
      expect(r.landedSha).toBeUndefined();
      // Each record says the task ran in place and from which commit (a crash is recovered by it).
      expect(r.inPlace).toEqual({ base: 'abc' });
    }
    expect(recordOf(progress, 'TASK-001')).toMatchObject({ inputTokens: 105, outputTokens: 20, costUsd: 0.25 });
    // Every step was saved: the last save holds the finished build.
    expect(h.persisted.at(-1)!.records.map((r) => r.status)).toEqual(['DONE', 'DONE', 'DONE']);
    // A record was saved IN-PROGRESS before each task ran (a crash resumes it).
    expect(h.persisted.some((p) => p.records.length === 1 && p.records[0]!.status === 'IN-PROGRESS')).toBe(true);
  });
});

describe('BuildRun, questions', () => {
  const question = (questions: string[]): Step => (t) => ({ ...runRecord(t.id), kind: 'needs_context', questions });

  it('turns NEEDS_CONTEXT into decision D-1, goes on with independent work, and ends waiting', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'));
    const h = harness({ graph, steps: { 'TASK-001': [question(['Which database should it use?'])], 'TASK-002': [done('TASK-002')] } });

    expect(await h.run.run()).toEqual({ kind: 'waiting', tasks: ['TASK-001'], held: [] });

    const progress = h.run.progress();
    expect(progress.decisions).toEqual([{ id: 'D-1', taskId: 'TASK-001', question: 'Which database should it use?', askedAt: '2025-02-03T04:05:06.000Z' }]);
    expect(recordOf(progress, 'TASK-001').status).toBe('NEEDS_CONTEXT');
    expect(recordOf(progress, 'TASK-001').reason).toContain('!decide D-1');
    expect(recordOf(progress, 'TASK-002').status).toBe('DONE');
    // The leftovers of the unfinished task were set aside (here: nothing to save).
    expect(h.git.calls.filter((c) => !c.startsWith('status '))).toEqual([`setAside ${PROJECT} task-001-leftovers`]);
    expect(h.persisted.at(-1)!.decisions.map((d) => d.id)).toEqual(['D-1']);
  });

  it('update() with the answer re-queues the task, which runs again with the answer in its description', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'));
    let run!: BuildRun;
    const answer = (p: BuildProgress): BuildProgress => ({
      records: p.records.map((r) => (r.id === 'TASK-001' ? { ...r, status: 'PENDING' as const } : r)),
      decisions: p.decisions.map((d) => (d.id === 'D-1' ? { ...d, answer: 'Postgres 16', answeredAt: '2025-02-03T05:00:00.000Z' } : d)),
    });
    const h = harness({
      graph,
      steps: {
        'TASK-001': [question(['Which database should it use?']), done('TASK-001')],
        // The person answers while TASK-002 is running.
        'TASK-002': [async () => (await run.update(answer), doneResult('TASK-002'))],
      },
    });
    run = h.run;

    expect(await h.run.run()).toEqual({ kind: 'complete' });

    expect(h.calls.map((c) => c.task.id)).toEqual(['TASK-001', 'TASK-002', 'TASK-001']);
    expect(h.calls[0]!.task.description).toBe('Implement part 001.');
    const told = h.calls[2]!.task.description;
    expect(told).toContain('Implement part 001.');
    expect(told).toContain('D-1 — question: Which database should it use?');
    expect(told).toContain('answer from the person: Postgres 16');
    expect(recordOf(h.run.progress(), 'TASK-001')).toMatchObject({ status: 'DONE', attempts: 2 });
  });

  it('a new build over the answered decision and a PENDING record runs the task with the answer', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'));
    const first = harness({ graph, steps: { 'TASK-001': [question(['Which port?'])], 'TASK-002': [done('TASK-002')] } });
    await first.run.run();
    const saved = first.persisted.at(-1)!;
    const resumed: BuildProgress = {
      records: saved.records.map((r) => (r.id === 'TASK-001' ? { ...r, status: 'PENDING' } : r)),
      decisions: saved.decisions.map((d): Decision => ({ ...d, answer: '8080', answeredAt: '2025-02-03T05:00:00.000Z' })),
    };
    const second = harness({ graph, progress: resumed, steps: { 'TASK-001': [done('TASK-001')] } });

    expect(await second.run.run()).toEqual({ kind: 'complete' });
    expect(second.calls.map((c) => c.task.id)).toEqual(['TASK-001']); // TASK-002 is DONE: not run again
    expect(second.calls[0]!.task.description).toContain('answer from the person: 8080');
  });
});

describe('BuildRun, the patrol and the stops', () => {
  it('stops a task that makes the same tool call three times in a row as STALLED with a diagnosis', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002', ['TASK-001']));
    const repeating: Step = async (_t, _d, hooks) => {
      await modelTurn();
      for (let i = 1; i <= 3; i++) hooks.onEvent({ type: 'tool_call', id: `call-${i}`, name: 'read_file', input: { path: 'src/a.mjs' } });
      // The runner notices the abort between steps and ends the run as 'aborted'.
      await aborted(hooks);
      return abortedResult('TASK-001');
    };
    const h = harness({ graph, steps: { 'TASK-001': [repeating] } });

    expect(await h.run.run()).toEqual({ kind: 'waiting', tasks: ['TASK-001', 'TASK-002'], held: [{ taskId: 'TASK-002', waitsFor: ['TASK-001'] }] });

    const r = recordOf(h.run.progress(), 'TASK-001');
    expect(r.status).toBe('STALLED');
    expect(r.reason).toContain('repeated-call');
    expect(r.reason).toContain('called read_file 3 times in a row');
    expect(r.reason).toContain('!retry TASK-001');
    expect(h.notes.some((n) => n.startsWith('TASK-001 is STALLED'))).toBe(true);
    expect(h.calls.map((c) => c.task.id)).toEqual(['TASK-001']);
  });

  /** One Builder turn that reads `path` (and changes nothing), or writes it. */
  const turn = (hooks: TaskHooks, n: number, path: string, writes = false): void => {
    hooks.onEvent({ type: 'tool_call', id: `t${n}`, name: writes ? 'write_file' : 'read_file', input: { path } });
    hooks.onEvent({ type: 'tool_result', id: `t${n}`, name: writes ? 'write_file' : 'read_file', display: 'ok', isError: false, reused: false, ...(writes ? { changedFiles: [path] } : {}) });
    hooks.onEvent({ type: 'turn_end', turn: n, stopReason: 'tool_use' });
  };

  it('a repair run after failed gates may read for a few turns: the receipts and the new run count as progress, so it is not STALLED', async () => {
    const graph = graphOf(task('TASK-001'));
    const gateFailure = [receipt({ exitCode: 1, outputSha256: '1'.repeat(64), outputTail: 'not ok 1' })];
    const repairing: Step = async (t, _d, hooks) => {
      await modelTurn();
      let n = 0;
      hooks.onPhase({ kind: 'builder', run: 1 });
      turn(hooks, ++n, 'src/a.mjs', true);
      for (const f of ['b', 'c']) turn(hooks, ++n, `src/${f}.mjs`);
      // The gates fail the same way twice; each repair run reads three files before it edits.
      for (const run of [2, 3]) {
        hooks.onPhase({ kind: 'gates', commands: ['npm test'] });
        hooks.onReceipts(gateFailure);
        hooks.onPhase({ kind: 'builder', run });
        for (const f of ['e', 'f', 'g']) turn(hooks, ++n, `src/${f}${run}.mjs`);
      }
      hooks.onPhase({ kind: 'gates', commands: ['npm test'] });
      hooks.onReceipts([receipt()]);
      return hooks.signal.aborted ? abortedResult(t.id) : doneResult(t.id);
    };
    const h = harness({ graph, patrol: { taskTimeLimitMs: 60 * 60_000, idleTurnLimit: 4 }, steps: { 'TASK-001': [repairing] } });

    expect(await h.run.run()).toEqual({ kind: 'complete' });
    expect(recordOf(h.run.progress(), 'TASK-001').status).toBe('DONE');
    expect(h.notes).toEqual([]);
  });

  it('a task that loops on reads with no file change and no receipt is STALLED with the diagnosis', async () => {
    const graph = graphOf(task('TASK-001'));
    const reading: Step = async (t, _d, hooks) => {
      await modelTurn();
      hooks.onPhase({ kind: 'builder', run: 1 });
      for (let n = 1; n <= 4; n++) turn(hooks, n, `src/${n}.mjs`);
      await aborted(hooks);
      return abortedResult(t.id);
    };
    const h = harness({ graph, patrol: { taskTimeLimitMs: 60 * 60_000, idleTurnLimit: 4 }, steps: { 'TASK-001': [reading] } });

    expect((await h.run.run()).kind).toBe('waiting');
    const r = recordOf(h.run.progress(), 'TASK-001');
    expect(r.status).toBe('STALLED');
    expect(r.reason).toContain('STALLED (no-progress): TASK-001 went 4 turns without changing a file or producing a new receipt (tools used: read_file ×4).');
    expect(h.notes).toEqual([expect.stringContaining('TASK-001 is STALLED: TASK-001 went 4 turns without changing a file')]);
  });

  it("counts the reviewer's usage in the task's cost and shows its events and phases, but the patrol does not watch a reviewer's reads", async () => {
    const graph = graphOf(task('TASK-001'));
    const events: string[] = [];
    const phases: string[] = [];
    const usage: AgentEvent = { type: 'usage', model: 'm', usage: { inputTokens: 40, outputTokens: 4, cacheReadTokens: 0, cacheWriteTokens: 0 }, durationMs: 1, stopReason: 'end_turn' };
    const reviewing: Step = async (_t, _d, hooks) => {
      await modelTurn();
      hooks.onPhase({ kind: 'review', stage: 'spec', round: 1 });
      for (let i = 1; i <= 3; i++) hooks.onReviewEvent({ type: 'tool_call', id: `read-${i}`, name: 'read_file', input: { path: 'src/a.mjs' } });
      hooks.onReviewEvent(usage);
      return doneResult('TASK-001');
    };
    const h = harness({
      graph,
      steps: { 'TASK-001': [reviewing] },
      observer: { taskEvent: (_id, event) => events.push(event.type), taskPhase: (id, phase) => phases.push(`${id} ${phase.kind}`) },
    });

    expect(await h.run.run()).toEqual({ kind: 'complete' });
    const r = recordOf(h.run.progress(), 'TASK-001');
    expect(r.status).toBe('DONE');
    expect([r.inputTokens, r.outputTokens, r.costUsd]).toEqual([40, 4, 0.25]);
    expect(events).toEqual(['tool_call', 'tool_call', 'tool_call', 'usage']);
    expect(phases).toEqual(['TASK-001 review']);
  });

  it('does not count the time a task waits for the person against its time limit', async () => {
    const graph = graphOf(task('TASK-001'));
    const clock = manualClock();
    let answer!: (decision: string) => void;
    const asking: Step = async (t, _d, hooks) => {
      await modelTurn();
      clock.advance(10 * 60_000);
      const decision = await hooks.waitForPerson(() => new Promise<string>((resolve) => (answer = resolve)));
      // The person answered y after two hours: the task goes on, with 20 of its 30 minutes left.
      clock.advance(15 * 60_000);
      clock.tick();
      return hooks.signal.aborted ? abortedResult(t.id) : decision === 'yes' ? doneResult(t.id) : blockedResult(t.id);
    };
    const h = harness({ graph, clock, patrol: { taskTimeLimitMs: 30 * 60_000 }, steps: { 'TASK-001': [asking] } });

    const ending = h.run.run();
    while (answer === undefined) await modelTurn();
    clock.advance(2 * 60 * 60_000);
    clock.tick();
    expect(h.notes).toEqual([]);
    answer('yes');

    expect(await ending).toEqual({ kind: 'complete' });
    expect(recordOf(h.run.progress(), 'TASK-001').status).toBe('DONE');
    expect(h.notes).toEqual([]);
  });

  it('still stops a task that runs past its time limit apart from its waits for the person', async () => {
    const graph = graphOf(task('TASK-001'));
    const clock = manualClock();
    const slow: Step = async (t, _d, hooks) => {
      await modelTurn();
      clock.advance(20 * 60_000);
      await hooks.waitForPerson(async () => clock.advance(60 * 60_000));
      clock.advance(11 * 60_000);
      clock.tick();
      await aborted(hooks);
      return abortedResult(t.id);
    };
    const h = harness({ graph, clock, patrol: { taskTimeLimitMs: 30 * 60_000 }, steps: { 'TASK-001': [slow] } });

    expect((await h.run.run()).kind).toBe('waiting');
    const r = recordOf(h.run.progress(), 'TASK-001');
    expect(r.status).toBe('STALLED');
    expect(r.reason).toContain('has run for 31 min 0 s, over its limit of 30 min 0 s');
  });

  it('pauses the build after five failed tasks in a row', async () => {
    const ids = ['TASK-001', 'TASK-002', 'TASK-003', 'TASK-004', 'TASK-005', 'TASK-006'];
    const graph = graphOf(...ids.map((id) => task(id)));
    const h = harness({ graph, steps: Object.fromEntries(ids.map((id) => [id, [() => blockedResult(id)]])) });

    const ending = await h.run.run();

    expect(ending.kind).toBe('paused');
    expect(ending.kind === 'paused' && ending.reason).toContain('5 tasks failed one after another (TASK-001, TASK-002, TASK-003, TASK-004, TASK-005)');
    expect(h.calls.map((c) => c.task.id)).toEqual(ids.slice(0, 5));
    expect(h.run.progress().records.map((r) => r.status)).toEqual(['BLOCKED', 'BLOCKED', 'BLOCKED', 'BLOCKED', 'BLOCKED']);
  });

  it('starts no new task after a budget refusal; the refused task restarts with the next run, without !retry', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'));
    const refused: Step = (t) => ({ ...runRecord(t.id), kind: 'budget_refused', message: 'The next call would pass the $5.00 budget.' });
    const h = harness({ graph, steps: { 'TASK-001': [refused], 'TASK-002': [done('TASK-002')] } });

    expect(await h.run.run()).toEqual({ kind: 'budget', message: 'The next call would pass the $5.00 budget.' });
    expect(h.calls.map((c) => c.task.id)).toEqual(['TASK-001']);
    const record = recordOf(h.run.progress(), 'TASK-001');
    expect(record.status).toBe('IN-PROGRESS');
    expect(record.reason).toContain('stopped before spending past the budget');

    const resumed = harness({ graph, progress: h.run.progress(), steps: { 'TASK-001': [done('TASK-001')], 'TASK-002': [done('TASK-002')] } });
    expect(await resumed.run.run()).toEqual({ kind: 'complete' });
    expect(resumed.calls.map((c) => c.task.id)).toEqual(['TASK-001', 'TASK-002']);
    expect(recordOf(resumed.run.progress(), 'TASK-001')).toMatchObject({ status: 'DONE', attempts: 2 });
  });

  it('ends aborted with the running task IN-PROGRESS; a resumed build restarts it and never re-runs DONE tasks', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002', ['TASK-001']), task('TASK-003', ['TASK-002']));
    const build = new AbortController();
    const interrupted: Step = async (t, _d, hooks) => {
      await modelTurn();
      build.abort(); // the person types !pause (or the process is stopped) while TASK-002 works
      await aborted(hooks);
      return abortedResult(t.id);
    };
    const first = harness({ graph, signal: build.signal, steps: { 'TASK-001': [done('TASK-001')], 'TASK-002': [interrupted] } });

    expect(await first.run.run()).toEqual({ kind: 'aborted' });
    const saved = first.persisted.at(-1)!;
    expect(saved.records.map((r) => [r.id, r.status])).toEqual([
      ['TASK-001', 'DONE'],
      ['TASK-002', 'IN-PROGRESS'],
    ]);
    expect(recordOf(saved, 'TASK-002').reason).toContain('restarts from its last checkpoint');
    expect(first.calls.map((c) => c.task.id)).toEqual(['TASK-001', 'TASK-002']);

    const second = harness({ graph, progress: saved, steps: { 'TASK-002': [done('TASK-002')], 'TASK-003': [done('TASK-003')] } });
    expect(await second.run.run()).toEqual({ kind: 'complete' });
    expect(second.calls.map((c) => c.task.id)).toEqual(['TASK-002', 'TASK-003']);
    expect(recordOf(second.run.progress(), 'TASK-002')).toMatchObject({ status: 'DONE', attempts: 2 });
    expect(recordOf(second.run.progress(), 'TASK-001')).toMatchObject({ status: 'DONE', attempts: 1, sha: shaOf('TASK-001') });
    expect(recordOf(second.run.progress(), 'TASK-002').reason).toBeUndefined();
  });
});

/*
 * Stops and failures at awkward moments; each was once a defect and is fixed: a stop that
 * arrives while a task's IN-PROGRESS record is being saved keeps the task from starting (it
 * restarts with the build), and a git port that throws while a task lands ends that task
 * (as crashed) instead of holding up the merge queue and hanging the build.
 */
describe('BuildRun, stops and failures at awkward moments', () => {
  it('a stop requested while a task is being saved IN-PROGRESS still reaches that task', async () => {
    const graph = graphOf(task('TASK-001'));
    const build = new AbortController();
    const seen: boolean[] = [];
    const h = harness({
      graph,
      signal: build.signal,
      // The person stops the build while the record that starts TASK-001 is being written.
      onPersist: (progress) => {
        if (progress.records.some((r) => r.id === 'TASK-001' && r.status === 'IN-PROGRESS')) build.abort();
      },
      steps: {
        'TASK-001': [
          async (t, _d, hooks) => {
            seen.push(hooks.signal.aborted);
            await Promise.race([aborted(hooks), new Promise((r) => setTimeout(r, 50))]);
            return hooks.signal.aborted ? abortedResult(t.id) : doneResult(t.id);
          },
        ],
      },
    });

    expect(await h.run.run()).toEqual({ kind: 'aborted' });
    // Either it must not start, or it must start already stopped.
    expect(seen.every((wasAborted) => wasAborted)).toBe(true);
  });

  it('a port that throws while a task lands does not hang the build', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'));
    const git = fakeGit();
    git.mergeBranch = async () => {
      throw new Error('simple-git: spawn EMFILE');
    };
    const h = harness({ graph, maxWorkers: 2, git, steps: { 'TASK-001': [done('TASK-001')], 'TASK-002': [done('TASK-002')] } });

    const settled = await Promise.race([h.run.run().then(() => 'settled', () => 'settled'), new Promise((r) => setTimeout(() => r('hung'), 300))]);
    expect(settled).toBe('settled');
  });
});
