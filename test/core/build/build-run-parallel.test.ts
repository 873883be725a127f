import { describe, expect, it } from 'vitest';
import { gitOk, type Snapshot } from '../../../src/core/git/git-results.js';
import { restoreInstructions } from '../../../src/core/git/snapshot-names.js';
import { blockedResult, doneResult, shaOf, task } from './build-fixtures.js';
import { PROJECT, WORKTREES, done, fakeGit, graphOf, harness, landedShaOf, modelTurn, recordOf, type Step } from './build-run-harness.js';

/* The build with several workers: worktrees, the merge queue in dispatch order, stacking, conflicts; and what a task that did not finish leaves. */

describe('BuildRun, what a task that did not finish leaves', () => {
  const snapshot = (label: string, files: string[], root = PROJECT): Snapshot => {
    const sha = 'd'.repeat(40);
    return {
      ref: `refs/codesleuth/snapshots/2025-02-03T04-05-06.000Z-${label}`,
      sha,
      label,
      createdAt: '2025-02-03T04:05:06.000Z',
      base: 'abc',
      files,
      indexSaved: true,
      restoreInstructions: restoreInstructions({ root, sha, indexCommit: 'e'.repeat(40), present: files, deleted: [] }),
    };
  };

  it('in place: says everything uncommitted in the project was set aside, the person\'s edits too, and the one-line command that restores it', async () => {
    const git = fakeGit();
    git.setAsideWork = async (repo, label) => (git.calls.push(`setAside ${repo} ${label}`), gitOk(snapshot(label, ['NOTES.md', 'src/part-001.mjs'])));
    const h = harness({ graph: graphOf(task('TASK-001')), git, steps: { 'TASK-001': [() => blockedResult('TASK-001')] } });

    await h.run.run();

    const ref = 'refs/codesleuth/snapshots/2025-02-03T04-05-06.000Z-task-001-leftovers';
    expect(recordOf(h.run.progress(), 'TASK-001').reason).toBe(
      'TASK-001 cannot find its input. Type !retry TASK-001 to run it again, or !skip TASK-001. ' +
        `Everything that was uncommitted in the project was set aside, not only what TASK-001 left: anything else edited meanwhile, yours too, is with it, kept at ${ref}. ` +
        `To restore it: cd ${PROJECT} && git checkout ${'d'.repeat(40)} -- NOTES.md src/part-001.mjs && git reset -q ${'e'.repeat(40)} -- NOTES.md src/part-001.mjs`,
    );
  });

  it('in a worktree: only the task\'s own files were there, and the reason says its worktree', async () => {
    const git = fakeGit();
    git.removeWorktree = async (_repo, dir) => (git.calls.push(`removeWorktree ${dir}`), gitOk({ dir, branch: null, branchDeleted: true, snapshot: snapshot('worktree-x', ['src/part-001.mjs'], dir) }));
    const h = harness({ graph: graphOf(task('TASK-001'), task('TASK-002')), maxWorkers: 2, git, steps: { 'TASK-001': [() => blockedResult('TASK-001')], 'TASK-002': [done('TASK-002')] } });

    await h.run.run();

    const reason = recordOf(h.run.progress(), 'TASK-001').reason;
    expect(reason).toContain('What it left in its worktree is kept at refs/codesleuth/snapshots/2025-02-03T04-05-06.000Z-worktree-x.');
    expect(reason).not.toContain('Everything that was uncommitted');
  });
});

describe('BuildRun, parallel workers', () => {
  it('runs two independent tasks at once in their own worktrees and lands them one at a time, in dispatch order', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'));
    let startedCount = 0;
    let bothStarted!: () => void;
    const barrier = new Promise<void>((resolve) => {
      bothStarted = resolve;
    });
    // If the tasks ran one after another the barrier would never open; the timeout keeps the failure readable.
    const waitForBoth = () => Promise.race([barrier, new Promise<void>((r) => setTimeout(r, 500))]);
    const step =
      (id: string, delayMs: number): Step =>
      async () => {
        startedCount += 1;
        if (startedCount === 2) bothStarted();
        await waitForBoth();
        await new Promise((r) => setTimeout(r, delayMs));
        return doneResult(id);
      };
    // TASK-002 finishes first and TASK-001 finishes while TASK-002 is still landing.
    const h = harness({ graph, maxWorkers: 2, steps: { 'TASK-001': [step('TASK-001', 3)], 'TASK-002': [step('TASK-002', 0)] } });

    expect(await h.run.run()).toEqual({ kind: 'complete' });

    expect(h.log.slice(0, 2).sort()).toEqual(['start TASK-001', 'start TASK-002']);
    expect(h.started).toEqual([
      { taskId: 'TASK-001', where: 'worktree' },
      { taskId: 'TASK-002', where: 'worktree' },
    ]);
    expect(h.calls.map((c) => [c.task.id, c.dir])).toEqual([
      ['TASK-001', `${WORKTREES}/TASK-001-1`],
      ['TASK-002', `${WORKTREES}/TASK-002-1`],
    ]);
    expect(h.git.calls).toContain(`addWorktree codesleuth/build-1/task-001-1 ${WORKTREES}/TASK-001-1 from HEAD`);
    expect(h.git.calls).toContain(`addWorktree codesleuth/build-1/task-002-1 ${WORKTREES}/TASK-002-1 from HEAD`);
    // The merge queue: one merge at a time, in the order the tasks were dispatched (not finished), each fast-forward first.
    expect(h.git.maxMerging).toBe(1);
    const merges = h.git.calls.filter((c) => c.startsWith('merge '));
    expect(merges).toEqual(['merge codesleuth/build-1/task-001-1 ff', 'merge codesleuth/build-1/task-002-1 ff']);
    // Each worktree is removed (with its branch) after its landing.
    const landing2 = h.git.calls.indexOf('merge codesleuth/build-1/task-002-1 ff');
    expect(h.git.calls.indexOf(`removeWorktree ${WORKTREES}/TASK-002-1 +branch`)).toBeGreaterThan(landing2);
    expect(h.git.calls).toContain(`removeWorktree ${WORKTREES}/TASK-001-1 +branch`);
    const progress = h.run.progress();
    expect(recordOf(progress, 'TASK-001')).toMatchObject({ status: 'DONE', sha: shaOf('TASK-001'), landedSha: landedShaOf('task-001-1') });
    expect(recordOf(progress, 'TASK-002')).toMatchObject({ status: 'DONE', sha: shaOf('TASK-002'), landedSha: landedShaOf('task-002-1') });
  });

  it('a later-dispatched task that finishes first lands second, and its worker takes the next task meanwhile', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'), task('TASK-003'));
    let openFirst!: () => void;
    const firstMayFinish = new Promise<void>((resolve) => {
      openFirst = resolve;
    });
    const h = harness({
      graph,
      maxWorkers: 2,
      steps: {
        // The slow model: TASK-001 finishes only once TASK-003 has started (the timeout keeps a failure readable).
        'TASK-001': [async () => (await Promise.race([firstMayFinish, new Promise((r) => setTimeout(r, 500))]), doneResult('TASK-001'))],
        'TASK-002': [async () => (await modelTurn(), doneResult('TASK-002'))],
        'TASK-003': [async () => (openFirst(), await modelTurn(), doneResult('TASK-003'))],
      },
    });

    expect(await h.run.run()).toEqual({ kind: 'complete' });

    // TASK-002 was done first, and TASK-003 started in its worker while TASK-001 still worked.
    expect(h.log.indexOf('end TASK-002')).toBeLessThan(h.log.indexOf('end TASK-001'));
    expect(h.log.indexOf('start TASK-003')).toBeLessThan(h.log.indexOf('end TASK-001'));
    // Yet the history follows the dispatch order: TASK-001, then TASK-002, then TASK-003.
    const merges = h.git.calls.filter((c) => c.startsWith('merge '));
    expect(merges).toEqual(['merge codesleuth/build-1/task-001-1 ff', 'merge codesleuth/build-1/task-002-1 ff', 'merge codesleuth/build-1/task-003-1 ff']);
    expect(h.finished.map((f) => f.record.id)).toEqual(['TASK-001', 'TASK-002', 'TASK-003']);
    expect(h.git.maxMerging).toBe(1);
  });

  it('a task that ends without landing lets the ones dispatched after it land', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'));
    const h = harness({
      graph,
      maxWorkers: 2,
      steps: {
        'TASK-001': [async (t) => (await new Promise((r) => setTimeout(r, 20)), blockedResult(t.id))],
        'TASK-002': [done('TASK-002')],
      },
    });

    expect(await h.run.run()).toEqual({ kind: 'waiting', tasks: ['TASK-001'], held: [] });
    expect(h.git.calls.filter((c) => c.startsWith('merge '))).toEqual(['merge codesleuth/build-1/task-002-1 ff']);
    expect(recordOf(h.run.progress(), 'TASK-002')).toMatchObject({ status: 'DONE', landedSha: landedShaOf('task-002-1') });
  });

  it('re-runs a task whose landing conflicts once, then BLOCKS it on a second conflict; its dependent never starts', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002', ['TASK-001']));
    const git = fakeGit();
    git.mergeAnswers = [
      { kind: 'conflict', files: ['src/shared.mjs'] },
      { kind: 'conflict', files: ['src/shared.mjs'] },
    ];
    const h = harness({ graph, maxWorkers: 2, git, steps: { 'TASK-001': [done('TASK-001'), () => doneResult('TASK-001', shaOf('TASK-001', 2))] } });

    expect(await h.run.run()).toEqual({ kind: 'waiting', tasks: ['TASK-001', 'TASK-002'], held: [{ taskId: 'TASK-002', waitsFor: ['TASK-001'] }] });

    expect(h.calls.map((c) => c.task.id)).toEqual(['TASK-001', 'TASK-001']);
    // The second run starts from a new worktree and branch on the new base.
    expect(h.calls.map((c) => c.dir)).toEqual([`${WORKTREES}/TASK-001-1`, `${WORKTREES}/TASK-001-2`]);
    expect(git.calls.filter((c) => c.startsWith('merge '))).toEqual(['merge codesleuth/build-1/task-001-1 ff', 'merge codesleuth/build-1/task-001-2 ff']);
    expect(h.notes.some((n) => n.includes('TASK-001 conflicts') && n.includes('src/shared.mjs'))).toBe(true);
    const r = recordOf(h.run.progress(), 'TASK-001');
    expect(r.status).toBe('BLOCKED');
    expect(r.attempts).toBe(2);
    expect(r.reason).toContain('src/shared.mjs');
    expect(r.reason).toContain('twice');
    // The person resolves the second conflict: the first run's branch is deleted, the second's commit is kept.
    expect(git.calls).toContain(`removeWorktree ${WORKTREES}/TASK-001-1 +branch`);
    expect(git.calls).toContain(`removeWorktree ${WORKTREES}/TASK-001-2`);
    expect(git.calls).not.toContain(`removeWorktree ${WORKTREES}/TASK-001-2 +branch`);
    expect(r.reason).toContain(`Its commit ${shaOf('TASK-001', 2).slice(0, 12)} is kept on branch codesleuth/build-1/task-001-2`);
    expect(h.run.progress().records.find((x) => x.id === 'TASK-002')).toBeUndefined();
    expect(h.started.map((s) => s.taskId)).toEqual(['TASK-001', 'TASK-001']);
  });
});

describe('BuildRun, work that depends on a task waiting to land', () => {
  /** A latch TASK-001 (the slow, earlier-dispatched task) waits on; a timeout keeps a failure readable. */
  function slowFirst() {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    const step: Step = async (t) => (await Promise.race([opened, new Promise((r) => setTimeout(r, 500))]), doneResult(t.id));
    return { step, open: () => open() };
  }

  it('starts stacked on the commit of its finished dependency and lands right after it', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'), task('TASK-003', ['TASK-002']));
    const first = slowFirst();
    const h = harness({
      graph,
      maxWorkers: 2,
      steps: {
        'TASK-001': [first.step],
        'TASK-002': [async () => (await modelTurn(), doneResult('TASK-002'))],
        'TASK-003': [async () => (first.open(), await modelTurn(), doneResult('TASK-003'))],
      },
    });

    expect(await h.run.run()).toEqual({ kind: 'complete' });

    // TASK-003 did not wait for TASK-002 to land behind TASK-001: it started from TASK-002's commit.
    expect(h.log.indexOf('start TASK-003')).toBeLessThan(h.log.indexOf('end TASK-001'));
    expect(h.git.calls).toContain(`addWorktree codesleuth/build-1/task-003-1 ${WORKTREES}/TASK-003-1 from ${shaOf('TASK-002')}`);
    expect(h.git.calls.filter((c) => c.startsWith('merge '))).toEqual([
      'merge codesleuth/build-1/task-001-1 ff',
      'merge codesleuth/build-1/task-002-1 ff',
      'merge codesleuth/build-1/task-003-1 ff',
    ]);
    expect(recordOf(h.run.progress(), 'TASK-003')).toMatchObject({ status: 'DONE', attempts: 1 });
  });

  it('is built again on the new base when the task it stacked on does not land', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'), task('TASK-003', ['TASK-002']));
    const first = slowFirst();
    const git = fakeGit();
    // TASK-001 lands; TASK-002 conflicts once, then lands on its second run.
    git.mergeAnswers = [{ kind: 'merged', sha: landedShaOf('task-001-1') }, { kind: 'conflict', files: ['src/shared.mjs'] }];
    const h = harness({
      graph,
      maxWorkers: 2,
      git,
      steps: {
        'TASK-001': [first.step],
        'TASK-002': [async () => (await modelTurn(), doneResult('TASK-002')), () => doneResult('TASK-002', shaOf('TASK-002', 2))],
        'TASK-003': [async () => (first.open(), await modelTurn(), doneResult('TASK-003')), () => doneResult('TASK-003', shaOf('TASK-003', 2))],
      },
    });

    expect(await h.run.run()).toEqual({ kind: 'complete' });

    // The first TASK-003 held TASK-002's unlanded commit: it was never merged, and ran again from the working branch.
    const merges = h.git.calls.filter((c) => c.startsWith('merge '));
    expect(merges).toEqual(['merge codesleuth/build-1/task-001-1 ff', 'merge codesleuth/build-1/task-002-1 ff', 'merge codesleuth/build-1/task-002-2 ff', 'merge codesleuth/build-1/task-003-2 ff']);
    expect(h.git.calls).toContain(`removeWorktree ${WORKTREES}/TASK-003-1 +branch`);
    expect(h.git.calls).toContain(`addWorktree codesleuth/build-1/task-003-2 ${WORKTREES}/TASK-003-2 from HEAD`);
    expect(h.notes).toContain('TASK-003 was built on TASK-002, which did not land; it runs again once that task is DONE.');
    expect(recordOf(h.run.progress(), 'TASK-003')).toMatchObject({ status: 'DONE', attempts: 2, sha: shaOf('TASK-003', 2) });
    expect(recordOf(h.run.progress(), 'TASK-002')).toMatchObject({ status: 'DONE', attempts: 2 });
  });
});
