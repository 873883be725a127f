import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exists, failure, makeSandbox, ok, read, treeBytes, write, type Sandbox } from './git-fixtures.js';

let box: Sandbox;
beforeEach(async () => {
  let tick = 0;
  box = await makeSandbox(() => new Date(Date.UTC(2025, 0, 31, 10, 20, 30, tick++)));
});
afterEach(async () => box.cleanup());

/**
 * The person's dirty tree: a modified tracked file, a staged new file, a staged-then-modified
 * file, an untracked file, a deleted tracked file, a binary file, and an ignored file.
 */
async function dirtyRepo(): Promise<string> {
  const repo = await box.repo();
  await write(repo, '.gitignore', 'secret.env\n');
  await write(repo, 'src/app.ts', 'export const a = 1;\n');
  await write(repo, 'notes.md', 'v1\n');
  await write(repo, 'old.txt', 'to be deleted\n');
  box.git(repo, 'add', '-A');
  box.git(repo, 'commit', '-q', '-m', 'base');

  await write(repo, 'src/app.ts', 'export const a = 2; // person editing\n');
  await write(repo, 'src/new-feature.ts', 'export const feature = true;\n');
  box.git(repo, 'add', 'src/new-feature.ts');
  await write(repo, 'notes.md', 'v2 staged\n');
  box.git(repo, 'add', 'notes.md');
  await write(repo, 'notes.md', 'v3 in the working tree\n');
  await write(repo, 'scratch/todo.txt', 'untracked idea\n');
  await write(repo, 'logo.bin', Buffer.from([0, 1, 2, 255, 254, 10, 13, 0]));
  await rm(path.join(repo, 'old.txt'));
  await write(repo, 'secret.env', 'TOKEN=ignored\n');
  return repo;
}

const stagedIndex = (repo: string) => box.git(repo, 'ls-files', '-s');
const shortStatus = (repo: string) => box.git(repo, 'status', '--porcelain=v1', '--untracked-files=all');

describe('snapshotWork', () => {
  it('saves staged, modified, untracked and deleted files without touching the work tree or the index', async () => {
    const repo = await dirtyRepo();
    const bytesBefore = await treeBytes(repo);
    const indexFileBefore = await readFile(path.join(repo, '.git', 'index'));
    const indexBefore = stagedIndex(repo);
    const statusBefore = shortStatus(repo);
    const headBefore = box.git(repo, 'rev-parse', 'HEAD');

    const snapshot = ok(await box.port.snapshotWork(repo, 'before build!'));

    expect(await treeBytes(repo)).toEqual(bytesBefore);
    expect(await readFile(path.join(repo, '.git', 'index'))).toEqual(indexFileBefore);
    expect(stagedIndex(repo)).toBe(indexBefore);
    expect(shortStatus(repo)).toBe(statusBefore);
    expect(box.git(repo, 'rev-parse', 'HEAD')).toBe(headBefore);
    expect(box.git(repo, 'stash', 'list')).toBe('');

    expect(snapshot.ref).toBe('refs/codesleuth/snapshots/2025-01-31T10-20-30.000Z-before-build');
    expect(box.git(repo, 'rev-parse', snapshot.ref).trim()).toBe(snapshot.sha);
    expect(snapshot.files).toEqual(['logo.bin', 'notes.md', 'old.txt', 'scratch/todo.txt', 'src/app.ts', 'src/new-feature.ts']);
    expect(snapshot.files).not.toContain('secret.env');
    expect(snapshot.base).toBe(headBefore.trim());
    expect(snapshot.indexSaved).toBe(true);
    expect(box.git(repo, 'show', `${snapshot.sha}:notes.md`)).toBe('v3 in the working tree\n');
    expect(box.git(repo, 'show', `${snapshot.sha}:scratch/todo.txt`)).toBe('untracked idea\n');
    expect(snapshot.restoreInstructions).toContain(`git checkout ${snapshot.sha} -- `);
  });

  it('never overwrites an earlier snapshot taken in the same millisecond', async () => {
    const frozen = await makeSandbox(() => new Date(Date.UTC(2025, 0, 1)));
    try {
      const repo = await frozen.repo();
      await write(repo, 'a.txt', '1\n');
      const first = ok(await frozen.port.snapshotWork(repo, 'same'));
      await write(repo, 'a.txt', '2\n');
      const second = ok(await frozen.port.snapshotWork(repo, 'same'));
      expect(second.ref).toBe(`${first.ref}-2`);
      expect(frozen.git(repo, 'show', `${first.ref}:a.txt`)).toBe('1\n');
      expect(frozen.git(repo, 'show', `${second.ref}:a.txt`)).toBe('2\n');
    } finally {
      await frozen.cleanup();
    }
  });

  it('refuses a clean tree with nothing-to-save', async () => {
    const repo = await box.repo();
    expect(failure(await box.port.snapshotWork(repo, 'x')).kind).toBe('nothing-to-save');
  });

  it('works in a repository with no commits yet', async () => {
    const repo = await box.repo('fresh', { empty: true });
    await write(repo, 'a.txt', 'staged\n');
    box.git(repo, 'add', 'a.txt');
    await write(repo, 'b.txt', 'untracked\n');
    const snapshot = ok(await box.port.snapshotWork(repo, 'first'));
    expect(snapshot.base).toBeNull();
    expect(snapshot.files).toEqual(['a.txt', 'b.txt']);
    await rm(path.join(repo, 'b.txt'));
    box.git(repo, 'rm', '-q', '--cached', 'a.txt');
    await rm(path.join(repo, 'a.txt'));
    ok(await box.port.restoreSnapshot(repo, snapshot.ref));
    expect(await read(repo, 'b.txt')).toBe('untracked\n');
    expect(shortStatus(repo)).toBe('A  a.txt\n?? b.txt\n');
  });
});

describe('restoreSnapshot', () => {
  it('brings every file back after a destructive reset, with the staged file staged again', async () => {
    const repo = await dirtyRepo();
    const bytesBefore = await treeBytes(repo);
    const indexBefore = stagedIndex(repo);
    const statusBefore = shortStatus(repo);
    const snapshot = ok(await box.port.snapshotWork(repo, 'safety'));

    box.git(repo, 'reset', '-q', '--hard');
    box.git(repo, 'clean', '-fdq');
    expect(await exists(repo, 'scratch/todo.txt')).toBe(false);
    expect(await read(repo, 'secret.env')).toBe('TOKEN=ignored\n');

    const restored = ok(await box.port.restoreSnapshot(repo, snapshot.ref));
    expect(restored.files).toEqual(snapshot.files);
    expect(await treeBytes(repo)).toEqual(bytesBefore);
    expect(stagedIndex(repo)).toBe(indexBefore);
    expect(shortStatus(repo)).toBe(statusBefore);
  });

  it('brings the work back after `git checkout -- . && git clean -fd`', async () => {
    const repo = await dirtyRepo();
    const bytesBefore = await treeBytes(repo);
    const indexBefore = stagedIndex(repo);
    const snapshot = ok(await box.port.snapshotWork(repo, 'checkout-clean'));
    box.git(repo, 'checkout', '--', '.');
    box.git(repo, 'clean', '-fdq');
    ok(await box.port.restoreSnapshot(repo, snapshot.ref));
    expect(await treeBytes(repo)).toEqual(bytesBefore);
    expect(stagedIndex(repo)).toBe(indexBefore);
  });

  it('also works with the ref named without its prefix, and again when already restored', async () => {
    const repo = await dirtyRepo();
    const snapshot = ok(await box.port.snapshotWork(repo, 'twice'));
    const short = snapshot.ref.slice('refs/codesleuth/snapshots/'.length);
    expect(ok(await box.port.restoreSnapshot(repo, short)).files).toEqual(snapshot.files);
  });

  it('refuses, writing nothing, when a file changed since the snapshot', async () => {
    const repo = await dirtyRepo();
    const snapshot = ok(await box.port.snapshotWork(repo, 'guard'));
    box.git(repo, 'reset', '-q', '--hard');
    box.git(repo, 'clean', '-fdq');
    await write(repo, 'src/app.ts', 'newer work\n');
    const error = failure(await box.port.restoreSnapshot(repo, snapshot.ref));
    expect(error.kind).toBe('uncommitted-changes');
    expect(error.files).toEqual(['src/app.ts']);
    expect(await read(repo, 'src/app.ts')).toBe('newer work\n');
    expect(await exists(repo, 'scratch/todo.txt')).toBe(false);
  });

  it('refuses to overwrite an ignored file', async () => {
    const repo = await box.repo();
    await write(repo, 'build.log', 'saved\n');
    const snapshot = ok(await box.port.snapshotWork(repo, 'log'));
    await write(repo, '.gitignore', 'build.log\n');
    box.git(repo, 'add', '.gitignore');
    box.git(repo, 'commit', '-q', '-m', 'ignore logs');
    await write(repo, 'build.log', 'ignored now\n');
    const error = failure(await box.port.restoreSnapshot(repo, snapshot.ref));
    expect(error.files).toEqual(['build.log']);
  });

  it('says not-a-snapshot for another ref and unknown-revision for a missing one', async () => {
    const repo = await box.repo();
    expect(failure(await box.port.restoreSnapshot(repo, 'refs/heads/main')).kind).toBe('not-a-snapshot');
    expect(failure(await box.port.restoreSnapshot(repo, 'nope')).kind).toBe('unknown-revision');
  });

  it('gives instructions a person can paste to get the work back by hand', async () => {
    const repo = await dirtyRepo();
    const bytesBefore = await treeBytes(repo);
    const indexBefore = stagedIndex(repo);
    const snapshot = ok(await box.port.snapshotWork(repo, 'manual'));
    box.git(repo, 'reset', '-q', '--hard');
    box.git(repo, 'clean', '-fdq');
    const commands = snapshot.restoreInstructions
      .split('\n')
      .filter((line) => line.startsWith('  '))
      .join('\n');
    execFileSync('bash', ['-euc', commands], { env: box.env as NodeJS.ProcessEnv, stdio: 'pipe' });
    expect(await treeBytes(repo)).toEqual(bytesBefore);
    expect(stagedIndex(repo)).toBe(indexBefore);
  });
});

describe('listSnapshots', () => {
  it('lists snapshots newest first and skips foreign refs', async () => {
    const repo = await box.repo();
    await write(repo, 'a.txt', '1\n');
    const first = ok(await box.port.snapshotWork(repo, 'one'));
    await write(repo, 'a.txt', '2\n');
    const second = ok(await box.port.snapshotWork(repo, 'two'));
    box.git(repo, 'update-ref', 'refs/codesleuth/snapshots/foreign', 'HEAD');
    const listed = ok(await box.port.listSnapshots(repo));
    expect(listed.map((s) => s.ref)).toEqual([second.ref, first.ref]);
    expect(listed[0]).toMatchObject({ label: 'two', sha: second.sha, base: second.base, createdAt: second.createdAt });
  });
});
