import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitFail } from '../../src/core/git/git-results.js';
import { createGitRunner, type GitRunner } from '../../src/git/git-runner.js';
import { setAsideWork } from '../../src/git/set-aside.js';
import { exists, failure, makeSandbox, ok, read, write, type Sandbox } from './git-fixtures.js';

/* setAsideWork and the fast-forward merge, on real repositories in temp folders. */

let box: Sandbox;
beforeEach(async () => {
  let tick = 0;
  box = await makeSandbox(() => new Date(Date.UTC(2025, 0, 31, 10, 20, 30, tick++)));
});
afterEach(async () => box.cleanup());

const porcelain = (repo: string) => box.git(repo, 'status', '--porcelain=v1', '--untracked-files=all');

/** A repository with a modified tracked file, a staged new file and an untracked file. */
async function dirtyRepo(): Promise<string> {
  const repo = await box.repo();
  await write(repo, 'src/app.ts', 'export const a = 1;\n');
  box.git(repo, 'add', '-A');
  box.git(repo, 'commit', '-q', '-m', 'base');
  await write(repo, 'src/app.ts', 'export const a = 2; // the person is editing\n');
  await write(repo, 'src/staged.ts', 'export const staged = true;\n');
  box.git(repo, 'add', 'src/staged.ts');
  await write(repo, 'notes/idea.txt', 'an untracked idea\n');
  return repo;
}

describe('setAsideWork', () => {
  it('names the snapshot and how to restore it when setting the work aside fails after the save', async () => {
    const repo = await dirtyRepo();
    const real = createGitRunner({ env: box.env });
    const checkoutFails: GitRunner = {
      exec: real.exec,
      run: (cwd, args, options) => (args[0] === 'checkout' ? Promise.resolve(gitFail('git-failed', 'checkout was interrupted.')) : real.run(cwd, args, options)),
    };

    const error = failure(await setAsideWork(checkoutFails, (r, label) => box.port.snapshotWork(r, label), repo, 'before-build'));

    expect(error.message).toMatch(/^Saved your work to refs\/codesleuth\/snapshots\/\S+before-build, then setting it aside failed: checkout was interrupted\.$/);
    expect(error.hint).toMatch(/^Nothing was lost\. Your uncommitted work is saved in commit [0-9a-f]{40}\.\nTo bring it back.*git checkout [0-9a-f]{40} -- notes\/idea\.txt src\/app\.ts src\/staged\.ts/s);
    const ref = /refs\/codesleuth\/snapshots\/\S+before-build/.exec(error.message)![0];
    expect(box.git(repo, 'show', `${ref}:notes/idea.txt`)).toBe('an untracked idea\n');
  });


  it('saves modified, staged and untracked files to a snapshot ref and leaves the tree clean at HEAD', async () => {
    const repo = await dirtyRepo();
    const head = box.git(repo, 'rev-parse', 'HEAD').trim();

    const snapshot = ok(await box.port.setAsideWork(repo, 'task-001-leftovers'));

    expect(snapshot.ref).toMatch(/^refs\/codesleuth\/snapshots\/.*task-001-leftovers$/);
    expect([...snapshot.files].sort()).toEqual(['notes/idea.txt', 'src/app.ts', 'src/staged.ts']);
    expect(snapshot.base).toBe(head);
    // The ref exists and its tree holds all three files as they were.
    expect(box.git(repo, 'rev-parse', '--verify', snapshot.ref).trim()).toBe(snapshot.sha);
    expect(box.git(repo, 'show', `${snapshot.sha}:src/app.ts`)).toBe('export const a = 2; // the person is editing\n');
    expect(box.git(repo, 'show', `${snapshot.sha}:src/staged.ts`)).toBe('export const staged = true;\n');
    expect(box.git(repo, 'show', `${snapshot.sha}:notes/idea.txt`)).toBe('an untracked idea\n');
    // The work tree and index are back at HEAD; HEAD itself did not move.
    expect(porcelain(repo)).toBe('');
    expect(ok(await box.port.status(repo)).clean).toBe(true);
    expect(await read(repo, 'src/app.ts')).toBe('export const a = 1;\n');
    expect(await exists(repo, 'src/staged.ts')).toBe(false);
    expect(await exists(repo, 'notes/idea.txt')).toBe(false);
    expect(box.git(repo, 'rev-parse', 'HEAD').trim()).toBe(head);
    expect(box.git(repo, 'stash', 'list')).toBe('');
  });

  it('restoreSnapshot brings all three back, the staged file staged again', async () => {
    const repo = await dirtyRepo();
    const before = porcelain(repo);
    const snapshot = ok(await box.port.setAsideWork(repo, 'leftovers'));

    ok(await box.port.restoreSnapshot(repo, snapshot.ref));

    expect(await read(repo, 'src/app.ts')).toBe('export const a = 2; // the person is editing\n');
    expect(await read(repo, 'src/staged.ts')).toBe('export const staged = true;\n');
    expect(await read(repo, 'notes/idea.txt')).toBe('an untracked idea\n');
    expect(box.git(repo, 'diff', '--cached', '--name-only').trim()).toBe('src/staged.ts');
    const status = ok(await box.port.status(repo));
    expect(status.staged).toEqual(['src/staged.ts']);
    expect(status.modified).toEqual(['src/app.ts']);
    expect(status.untracked).toEqual(['notes/idea.txt']);
    expect(porcelain(repo)).toBe(before);
  });

  it('sets aside a modified and a staged tracked file and restores them, the staged one staged (no new file)', async () => {
    const repo = await box.repo();
    await write(repo, 'src/app.ts', 'export const a = 1;\n');
    await write(repo, 'src/lib.ts', 'export const lib = 1;\n');
    box.git(repo, 'add', '-A');
    box.git(repo, 'commit', '-q', '-m', 'base');
    await write(repo, 'src/app.ts', 'export const a = 2;\n');
    await write(repo, 'src/lib.ts', 'export const lib = 2;\n');
    box.git(repo, 'add', 'src/lib.ts');
    const before = porcelain(repo);

    const snapshot = ok(await box.port.setAsideWork(repo, 'leftovers'));
    expect([...snapshot.files].sort()).toEqual(['src/app.ts', 'src/lib.ts']);
    expect(box.git(repo, 'for-each-ref', '--format=%(refname)', 'refs/codesleuth/snapshots/').trim()).toBe(snapshot.ref);
    expect(porcelain(repo)).toBe('');
    expect(await read(repo, 'src/app.ts')).toBe('export const a = 1;\n');
    expect(await read(repo, 'src/lib.ts')).toBe('export const lib = 1;\n');

    ok(await box.port.restoreSnapshot(repo, snapshot.ref));
    expect(porcelain(repo)).toBe(before);
    expect(box.git(repo, 'diff', '--cached', '--name-only').trim()).toBe('src/lib.ts');
    expect(await read(repo, 'src/app.ts')).toBe('export const a = 2;\n');
    expect(await read(repo, 'src/lib.ts')).toBe('export const lib = 2;\n');
  });

  it('a staged new file alone is set aside too (it becomes untracked on reset, then hits the same git clean call)', async () => {
    const repo = await box.repo();
    await write(repo, 'src/staged.ts', 'export const staged = true;\n');
    box.git(repo, 'add', 'src/staged.ts');
    ok(await box.port.setAsideWork(repo, 'leftovers'));
    expect(porcelain(repo)).toBe('');
  });

  it('answers nothing-to-save on a clean tree and changes nothing', async () => {
    const repo = await box.repo();
    const head = box.git(repo, 'rev-parse', 'HEAD').trim();

    expect(failure(await box.port.setAsideWork(repo, 'leftovers')).kind).toBe('nothing-to-save');
    expect(box.git(repo, 'for-each-ref', 'refs/codesleuth/')).toBe('');
    expect(box.git(repo, 'rev-parse', 'HEAD').trim()).toBe(head);
  });
});

describe('mergeBranch with fastForward', () => {
  /** A task branch with one commit, made in a worktree from the current HEAD. */
  async function taskBranch(repo: string, name: string, file: string): Promise<string> {
    const dir = path.join(box.root, 'wt', name);
    ok(await box.port.addWorktree(repo, { branch: `codesleuth/${name}`, base: 'HEAD', dir }));
    await write(dir, file, `export const ${name.replace(/-/g, '_')} = true;\n`);
    return ok(await box.port.commitTask(dir, { taskId: 'TASK-001', title: `Add ${file}`, body: 'Gates: PASS' }));
  }

  it('fast-forwards a branch that is ahead of HEAD: HEAD becomes the branch tip, no merge commit', async () => {
    const repo = await box.repo();
    const tip = await taskBranch(repo, 'task-001', 'feature.ts');

    const merged = ok(await box.port.mergeBranch(repo, 'codesleuth/task-001', { message: 'Land TASK-001', fastForward: true }));

    expect(merged).toEqual({ kind: 'merged', sha: tip });
    expect(box.git(repo, 'rev-parse', 'HEAD').trim()).toBe(tip);
    expect(box.git(repo, 'rev-list', '--merges', '--count', 'HEAD').trim()).toBe('0');
    expect(box.git(repo, 'log', '-1', '--format=%s').trim()).toBe('TASK-001: Add feature.ts');
    expect(await read(repo, 'feature.ts')).toContain('task_001');
  });

  it('makes a merge commit when HEAD moved since the branch started', async () => {
    const repo = await box.repo();
    const tip = await taskBranch(repo, 'task-002', 'second.ts');
    await write(repo, 'first.ts', 'export const first = 1;\n');
    box.git(repo, 'add', '-A');
    box.git(repo, 'commit', '-q', '-m', 'another task landed first');
    const moved = box.git(repo, 'rev-parse', 'HEAD').trim();

    const merged = ok(await box.port.mergeBranch(repo, 'codesleuth/task-002', { message: 'Land TASK-002', fastForward: true }));

    expect(merged.kind).toBe('merged');
    const head = box.git(repo, 'rev-parse', 'HEAD').trim();
    expect(merged).toEqual({ kind: 'merged', sha: head });
    expect(head).not.toBe(tip);
    expect(box.git(repo, 'rev-parse', 'HEAD^1', 'HEAD^2').trim().split('\n')).toEqual([moved, tip]);
    expect(box.git(repo, 'log', '-1', '--format=%s').trim()).toBe('Land TASK-002');
    expect(await exists(repo, 'first.ts')).toBe(true);
    expect(await exists(repo, 'second.ts')).toBe(true);
  });

  it('without fastForward a branch ahead of HEAD still gets a merge commit', async () => {
    const repo = await box.repo();
    const tip = await taskBranch(repo, 'task-003', 'third.ts');

    const merged = ok(await box.port.mergeBranch(repo, 'codesleuth/task-003', { message: 'Land TASK-003' }));

    expect(merged.kind === 'merged' && merged.sha).not.toBe(tip);
    expect(box.git(repo, 'rev-parse', 'HEAD^2').trim()).toBe(tip);
  });
});
