import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TaskResult } from '../../../src/core/build/task-result.js';
import type { ApprovalDecision, ApprovalRequest } from '../../../src/core/tools/types.js';
import { blankRecord } from '../../../src/core/build/task-outcome.js';
import { blockedResult, doneResult, runRecord, task } from '../build/build-fixtures.js';
import { BuildController } from '../../../src/core/session/build-controller.js';
import { builds, cleanUp, emptySeen, heldStep, latch, recordingHost, setUp, START, type Harness, type Step } from './build-controller-fixtures.js';

/*
 * What the Builder asks the person and what their answers do, over real stores: the dirty-tree
 * choice before anything moves, decisions (!decide), !retry and !skip, and approvals (y/n/a).
 */

afterEach(cleanUp);

const TWO = [task('TASK-001'), task('TASK-002', ['TASK-001'])];

async function dirty(files = ['src/app.mjs', 'notes.txt']): Promise<Harness> {
  const h = await setUp({ tasks: TWO, steps: { 'TASK-001': [builds], 'TASK-002': [builds] } });
  h.git.dirty = [...files];
  await h.controller.start(h.project);
  return h;
}

describe('BuildController: uncommitted work before the build', () => {
  it('asks commit, aside or cancel, listing the files; a wrong word asks again; cancel changes nothing', async () => {
    const h = await dirty();

    expect(h.seen.said).toHaveLength(1);
    expect(h.seen.said[0]!.text).toContain(`${h.projectDir} has uncommitted changes (2 files):\n  src/app.mjs\n  notes.txt\nThe Builder never sweeps them into a task commit.`);
    expect(h.seen.bells).toBe(1);
    expect(h.controller.waitingFor()).toBe('commit, aside or cancel');
    expect(h.controller.running()).toBe(false);
    expect(h.executions).toEqual([]);

    expect(await h.controller.answer('sure')).toBe(true);
    expect(h.seen.said.at(-1)).toMatchObject({ tone: 'error', text: expect.stringContaining('Type commit') });
    expect(h.controller.waitingFor()).toBe('commit, aside or cancel');

    expect(await h.controller.answer(' Cancel ')).toBe(true);
    expect(h.seen.said.at(-1)!.text).toContain('Build not started; your files are exactly as they were.');
    expect(h.controller.waitingFor()).toBeUndefined();
    expect(await h.controller.answer('commit')).toBe(false);
    expect(h.git.calls).toEqual([]);
    expect(h.git.dirty).toEqual(['src/app.mjs', 'notes.txt']);
    expect(h.executions).toEqual([]);
    const stored = await h.stored();
    expect(stored.tasks).toEqual([]);
    expect(stored.build).toBeUndefined();
  });

  it('commit: commits the person\'s work as their own commit first, then builds', async () => {
    const h = await dirty();

    await h.controller.answer('commit');

    expect(h.git.calls.slice(0, 2)).toEqual(['commitPersonWork Work in progress before the CodeSleuth build', 'listWorktrees']);
    expect(h.text()).toContain('Committed your changes as c0ffeec0ffee ("Work in progress before the CodeSleuth build").');
    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001', 'TASK-002']);
    expect((await h.stored()).milestone).toBe('built');
  });

  it('aside: saves the work to a snapshot ref kept in HANDOFF, shows how to get it back, then builds', async () => {
    const h = await dirty();

    await h.controller.answer('aside');

    const ref = 'refs/codesleuth/snapshots/2026-01-02T03-04-05.000Z-before-build';
    expect(h.git.calls[0]).toBe('setAsideWork before-build');
    const stored = await h.stored();
    expect(stored.build?.snapshot).toEqual({ ref, files: ['src/app.mjs', 'notes.txt'], restore: `git stash apply ${ref}` });
    expect(h.text()).toContain(`Set aside your uncommitted changes (2 files); they are kept at ${ref}.\ngit stash apply ${ref}`);
    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001', 'TASK-002']);
    expect(stored.milestone).toBe('built');
  });

  it('a failed commit or set-aside says nothing was lost, shows git\'s hint, and does not build', async () => {
    const h = await dirty();
    h.git.commitFailure = { kind: 'git-failed', message: 'The commit was refused: hook failed.', hint: 'A commit hook or signing setting may have stopped it.' };

    await h.controller.answer('commit');

    expect(h.seen.said.at(-1)).toEqual({
      tone: 'error',
      text: 'Could not commit your changes: The commit was refused: hook failed. A commit hook or signing setting may have stopped it. Nothing was lost. Commit your changes yourself, then type !continue.',
    });
    expect(h.executions).toEqual([]);
    expect(h.controller.running()).toBe(false);
    expect(h.controller.waitingFor()).toBeUndefined();

    // !continue asks again, since the work is still there.
    await h.controller.act(h.project, { kind: 'continue' });
    expect(h.controller.waitingFor()).toBe('commit, aside or cancel');
    h.git.asideFailure = { kind: 'locked', message: 'Another git process holds the repository lock' };
    await h.controller.answer('aside');
    expect(h.seen.said.at(-1)).toEqual({
      tone: 'error',
      text: 'Could not set your changes aside: Another git process holds the repository lock. Nothing was lost. Commit your changes yourself, then type !continue.',
    });
    expect(h.executions).toEqual([]);
    expect((await h.stored()).build).toBeUndefined();
  });

  it('Ctrl+C at the question drops it and leaves the files alone', async () => {
    const h = await dirty(['a.txt']);
    expect(h.seen.said[0]!.text).toContain('(1 file):\n  a.txt');
    expect(h.controller.cancel()).toBe(true);
    expect(h.controller.waitingFor()).toBeUndefined();
    expect(h.text()).toContain('Build not started; your files are as they were.');
    expect(h.git.calls).toEqual([]);
  });
});

/**
 * HANDOFF as a process killed in the middle of TASK-002 leaves it: TASK-001 DONE, TASK-002
 * IN-PROGRESS in the project directory from commit `base`, never ended; `files` uncommitted.
 */
async function killedInPlace(base: string | null, files: string[], ended = false): Promise<Harness> {
  const h = await setUp({ tasks: TWO, steps: { 'TASK-002': [builds] } });
  const at = new Date(START).toISOString();
  await h.project.update((handoff) => ({
    ...handoff,
    tasks: [
      { ...blankRecord('TASK-001'), status: 'DONE', attempts: 1, startedAt: at, finishedAt: at, sha: 'a'.repeat(40), inPlace: { base: 'c'.repeat(40) } },
      { ...blankRecord('TASK-002'), status: 'IN-PROGRESS', attempts: 1, startedAt: at, inPlace: { base }, ...(ended ? { finishedAt: at, reason: 'stopped; it restarts from its last checkpoint when the build goes on.' } : {}) },
    ],
  }));
  h.git.dirty = [...files];
  return h;
}

describe('BuildController: a task interrupted while it worked in the project', () => {
  it('sets what it had written aside to a ref named for it, says where and how to restore it, and restarts it from its checkpoint', async () => {
    const h = await killedInPlace('a'.repeat(40), ['src/part-002.mjs', 'test/part-002.test.mjs']);

    await h.controller.start(h.project);

    // Never offered to the person as their own work: no question, no commit of theirs.
    expect(h.controller.waitingFor()).toBeUndefined();
    expect(h.text()).not.toContain('has uncommitted changes');
    expect(h.git.calls).not.toContain('commitPersonWork Work in progress before the CodeSleuth build');
    expect(h.git.calls[0]).toBe('setAsideWork task-002-interrupted');
    const ref = 'refs/codesleuth/snapshots/2026-01-02T03-04-05.000Z-task-002-interrupted';
    const told = h.seen.said.find((s) => s.text.startsWith('TASK-002 was interrupted'));
    expect(told).toEqual({
      tone: 'warning',
      text:
        `TASK-002 was interrupted; what it had written is kept at ${ref} (2 files: everything that was uncommitted in the project, so anything you edited since is there too).\n` +
        `Restore: git stash apply ${ref}\n` +
        'TASK-002 restarts from its checkpoint aaaaaaaaaaaa.',
    });
    // Only the interrupted task runs again, from a clean tree; the DONE one is not redone.
    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-002']);
    const stored = await h.stored();
    expect(stored.tasks.find((r) => r.id === 'TASK-002')).toMatchObject({ status: 'DONE', attempts: 2 });
    expect(stored.milestone).toBe('built');
  });

  it('the first task of a repository with no commit yet restarts from the start', async () => {
    const h = await setUp({ tasks: [task('TASK-001')], steps: { 'TASK-001': [builds] }, head: null });
    const at = new Date(START).toISOString();
    await h.project.update((handoff) => ({ ...handoff, tasks: [{ ...blankRecord('TASK-001'), status: 'IN-PROGRESS', attempts: 1, startedAt: at, inPlace: { base: null } }] }));
    h.git.dirty = ['package.json'];

    await h.controller.start(h.project);

    expect(h.git.calls[0]).toBe('setAsideWork task-001-interrupted');
    expect(h.text()).toContain('(1 file: everything that was uncommitted in the project');
    expect(h.text()).toContain('TASK-001 restarts from the start (the repository had no commit yet).');
    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001']);
  });

  it('asks the person as usual when HEAD moved since, or when the task had ended (a clean stop set its work aside already)', async () => {
    const moved = await killedInPlace('b'.repeat(40), ['src/part-002.mjs']);
    await moved.controller.start(moved.project);
    expect(moved.controller.waitingFor()).toBe('commit, aside or cancel');
    expect(moved.seen.said[0]!.text).toContain(
      'TASK-002 was interrupted while it worked in the project, but HEAD moved since (from bbbbbbbbbbbb to aaaaaaaaaaaa), so what it had written cannot be told from your own changes.',
    );
    expect(moved.seen.said[0]!.text).toContain('has uncommitted changes (1 file)');
    expect(moved.git.calls).toEqual([]);

    const stopped = await killedInPlace('a'.repeat(40), ['notes.txt'], true);
    await stopped.controller.start(stopped.project);
    expect(stopped.controller.waitingFor()).toBe('commit, aside or cancel');
    expect(stopped.text()).not.toContain('was interrupted');
    expect(stopped.git.calls).toEqual([]);
  });

  it('a failed set-aside builds nothing, loses nothing, and says to fix it and !continue', async () => {
    const h = await killedInPlace('a'.repeat(40), ['src/part-002.mjs']);
    h.git.asideFailure = { kind: 'locked', message: 'Another git process holds the repository lock' };

    await h.controller.start(h.project);

    expect(h.seen.said.at(-1)).toEqual({
      tone: 'error',
      text: `TASK-002 was interrupted while it worked in ${h.projectDir}, and setting aside what it had written failed: Another git process holds the repository lock. Nothing was lost and nothing was built. Fix that (git status shows the files), then type !continue.`,
    });
    expect(h.executions).toEqual([]);
    expect(h.git.dirty).toEqual(['src/part-002.mjs']);
    expect(h.controller.running()).toBe(false);
  });
});

const needsContext = (question: string): Step => (request) => ({ ...runRecord(request.task.id), kind: 'needs_context', questions: [question] });

describe('BuildController: decisions', () => {
  it('a question becomes D-1 in HANDOFF and DECISIONS.md, rings at once, other tasks go on, and !decide runs the task again with the answer', async () => {
    let midBuild: { bells: number; waitingFor: string | undefined } | undefined;
    const whileBuilding: Step = (request, harness) => {
      midBuild = { bells: harness.seen.bells, waitingFor: harness.controller.waitingFor(harness.project) };
      return builds(request, harness);
    };
    const h = await setUp({
      tasks: [task('TASK-001'), task('TASK-002'), task('TASK-003', ['TASK-001'])],
      steps: { 'TASK-001': [needsContext('Round half up or half even?'), builds], 'TASK-002': [whileBuilding], 'TASK-003': [builds] },
    });

    await h.controller.start(h.project);
    // While TASK-002 was still building, the bell had rung for D-1 and the status bar named it.
    expect(midBuild).toEqual({ bells: 1, waitingFor: '1 decision (!decide)' });

    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001', 'TASK-002']);
    let stored = await h.stored();
    expect(stored.build?.decisions).toEqual([{ id: 'D-1', taskId: 'TASK-001', question: 'Round half up or half even?', askedAt: new Date(START).toISOString() }]);
    expect(stored.tasks.map((r) => [r.id, r.status])).toEqual([
      ['TASK-001', 'NEEDS_CONTEXT'],
      ['TASK-002', 'DONE'],
    ]);
    expect(await h.statuses()).toEqual({ 'TASK-001': 'BLOCKED', 'TASK-002': 'DONE', 'TASK-003': 'PENDING' });
    expect(await h.artifact('DECISIONS.md')).toContain('## D-1 (TASK-001) — OPEN\n\n- Asked: 2026-01-02T03:04:05.000Z\n- Question: Round half up or half even?');
    const waits = h.seen.said.at(-1)!.text;
    expect(waits).toContain('The build waits for you:\n  TASK-001 NEEDS_CONTEXT: waits for your answer: !decide D-1 <answer>.');
    expect(waits).toContain('  D-1 (TASK-001) asks: Round half up or half even?\nAnswer with !decide <id> <answer>.');
    // Once more when the build settled after TASK-002.
    expect(h.seen.bells).toBe(2);
    expect(h.controller.waitingFor(h.project)).toBe('1 decision (!decide)');
    // Not complete: no report, no milestone.
    expect(await h.artifact('BUILD_REPORT.md')).toBeUndefined();
    expect(stored.milestone).toBeUndefined();
    expect(h.seen.changed).toBe(0);

    await h.controller.act(h.project, { kind: 'decide', id: 'D-7', answer: 'x' });
    expect(h.seen.said.at(-1)).toEqual({ tone: 'error', text: 'There is no decision D-7. Open: D-1. !status lists them.' });

    await h.controller.act(h.project, { kind: 'decide', id: 'd-1', answer: 'Half up' });

    expect(h.text()).toContain('D-1 answered. TASK-001 goes on with your answer.');
    expect(h.controller.waitingFor(h.project)).toBeUndefined();
    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001', 'TASK-002', 'TASK-001', 'TASK-003']);
    expect(h.executions[2]!.task.description).toContain('Decisions the person made for this task:\n- D-1 — question: Round half up or half even?\n  answer from the person: Half up');
    expect(h.executions[0]!.task.description).not.toContain('Decisions');
    stored = await h.stored();
    expect(stored.build?.decisions[0]).toMatchObject({ id: 'D-1', answer: 'Half up', answeredAt: new Date(START).toISOString() });
    expect(stored.tasks.map((r) => r.status)).toEqual(['DONE', 'DONE', 'DONE']);
    expect(await h.artifact('DECISIONS.md')).toContain('## D-1 (TASK-001) — ANSWERED');
    expect(await h.artifact('BUILD_REPORT.md')).toContain('- Decision D-1: Round half up or half even? → Half up');
    expect(stored.milestone).toBe('built');

    await h.controller.act(h.project, { kind: 'decide', id: 'D-1', answer: 'Half even' });
    expect(h.seen.said.at(-1)).toEqual({ tone: 'error', text: 'D-1 was already answered: "Half up".' });
    expect(h.executions).toHaveLength(4);
  });
});

describe('BuildController: what only the person can settle, mid-build', () => {
  const escalated: Step = (request) => ({
    ...runRecord(request.task.id),
    kind: 'escalated',
    receipts: [],
    escalation: { taskId: request.task.id, stage: 'quality', whatHappened: 'the reviewer still asks for a cache', whatWasTried: ['three fix rounds'], decisionNeeded: 'keep it simple or add the cache', options: ['simple', 'cache'] },
  });

  it('an escalated review rings once and stays in the status bar until the task runs again', async () => {
    const h = await setUp({ tasks: [task('TASK-001')], steps: { 'TASK-001': [escalated, builds] } });

    await h.controller.start(h.project);

    // The build stopped right after: one bell, not a second for the same thing.
    expect(h.seen.bells).toBe(1);
    expect(h.controller.waitingFor(h.project)).toBe("your call on TASK-001's escalated review (!retry or !skip)");

    await h.controller.act(h.project, { kind: 'retry', taskId: 'TASK-001' });
    expect((await h.stored()).tasks.map((r) => r.status)).toEqual(['DONE']);
    expect(h.controller.waitingFor(h.project)).toBeUndefined();
  });

  it('an escalation is kept in HANDOFF.json: a restarted session still shows it in the status bar, and !skip settles it', async () => {
    const h = await setUp({ tasks: [task('TASK-001')], steps: { 'TASK-001': [escalated] } });
    await h.controller.start(h.project);
    expect((await h.stored()).tasks).toEqual([expect.objectContaining({ id: 'TASK-001', status: 'BLOCKED', escalated: true })]);

    // A new controller knows nothing of the run that escalated: the record says it.
    const restarted = new BuildController(h.ports, recordingHost(emptySeen(), []));
    expect(restarted.waitingFor(h.project)).toBe("your call on TASK-001's escalated review (!retry or !skip)");
    await restarted.skip(h.project, 'TASK-001');
    expect((await h.stored()).tasks.map((r) => r.status)).toEqual(['SKIPPED']);
    expect(restarted.waitingFor(h.project)).toBeUndefined();
  });

  it('the status bar counts the open decisions and names the escalations together', async () => {
    const h = await setUp({
      tasks: [task('TASK-001'), task('TASK-002'), task('TASK-003')],
      steps: { 'TASK-001': [needsContext('Which locale?')], 'TASK-002': [needsContext('Which currency?')], 'TASK-003': [escalated] },
    });

    await h.controller.start(h.project);

    expect(h.seen.bells).toBe(3);
    expect(h.controller.waitingFor(h.project)).toBe("2 decisions (!decide); your call on TASK-003's escalated review (!retry or !skip)");
  });
});

describe('BuildController: !retry and !skip', () => {
  it('!retry reruns a BLOCKED task and refuses a DONE one; !skip marks SKIPPED, names the dependents and completes the build', async () => {
    const h = await setUp({
      tasks: [task('TASK-001'), task('TASK-002', ['TASK-001']), task('TASK-003')],
      steps: { 'TASK-001': [(r) => blockedResult(r.task.id)], 'TASK-002': [builds], 'TASK-003': [(r) => blockedResult(r.task.id), builds] },
    });

    await h.controller.start(h.project);

    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001', 'TASK-003']);
    const waiting = h.seen.said.at(-1)!.text;
    expect(waiting).toContain('  TASK-001 BLOCKED: TASK-001 cannot find its input. Type !retry TASK-001 to run it again, or !skip TASK-001.');
    expect(waiting).toContain('  TASK-002 not started: it depends on TASK-001 (BLOCKED).');

    await h.controller.act(h.project, { kind: 'retry', taskId: 'task-003' });
    expect(h.text()).toContain('TASK-003 is queued again; it restarts from the last checkpoint.');
    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001', 'TASK-003', 'TASK-003']);
    expect((await h.stored()).tasks.find((r) => r.id === 'TASK-003')).toMatchObject({ status: 'DONE', attempts: 2 });

    await h.controller.act(h.project, { kind: 'retry', taskId: 'TASK-003' });
    expect(h.seen.said.at(-1)).toMatchObject({ tone: 'error', text: expect.stringMatching(/^TASK-003 is DONE; !retry works on a task that is BLOCKED/) });
    await h.controller.act(h.project, { kind: 'retry', taskId: 'TASK-404' });
    expect(h.seen.said.at(-1)!.text).toBe('There is no TASK-404 in TASK-GRAPH.md. !state lists the tasks.');
    expect(h.executions).toHaveLength(3);

    // !skip asks first, naming what then goes on without the task; a DONE task is refused without asking.
    await h.controller.act(h.project, { kind: 'skip', taskId: 'TASK-003' });
    expect(h.seen.said.at(-1)).toMatchObject({ tone: 'error', text: expect.stringMatching(/^TASK-003 is DONE; !skip works on a task that is PENDING, BLOCKED/) });
    await h.controller.act(h.project, { kind: 'skip', taskId: 'task-001' });
    expect(h.seen.confirms).toEqual([
      {
        action: { kind: 'skip', taskId: 'TASK-001' },
        prompt: 'Skip TASK-001? It will not be built. TASK-002 depends on it and will be built without it, marked in !status and BUILD_REPORT.md. Type yes to skip, anything else to keep it.',
      },
    ]);
    expect((await h.stored()).tasks.find((r) => r.id === 'TASK-001')?.status).toBe('BLOCKED');

    await h.controller.skip(h.project, 'TASK-001');

    expect(h.text()).toContain('TASK-001 is SKIPPED. Marked for your attention: TASK-002 depends on it and will be built without it; !status and BUILD_REPORT.md show it.');
    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001', 'TASK-003', 'TASK-003', 'TASK-002']);
    const stored = await h.stored();
    expect(stored.tasks.map((r) => [r.id, r.status])).toEqual([
      ['TASK-001', 'SKIPPED'],
      ['TASK-002', 'DONE'],
      ['TASK-003', 'DONE'],
    ]);
    expect(await h.statuses()).toEqual({ 'TASK-001': 'SKIPPED', 'TASK-002': 'DONE', 'TASK-003': 'DONE' });
    const report = (await h.artifact('BUILD_REPORT.md'))!;
    expect(report).toContain('- Tasks: 3 (2 DONE, 1 SKIPPED by the person)');
    expect(report).toContain('## Skipped tasks');
    expect(report).toContain('- TASK-001 (Build part 001): skipped; built without it: TASK-002');
    expect(report).toContain('- Marked: depends on TASK-001, which a person chose to skip; check that TASK-002 still makes sense without it');
    expect(stored.milestone).toBe('built');
    // !status reads the same marks.
    expect(await h.controller.skipMarks(h.project)).toEqual([expect.objectContaining({ taskId: 'TASK-002', skippedDependencies: ['TASK-001'] })]);
  });

  it('!skip of a BLOCKED task while another task runs: asks at once, refuses the running one, and the build goes on with the dependent', async () => {
    const { step: held, running, release } = heldStep();
    const h = await setUp({
      tasks: [task('TASK-001'), task('TASK-002', ['TASK-001']), task('TASK-003')],
      steps: { 'TASK-001': [(r) => blockedResult(r.task.id)], 'TASK-002': [builds], 'TASK-003': [held] },
      maxWorkers: 2,
    });
    const build = h.controller.start(h.project);
    await running.promise;
    await vi.waitFor(async () => expect((await h.stored()).tasks.find((r) => r.id === 'TASK-001')?.status).toBe('BLOCKED'));
    expect(h.controller.running()).toBe(true);

    await h.controller.act(h.project, { kind: 'skip', taskId: 'TASK-003' });
    expect(h.seen.said.at(-1)!.text).toBe('TASK-003 is running; !skip works on a task that is PENDING, BLOCKED, STALLED, NEEDS_CONTEXT, IN-PROGRESS. Let it finish, or press Ctrl+C to stop the build first.');
    await h.controller.act(h.project, { kind: 'skip', taskId: 'TASK-001' });
    expect(h.seen.confirms.map((c) => c.prompt)).toEqual([expect.stringContaining('TASK-002 depends on it and will be built without it')]);

    await h.controller.skip(h.project, 'TASK-001');
    expect(h.text()).toContain('TASK-001 is SKIPPED.');
    release.open();
    await build;

    expect(h.executions.map((e) => e.task.id).sort()).toEqual(['TASK-001', 'TASK-002', 'TASK-003']);
    const stored = await h.stored();
    expect(Object.fromEntries(stored.tasks.map((r) => [r.id, r.status]))).toEqual({ 'TASK-001': 'SKIPPED', 'TASK-002': 'DONE', 'TASK-003': 'DONE' });
    expect(stored.milestone).toBe('built');
    expect(await h.artifact('BUILD_REPORT.md')).toContain('- TASK-001 (Build part 001): skipped; built without it: TASK-002');
  });
});

describe('BuildController: approvals', () => {
  const install: ApprovalRequest = { toolName: 'run_command', kind: 'run', action: 'npm install left-pad', reason: 'installs a package' };
  const write: ApprovalRequest = { toolName: 'write_file', kind: 'write', action: '.env', reason: 'a secrets file' };

  it('asks the person, rings, takes y and a, keeps asking on a garbage answer, and remembers "always"', async () => {
    const answers: ApprovalDecision[] = [];
    const asks: Step = async (request): Promise<TaskResult> => {
      answers.push(await request.approve(install));
      answers.push(await request.approve(write));
      answers.push(await request.approve(write));
      return doneResult(request.task.id);
    };
    const h = await setUp({ tasks: [task('TASK-001')], steps: { 'TASK-001': [asks] } });

    await h.controller.start(h.project);

    expect(h.controller.waitingFor()).toBe('y/n/a for the Builder (TASK-001)');
    expect(h.controller.running()).toBe(true);
    expect(h.seen.said.at(-1)).toEqual({ tone: 'warning', text: 'The Builder (TASK-001) asks to run: npm install left-pad\ninstalls a package\nAllow? (y = yes, n = no, a = always for this session)' });
    expect(h.seen.bells).toBe(1);

    expect(await h.controller.answer('perhaps')).toBe(true);
    expect(h.seen.said.at(-1)).toEqual({ tone: 'error', text: 'Answer y (yes), n (no) or a (always for this session).' });
    expect(h.controller.waitingFor()).toBe('y/n/a for the Builder (TASK-001)');
    expect(answers).toEqual([]);

    await h.controller.answer('y');
    expect(answers).toEqual(['yes']);
    expect(h.seen.said.at(-1)!.text).toContain('The Builder (TASK-001) asks to write: .env');
    expect(h.seen.bells).toBe(2);

    await h.controller.answer('A');

    // The second write to .env was not asked again.
    expect(answers).toEqual(['yes', 'always', 'yes']);
    expect(h.seen.said.filter((s) => s.text.startsWith('The Builder (TASK-001) asks')).length).toBe(2);
    expect(h.controller.waitingFor()).toBeUndefined();
    expect((await h.stored()).milestone).toBe('built');
  });

  it('Ctrl+C while asking answers no and stops the build', async () => {
    const answers: ApprovalDecision[] = [];
    const asks: Step = async (request): Promise<TaskResult> => {
      answers.push(await request.approve(install));
      return request.signal.aborted ? { ...runRecord(request.task.id), kind: 'aborted' } : doneResult(request.task.id);
    };
    const h = await setUp({ tasks: [task('TASK-001')], steps: { 'TASK-001': [asks] } });
    await h.controller.start(h.project);

    expect(h.controller.cancel()).toBe(true);
    await h.controller.settled();

    expect(answers).toEqual(['no']);
    expect(h.controller.waitingFor()).toBeUndefined();
    expect(h.controller.running()).toBe(false);
    expect((await h.stored()).tasks.map((r) => r.status)).toEqual(['IN-PROGRESS']);
    expect(h.seen.said.at(-1)!.text).toContain('The build stopped.');
  });

  /** A task that asks `request` once the test lets it, then is DONE with a yes, or stops on a no. */
  const asking = (request: ApprovalRequest, log: string[]): Step => async (execution): Promise<TaskResult> => {
    log.push(`${execution.task.id} asks`);
    const answer = await execution.approve(request);
    log.push(`${execution.task.id} got ${answer}`);
    if (execution.signal.aborted) return { ...runRecord(execution.task.id), kind: 'aborted' };
    return answer === 'no' ? blockedResult(execution.task.id) : doneResult(execution.task.id);
  };

  /** Lets the scripted tasks run until `done` holds. */
  async function until(done: () => boolean): Promise<void> {
    // The stores write HANDOFF.json to disk between steps: poll, briefly.
    for (let i = 0; i < 400 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(done()).toBe(true);
  }

  const questions = (h: Harness) => h.seen.said.filter((s) => s.text.startsWith('The Builder (')).map((s) => s.text.split('\n')[0]);

  it('two tasks asking at once: one question at a time, in the order asked, and each answer goes to the task that asked', async () => {
    const log: string[] = [];
    const h = await setUp({ tasks: [task('TASK-001'), task('TASK-002')], maxWorkers: 2, steps: { 'TASK-001': [asking(install, log)], 'TASK-002': [asking(write, log)] } });

    await h.controller.start(h.project);
    await until(() => log.length === 2);

    expect(log).toEqual(['TASK-001 asks', 'TASK-002 asks']);
    expect(questions(h)).toEqual(['The Builder (TASK-001) asks to run: npm install left-pad']);
    expect(h.seen.bells).toBe(1);
    expect(h.controller.waitingFor()).toBe('y/n/a for the Builder (TASK-001), 1 more question after it');

    await h.controller.answer('n');
    await until(() => questions(h).length === 2);

    expect(log.slice(2)).toEqual(['TASK-001 got no']);
    expect(questions(h)).toEqual(['The Builder (TASK-001) asks to run: npm install left-pad', 'The Builder (TASK-002) asks to write: .env']);
    expect(h.seen.bells).toBe(2);
    expect(h.controller.waitingFor()).toBe('y/n/a for the Builder (TASK-002)');

    await h.controller.answer('y');
    await h.controller.settled();

    expect(log.slice(2)).toEqual(['TASK-001 got no', 'TASK-002 got yes']);
    expect(h.controller.running()).toBe(false);
    expect(h.controller.waitingFor()).toBeUndefined();
    expect((await h.stored()).tasks.map((r) => [r.id, r.status])).toEqual([
      ['TASK-001', 'BLOCKED'],
      ['TASK-002', 'DONE'],
    ]);
  });

  it('!pause while a question is on screen and another waits: both are withdrawn as no, the build ends and stop() returns', async () => {
    const log: string[] = [];
    const h = await setUp({ tasks: [task('TASK-001'), task('TASK-002')], maxWorkers: 2, steps: { 'TASK-001': [asking(install, log)], 'TASK-002': [asking(write, log)] } });
    await h.controller.start(h.project);
    await until(() => log.length === 2);

    const stopped = await Promise.race([h.controller.stop().then(() => 'stopped'), new Promise((r) => setTimeout(() => r('hung'), 1_000))]);

    expect(stopped).toBe('stopped');
    expect(log.slice(2).sort()).toEqual(['TASK-001 got no', 'TASK-002 got no']);
    expect(h.text()).toContain('TASK-001 was stopped, so its question is withdrawn (run: npm install left-pad); nothing was done.');
    // The question still waiting behind it was never put on screen.
    expect(questions(h)).toEqual(['The Builder (TASK-001) asks to run: npm install left-pad']);
    expect(h.controller.running()).toBe(false);
    expect(h.controller.waitingFor()).toBeUndefined();
    expect(await h.controller.answer('y')).toBe(false);
    expect((await h.stored()).tasks.map((r) => r.status)).toEqual(['IN-PROGRESS', 'IN-PROGRESS']);
  });

  it('a task waiting for y/n/a is not STALLED by its time limit while the person is away', async () => {
    const log: string[] = [];
    const h = await setUp({ tasks: [task('TASK-001')], steps: { 'TASK-001': [asking(install, log)] } });
    await h.controller.start(h.project);
    expect(h.controller.waitingFor()).toBe('y/n/a for the Builder (TASK-001)');

    // The limit is an hour; the person answers after three.
    h.advance(3 * 60 * 60_000);
    h.tick();
    expect(h.text()).not.toContain('STALLED');
    await h.controller.answer('y');

    expect(log).toEqual(['TASK-001 asks', 'TASK-001 got yes']);
    expect((await h.stored()).tasks.map((r) => r.status)).toEqual(['DONE']);
    expect(h.text()).not.toContain('STALLED');
  });

  it('a task the patrol stops takes its question back and the next task\'s question is shown', async () => {
    const log: string[] = [];
    const looping: Step = async (execution): Promise<TaskResult> => {
      log.push('TASK-001 asks');
      const answer = execution.approve(install);
      // Its other tool calls go on meanwhile, the same one again and again: the patrol stops it.
      for (let i = 1; i <= 3; i++) execution.onEvent({ type: 'tool_call', id: `c${i}`, name: 'read_file', input: { path: 'a.mjs' } });
      log.push(`TASK-001 got ${await answer}`);
      return { ...runRecord(execution.task.id), kind: 'aborted' };
    };
    const h = await setUp({ tasks: [task('TASK-001'), task('TASK-002')], maxWorkers: 2, steps: { 'TASK-001': [looping], 'TASK-002': [asking(write, log)] } });

    await h.controller.start(h.project);
    await until(() => questions(h).length === 2);

    expect(log.slice(0, 3).sort()).toEqual(['TASK-001 asks', 'TASK-001 got no', 'TASK-002 asks']);
    expect(h.text()).toContain('TASK-001 was stopped, so its question is withdrawn (run: npm install left-pad)');
    expect(questions(h)[1]).toBe('The Builder (TASK-002) asks to write: .env');
    expect(h.controller.waitingFor()).toBe('y/n/a for the Builder (TASK-002)');

    await h.controller.answer('y');
    await h.controller.settled();
    expect((await h.stored()).tasks.map((r) => [r.id, r.status])).toEqual([
      ['TASK-001', 'STALLED'],
      ['TASK-002', 'DONE'],
    ]);
  });
});

describe('BuildController: the branch the task commits go on', () => {
  it('records the branch the build starts on', async () => {
    const h = await setUp({ tasks: TWO, steps: { 'TASK-001': [builds], 'TASK-002': [builds] } });
    await h.controller.start(h.project);
    expect((await h.stored()).build?.branch).toBe('main');
  });

  it('refuses a detached HEAD before anything moves, saying how to get a branch', async () => {
    const h = await setUp({ tasks: TWO, steps: { 'TASK-001': [builds], 'TASK-002': [builds] } });
    h.git.branch = null;
    await h.controller.start(h.project);
    expect(h.seen.said.at(-1)).toMatchObject({ tone: 'error', text: expect.stringContaining('has a detached HEAD') });
    expect(h.seen.said.at(-1)!.text).toContain('git switch -c <new-branch> to keep this commit');
    expect(h.executions).toEqual([]);
    expect(h.git.calls).toEqual([]);
    expect((await h.stored()).build).toBeUndefined();
  });

  it('asks before building on another branch than the one the build started on: cancel changes nothing, here moves the build', async () => {
    const h = await setUp({ tasks: TWO, steps: { 'TASK-001': [builds], 'TASK-002': [builds] } });
    await h.controller.act(h.project, { kind: 'autonomy', mode: 'per_task' });
    await h.controller.start(h.project);
    expect(h.controller.waitingFor()).toBe('!continue');
    await h.controller.stop();
    h.git.branch = 'side';

    await h.controller.act(h.project, { kind: 'continue' });
    expect(h.seen.said.at(-1)!.text).toContain('The build started on branch main; the project is now on side.');
    expect(h.controller.waitingFor()).toBe('here or cancel');
    const bells = h.seen.bells;
    expect(bells).toBeGreaterThan(0);
    expect(await h.controller.answer('maybe')).toBe(true);
    expect(h.seen.said.at(-1)).toMatchObject({ tone: 'error', text: 'Type here (build on side from now on) or cancel.' });
    expect(await h.controller.answer('cancel')).toBe(true);
    expect(h.seen.said.at(-1)!.text).toContain('Build not started; nothing was changed. Check out main');
    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001']);

    await h.controller.act(h.project, { kind: 'continue' });
    expect(await h.controller.answer('here')).toBe(true);
    expect(h.text()).toContain('The build goes on on side.');
    expect((await h.stored()).build?.branch).toBe('side');
    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001', 'TASK-002']);
  });
});

describe('BuildController: only what was approved is built', () => {
  it('refuses to start while the approval of TASK-GRAPH.md no longer holds, saying how to re-approve; nothing runs or touches git', async () => {
    const h = await setUp({ tasks: TWO, steps: { 'TASK-001': [builds], 'TASK-002': [builds] } });
    h.seen.stale.push({ gate: 'build', artifact: 'TASK-GRAPH.md', approvedAt: '2026-01-02T03:04:05.000Z', currentSha256: 'a'.repeat(64) });
    await h.controller.start(h.project);
    expect(h.seen.said.at(-1)).toEqual({
      tone: 'error',
      text: 'The Builder runs only what was approved, and an approval no longer holds:\n• TASK-GRAPH.md changed since !build approved it (2026-01-02T03:04:05.000Z); review it and type !build again to re-approve.\nThen type !continue. Nothing was built.',
    });
    expect(h.executions).toEqual([]);
    expect(h.git.calls).toEqual([]);

    // Re-approved: the build runs.
    h.seen.stale.length = 0;
    await h.controller.act(h.project, { kind: 'continue' });
    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001', 'TASK-002']);
  });

  it('while building, a changed feature-spec.md (the !plan approval) stops it too; an unrelated later gate does not', async () => {
    const h = await setUp({ tasks: TWO, steps: { 'TASK-001': [builds], 'TASK-002': [builds] } });
    h.seen.stale.push({ gate: 'plan', artifact: 'feature-spec.md', approvedAt: 't', currentSha256: undefined });
    await h.controller.start(h.project);
    expect(h.seen.said.at(-1)!.text).toContain('• feature-spec.md was deleted since !plan approved it (t)');
    expect(h.executions).toEqual([]);
    h.seen.stale.splice(0, 1, { gate: 'critic', artifact: 'CRITICISM.md', approvedAt: 't', currentSha256: 'b'.repeat(64) });
    await h.controller.start(h.project);
    expect(h.executions.map((e) => e.task.id)).toEqual(['TASK-001', 'TASK-002']);
  });
});
