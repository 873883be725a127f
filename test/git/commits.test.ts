import { chmod, readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failure, makeSandbox, ok, read, treeBytes, write, type Sandbox } from './git-fixtures.js';

let box: Sandbox;
beforeEach(async () => {
  box = await makeSandbox();
});
afterEach(async () => box.cleanup());

const log = (repo: string, format: string, rev = 'HEAD') => box.git(repo, 'log', '-1', `--format=${format}`, rev);
const filesIn = (repo: string, rev = 'HEAD') => box.git(repo, 'show', '--name-only', '--format=', rev).trim().split('\n');

describe('commitTask', () => {
  it('commits only the given paths; the person’s staged and unstaged work stays as it was', async () => {
    const repo = await box.repo();
    await write(repo, 'person.txt', 'mine, staged\n');
    box.git(repo, 'add', 'person.txt');
    await write(repo, 'README.md', '# project (person editing)\n');
    await write(repo, 'src/task.ts', 'export const task = 3;\n');
    await write(repo, 'test/task.test.ts', 'test\n');

    const sha = ok(await box.port.commitTask(repo, { taskId: 'TASK-003', title: 'Add the task module', body: 'Implements F-02.\n', files: ['src/task.ts', 'test/task.test.ts'] }));

    expect(box.git(repo, 'rev-parse', 'HEAD').trim()).toBe(sha);
    expect(filesIn(repo)).toEqual(['src/task.ts', 'test/task.test.ts']);
    expect(log(repo, '%B')).toBe('TASK-003: Add the task module\n\nImplements F-02.\n\n');
    expect(box.git(repo, 'status', '--porcelain=v1')).toBe(' M README.md\nA  person.txt\n');
  });

  it('treats a path that looks like a pattern as that one file', async () => {
    const repo = await box.repo();
    await write(repo, '*.ts', 'star\n');
    await write(repo, 'a.ts', 'a\n');
    ok(await box.port.commitTask(repo, { taskId: 'TASK-002', title: 'Literal', body: '', files: ['*.ts'] }));
    expect(filesIn(repo)).toEqual(['*.ts']);
    expect(box.git(repo, 'status', '--porcelain')).toBe('?? a.ts\n');
  });

  it('commits a deleted file when it is listed', async () => {
    const repo = await box.repo();
    await write(repo, 'gone.ts', 'x\n');
    box.git(repo, 'add', '-A');
    box.git(repo, 'commit', '-q', '-m', 'add');
    box.git(repo, 'rm', '-q', 'gone.ts');
    ok(await box.port.commitTask(repo, { taskId: 'TASK-004', title: 'Remove gone', body: '', files: ['gone.ts', 'never-existed.ts'] }));
    expect(box.git(repo, 'show', '--name-status', '--format=', 'HEAD').trim()).toBe('D\tgone.ts');
    expect(log(repo, '%s')).toBe('TASK-004: Remove gone\n');
  });

  it('commits everything when no paths are given', async () => {
    const repo = await box.repo();
    await write(repo, 'a.txt', 'a\n');
    await write(repo, 'README.md', 'changed\n');
    ok(await box.port.commitTask(repo, { taskId: 'TASK-001', title: 'All', body: 'b' }));
    expect(filesIn(repo)).toEqual(['README.md', 'a.txt']);
    expect(box.git(repo, 'status', '--porcelain')).toBe('');
  });

  it('falls back to CodeSleuth <codesleuth@localhost> with an empty HOME, and writes no config', async () => {
    const realGlobal = path.join(homedir(), '.gitconfig');
    const realBefore = await readFile(realGlobal).catch(() => null);
    const repo = await box.repo();
    const repoConfigBefore = await read(repo, '.git/config');
    await write(repo, 'a.txt', 'a\n');
    ok(await box.port.commitTask(repo, { taskId: 'TASK-001', title: 'Identity', body: '' }));
    expect(log(repo, '%an <%ae>|%cn <%ce>')).toBe('CodeSleuth <codesleuth@localhost>|CodeSleuth <codesleuth@localhost>\n');
    expect(await readdir(box.home)).toEqual([]);
    expect(await read(repo, '.git/config')).toBe(repoConfigBefore);
    expect(await readFile(realGlobal).catch(() => null)).toEqual(realBefore);
  });

  it('uses the identity the repository is configured with', async () => {
    const repo = await box.repo();
    box.git(repo, 'config', 'user.name', 'Ada Person');
    box.git(repo, 'config', 'user.email', 'ada@example.com');
    await write(repo, 'a.txt', 'a\n');
    ok(await box.port.commitTask(repo, { taskId: 'TASK-001', title: 'Identity', body: '' }));
    expect(log(repo, '%an <%ae>')).toBe('Ada Person <ada@example.com>\n');
  });

  it('says nothing-to-commit, and leaves the index alone, when the paths have no changes', async () => {
    const repo = await box.repo();
    await write(repo, 'other.txt', 'x\n');
    const indexBefore = await readFile(path.join(repo, '.git', 'index'));
    const error = failure(await box.port.commitTask(repo, { taskId: 'TASK-001', title: 'Nothing', body: '', files: ['README.md'] }));
    expect(error.kind).toBe('nothing-to-commit');
    expect(await readFile(path.join(repo, '.git', 'index'))).toEqual(indexBefore);
  });

  it('rejects a malformed request with the field and what was expected', async () => {
    const repo = await box.repo();
    const error = failure(await box.port.commitTask(repo, { taskId: 'task3', title: 'x', body: '', files: ['../outside.txt'] }));
    expect(error.kind).toBe('invalid-request');
    expect(error.message).toContain('taskId');
    expect(error.message).toContain('leaves the repository');
  });

  it('refuses on a detached HEAD', async () => {
    const repo = await box.repo();
    box.git(repo, 'checkout', '-q', '--detach');
    await write(repo, 'a.txt', 'a\n');
    const error = failure(await box.port.commitTask(repo, { taskId: 'TASK-001', title: 'x', body: '' }));
    expect(error.kind).toBe('detached-head');
    expect(error.hint).toContain('git switch');
  });

  it('puts the index back when a hook refuses the commit', async () => {
    const repo = await box.repo();
    await write(repo, '.git/hooks/pre-commit', '#!/bin/sh\necho "lint failed" >&2\nexit 1\n');
    await chmod(path.join(repo, '.git/hooks/pre-commit'), 0o755);
    await write(repo, 'a.txt', 'a\n');
    const statusBefore = box.git(repo, 'status', '--porcelain');
    const error = failure(await box.port.commitTask(repo, { taskId: 'TASK-001', title: 'x', body: '' }));
    expect(error.message).toContain('refused');
    expect(error.detail).toContain('lint failed');
    expect(box.git(repo, 'status', '--porcelain')).toBe(statusBefore);
  });
});

describe('commitPersonWork', () => {
  it('commits all of the person’s changes, untracked ones included', async () => {
    const repo = await box.repo();
    await write(repo, 'README.md', 'edited\n');
    await write(repo, 'new.txt', 'new\n');
    const sha = ok(await box.port.commitPersonWork(repo, 'WIP: my changes before CodeSleuth builds'));
    expect(box.git(repo, 'rev-parse', 'HEAD').trim()).toBe(sha);
    expect(filesIn(repo)).toEqual(['README.md', 'new.txt']);
    expect(log(repo, '%s')).toBe('WIP: my changes before CodeSleuth builds\n');
    expect(box.git(repo, 'status', '--porcelain')).toBe('');
    expect(failure(await box.port.commitPersonWork(repo, 'again')).kind).toBe('nothing-to-commit');
  });
});

describe('checkoutCommit', () => {
  it('snapshots uncommitted work first, then detaches HEAD at the commit', async () => {
    const repo = await box.repo();
    const first = box.git(repo, 'rev-parse', 'HEAD').trim();
    await write(repo, 'README.md', 'second\n');
    box.git(repo, 'commit', '-q', '-am', 'second');
    await write(repo, 'README.md', 'uncommitted edit\n');
    await write(repo, 'idea.txt', 'untracked\n');
    const bytesBefore = await treeBytes(repo);

    const moved = ok(await box.port.checkoutCommit(repo, first));
    expect(moved.head).toBe(first);
    expect(moved.snapshot?.files).toEqual(['README.md', 'idea.txt']);
    expect(await read(repo, 'README.md')).toBe('# project\n');
    const status = ok(await box.port.status(repo));
    expect(status).toMatchObject({ branch: null, head: first, modified: [], staged: [] });

    box.git(repo, 'checkout', '-q', 'main');
    ok(await box.port.restoreSnapshot(repo, moved.snapshot!.ref));
    expect(await treeBytes(repo)).toEqual(bytesBefore);
  });

  it('refuses when an ignored file would be overwritten, before changing anything', async () => {
    const repo = await box.repo();
    const first = box.git(repo, 'rev-parse', 'HEAD').trim();
    await write(repo, 'config.local', 'tracked once\n');
    box.git(repo, 'add', 'config.local');
    box.git(repo, 'commit', '-q', '-m', 'add config');
    const withConfig = box.git(repo, 'rev-parse', 'HEAD').trim();
    box.git(repo, 'rm', '-q', '--cached', 'config.local');
    await write(repo, '.gitignore', 'config.local\n');
    box.git(repo, 'add', '.gitignore');
    box.git(repo, 'commit', '-q', '-m', 'ignore config');
    await write(repo, 'config.local', 'my secret settings\n');
    const error = failure(await box.port.checkoutCommit(repo, withConfig));
    expect(error.files).toEqual(['config.local']);
    expect(await read(repo, 'config.local')).toBe('my secret settings\n');
    expect(ok(await box.port.listSnapshots(repo))).toEqual([]);
    expect(ok(await box.port.checkoutCommit(repo, first)).snapshot).toBeNull();
    expect((await stat(path.join(repo, 'config.local'))).isFile()).toBe(true);
  });
});
