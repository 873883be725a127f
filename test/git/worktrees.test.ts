import { realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exists, failure, makeSandbox, ok, read, write, type Sandbox } from './git-fixtures.js';

let box: Sandbox;
beforeEach(async () => {
  box = await makeSandbox();
});
afterEach(async () => box.cleanup());

/** A repository with worktrees for two tasks, each with one commit. */
async function twoTasks(conflicting: boolean) {
  const repo = await box.repo();
  await write(repo, 'shared.txt', 'line 1\n');
  box.git(repo, 'add', '-A');
  box.git(repo, 'commit', '-q', '-m', 'shared');
  const base = box.git(repo, 'rev-parse', 'HEAD').trim();
  const tasks = ['task-001', 'task-002'].map((name) => ({ branch: `codesleuth/${name}`, dir: path.join(box.root, 'wt', name) }));
  for (const [index, task] of tasks.entries()) {
    const added = ok(await box.port.addWorktree(repo, { branch: task.branch, base: 'main', dir: task.dir }));
    expect(added).toMatchObject({ branch: task.branch, head: base, main: false });
    await write(task.dir, `feature-${index + 1}.ts`, `export const f${index + 1} = true;\n`);
    if (conflicting) await write(task.dir, 'shared.txt', `line 1 from task ${index + 1}\n`);
    ok(await box.port.commitTask(task.dir, { taskId: `TASK-00${index + 1}`, title: `Feature ${index + 1}`, body: '' }));
  }
  return { repo, base, tasks };
}

describe('worktrees', () => {
  it('adds worktrees for two tasks and merges them in a stable order', async () => {
    const { repo, base, tasks } = await twoTasks(false);
    const listed = ok(await box.port.listWorktrees(repo));
    expect(listed.map((w) => w.branch)).toEqual(['main', 'codesleuth/task-001', 'codesleuth/task-002']);
    expect(listed[0]!.main).toBe(true);
    expect(listed[1]!.dir).toBe(await realpath(tasks[0]!.dir));

    const first = ok(await box.port.mergeBranch(repo, tasks[0]!.branch, { message: 'Merge TASK-001' }));
    const second = ok(await box.port.mergeBranch(repo, tasks[1]!.branch, { message: 'Merge TASK-002' }));
    expect(first.kind).toBe('merged');
    expect(second.kind).toBe('merged');
    expect(box.git(repo, 'rev-parse', 'HEAD').trim()).toBe(second.kind === 'merged' ? second.sha : '');
    expect(box.git(repo, 'log', '--first-parent', '--format=%s', `${base}..HEAD`)).toBe('Merge TASK-002\nMerge TASK-001\n');
    expect(await read(repo, 'feature-1.ts')).toContain('f1');
    expect(await read(repo, 'feature-2.ts')).toContain('f2');
    expect(ok(await box.port.status(repo)).clean).toBe(true);

    const removed = ok(await box.port.removeWorktree(repo, tasks[0]!.dir, { deleteBranch: true }));
    expect(removed).toMatchObject({ branch: 'codesleuth/task-001', branchDeleted: true, snapshot: null });
    expect(await exists(tasks[0]!.dir, '')).toBe(false);
    expect(box.git(repo, 'branch', '--list', '--format=%(refname:short)', 'codesleuth/*')).toBe('codesleuth/task-002\n');
  });

  it('reports a conflicting merge, aborts it and leaves the repository clean', async () => {
    const { repo, tasks } = await twoTasks(true);
    ok(await box.port.mergeBranch(repo, tasks[0]!.branch, { message: 'Merge TASK-001' }));
    const head = box.git(repo, 'rev-parse', 'HEAD').trim();
    await write(repo, 'untracked-notes.txt', 'person notes\n');

    const outcome = ok(await box.port.mergeBranch(repo, tasks[1]!.branch, { message: 'Merge TASK-002' }));
    expect(outcome).toEqual({ kind: 'conflict', files: ['shared.txt'] });
    expect(box.git(repo, 'rev-parse', 'HEAD').trim()).toBe(head);
    expect(box.git(repo, 'status', '--porcelain')).toBe('?? untracked-notes.txt\n');
    expect(await read(repo, 'shared.txt')).toBe('line 1 from task 1\n');
    expect(await exists(repo, '.git/MERGE_HEAD')).toBe(false);
  });

  it('refuses to merge over uncommitted changes to tracked files', async () => {
    const { repo, tasks } = await twoTasks(false);
    expect(failure(await box.port.mergeBranch(repo, 'codesleuth/none', { message: 'Merge' })).kind).toBe('unknown-revision');
    await write(repo, 'README.md', 'person editing\n');
    const error = failure(await box.port.mergeBranch(repo, tasks[0]!.branch, { message: 'Merge' }));
    expect(error).toMatchObject({ kind: 'uncommitted-changes', files: ['README.md'] });
    expect(await read(repo, 'README.md')).toBe('person editing\n');
  });

  it('refuses an existing branch or a non-empty directory', async () => {
    const repo = await box.repo();
    const dir = path.join(box.root, 'wt', 'a');
    ok(await box.port.addWorktree(repo, { branch: 'codesleuth/task-001', base: 'HEAD', dir }));
    expect(failure(await box.port.addWorktree(repo, { branch: 'codesleuth/task-001', base: 'HEAD', dir: path.join(box.root, 'wt', 'b') })).kind).toBe('branch-exists');
    expect(failure(await box.port.addWorktree(repo, { branch: 'codesleuth/task-002', base: 'HEAD', dir })).kind).toBe('path-exists');
    expect(failure(await box.port.addWorktree(repo, { branch: 'bad..name', base: 'HEAD', dir: path.join(box.root, 'wt', 'c') })).kind).toBe('invalid-request');
    expect(failure(await box.port.addWorktree(repo, { branch: 'codesleuth/task-003', base: 'nope', dir: path.join(box.root, 'wt', 'd') })).kind).toBe('unknown-revision');
  });

  it('removes a dirty worktree only when forced, snapshotting its work first', async () => {
    const repo = await box.repo();
    const dir = path.join(box.root, 'wt', 'dirty');
    ok(await box.port.addWorktree(repo, { branch: 'codesleuth/task-001', base: 'HEAD', dir }));
    await write(dir, 'half-done.ts', 'wip\n');
    expect(failure(await box.port.removeWorktree(repo, dir)).files).toEqual(['half-done.ts']);
    const removed = ok(await box.port.removeWorktree(repo, dir, { force: true }));
    expect(removed.snapshot?.files).toEqual(['half-done.ts']);
    expect(box.git(repo, 'show', `${removed.snapshot!.sha}:half-done.ts`)).toBe('wip\n');
    expect(failure(await box.port.removeWorktree(repo, repo)).kind).toBe('not-a-worktree');
  });
});

describe('pruneStale', () => {
  it('removes a task worktree whose directory was deleted, and its branch', async () => {
    const repo = await box.repo();
    const keep = path.join(box.root, 'wt', 'keep');
    const lost = path.join(box.root, 'wt', 'lost');
    ok(await box.port.addWorktree(repo, { branch: 'codesleuth/task-001', base: 'HEAD', dir: keep }));
    ok(await box.port.addWorktree(repo, { branch: 'codesleuth/task-002', base: 'HEAD', dir: lost }));
    box.git(repo, 'branch', 'person/feature');
    await rm(lost, { recursive: true, force: true });
    const sha = box.git(repo, 'rev-parse', 'codesleuth/task-002').trim();

    const report = ok(await box.port.pruneStale(repo, 'codesleuth/task-'));
    expect(report.removedWorktrees.map((w) => w.branch)).toEqual(['codesleuth/task-002']);
    expect(report.deletedBranches).toEqual([{ branch: 'codesleuth/task-002', sha }]);
    expect(ok(await box.port.listWorktrees(repo)).map((w) => w.branch)).toEqual(['main', 'codesleuth/task-001']);
    expect(box.git(repo, 'branch', '--list', '--format=%(refname:short)')).toBe('codesleuth/task-001\nmain\nperson/feature\n');
  });

  it('with an active list, removes task worktrees and branches not in it (dirty work snapshotted)', async () => {
    const repo = await box.repo();
    const active = path.join(box.root, 'wt', 'active');
    const stale = path.join(box.root, 'wt', 'stale');
    ok(await box.port.addWorktree(repo, { branch: 'codesleuth/task-001', base: 'HEAD', dir: active }));
    ok(await box.port.addWorktree(repo, { branch: 'codesleuth/task-002', base: 'HEAD', dir: stale }));
    box.git(repo, 'branch', 'codesleuth/task-009');
    await write(stale, 'wip.ts', 'unfinished\n');

    const report = ok(await box.port.pruneStale(repo, 'codesleuth/task-', ['codesleuth/task-001']));
    expect(report.removedWorktrees).toHaveLength(1);
    expect(report.removedWorktrees[0]!.snapshot?.files).toEqual(['wip.ts']);
    expect(report.deletedBranches.map((b) => b.branch)).toEqual(['codesleuth/task-002', 'codesleuth/task-009']);
    expect(await exists(stale, '')).toBe(false);
    expect(await exists(active, '')).toBe(true);
  });

  it('refuses a prefix outside codesleuth/', async () => {
    const repo = await box.repo();
    expect(failure(await box.port.pruneStale(repo, 'feature/')).kind).toBe('invalid-request');
    expect(failure(await box.port.pruneStale(repo, 'codesleuth/')).kind).toBe('invalid-request');
  });
});

describe('worktrees of parallel tasks', () => {
  it('adds and removes task worktrees side by side, every time (git does not lock .git/worktrees; the port runs them in turn)', async () => {
    const repo = await box.repo();
    await write(repo, 'a.txt', 'a\n');
    box.git(repo, 'add', '-A');
    box.git(repo, 'commit', '-q', '-m', 'first');
    const dirOf = (n: number) => path.join(box.root, 'wt', `task-${n}`);
    const add = (n: number) => box.port.addWorktree(repo, { branch: `codesleuth/task-${n}`, base: 'main', dir: dirOf(n) });
    for (let round = 0; round < 3; round++) {
      const ids = [0, 1, 2].map((i) => round * 3 + i);
      // Three tasks start at once (as parallel workers do), then finish and are removed at once.
      for (const added of await Promise.all(ids.map(add))) ok(added);
      const [listed, ...removed] = await Promise.all([box.port.listWorktrees(repo), ...ids.map((n) => box.port.removeWorktree(repo, dirOf(n)))]);
      ok(listed!);
      for (const result of removed) ok(result);
    }
    expect(ok(await box.port.listWorktrees(repo)).map((w) => w.branch)).toEqual(['main']);
  });
});
