// removeLeftoverWorktrees (src/core/build) over the real git port: what a killed build leaves
// (worktrees whose directories still exist) is removed at the next start without losing work.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeLeftoverWorktrees } from '../../src/core/build/leftover-worktrees.js';
import { exists, makeSandbox, ok, write, type Sandbox } from './git-fixtures.js';

let box: Sandbox;
beforeEach(async () => {
  box = await makeSandbox();
});
afterEach(async () => box.cleanup());

describe('removeLeftoverWorktrees', () => {
  it('removes every task worktree of the prefix: dirty work snapshotted, an unlanded commit kept on its branch', async () => {
    const repo = await box.repo();
    const wt = (name: string) => path.join(box.root, 'wt', name);
    ok(await box.port.addWorktree(repo, { branch: 'codesleuth/p1/task-001-1', base: 'HEAD', dir: wt('clean') }));
    ok(await box.port.addWorktree(repo, { branch: 'codesleuth/p1/task-002-1', base: 'HEAD', dir: wt('dirty') }));
    await write(wt('dirty'), 'half.js', 'half-written\n');
    ok(await box.port.addWorktree(repo, { branch: 'codesleuth/p1/task-003-1', base: 'HEAD', dir: wt('committed') }));
    await write(wt('committed'), 'done.js', 'done\n');
    ok(await box.port.commitTask(wt('committed'), { taskId: 'TASK-003', title: 'Done', body: '' }));
    ok(await box.port.addWorktree(repo, { branch: 'codesleuth/p2/task-001-1', base: 'HEAD', dir: wt('other-project') }));

    const cleanup = await removeLeftoverWorktrees(box.port, repo, 'codesleuth/p1/');

    expect(cleanup.problems).toEqual([]);
    expect(cleanup.removed.map((w) => [w.branch, w.branchDeleted]).sort()).toEqual([
      ['codesleuth/p1/task-001-1', true],
      ['codesleuth/p1/task-002-1', true],
      ['codesleuth/p1/task-003-1', false],
    ]);
    const dirty = cleanup.removed.find((w) => w.branch === 'codesleuth/p1/task-002-1')!;
    expect(dirty.snapshot?.files).toEqual(['half.js']);
    expect(box.git(repo, 'show', `${dirty.snapshot!.ref}:half.js`)).toBe('half-written\n');
    expect(cleanup.keptBranches).toEqual(['codesleuth/p1/task-003-1']);
    expect(ok(await box.port.listWorktrees(repo)).map((w) => w.branch)).toEqual(['main', 'codesleuth/p2/task-001-1']);
    expect(box.git(repo, 'branch', '--list', '--format=%(refname:short)')).toBe('codesleuth/p1/task-003-1\ncodesleuth/p2/task-001-1\nmain\n');
    for (const name of ['clean', 'dirty', 'committed']) expect(await exists(wt(name), '')).toBe(false);
  });
});
