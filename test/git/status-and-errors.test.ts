import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitPort } from '../../src/git/git-port.js';
import { gitEnvironment } from '../../src/git/git-runner.js';
import { createWorkspace } from '../../src/git/workspace.js';
import { failure, makeSandbox, ok, write, type Sandbox } from './git-fixtures.js';

let box: Sandbox;
beforeEach(async () => {
  box = await makeSandbox();
});
afterEach(async () => box.cleanup());

describe('status', () => {
  it('lists modified, staged, untracked and conflicted files', async () => {
    const repo = await box.repo();
    await write(repo, 'README.md', 'edited\n');
    await write(repo, 'staged.txt', 's\n');
    box.git(repo, 'add', 'staged.txt');
    await write(repo, 'dir/untracked.txt', 'u\n');
    await write(repo, '.gitignore', 'ignored.txt\n');
    await write(repo, 'ignored.txt', 'i\n');
    const status = ok(await box.port.status(path.join(repo, 'dir')));
    expect(status).toEqual({
      root: repo,
      branch: 'main',
      head: box.git(repo, 'rev-parse', 'HEAD').trim(),
      modified: ['README.md'],
      staged: ['staged.txt'],
      untracked: ['.gitignore', 'dir/untracked.txt'],
      conflicted: [],
      operation: null,
      clean: false,
    });
  });

  it('reports an empty repository (no HEAD) and a conflicted merge', async () => {
    const empty = await box.repo('empty', { empty: true });
    expect(ok(await box.port.status(empty))).toMatchObject({ branch: 'main', head: null, clean: true });

    const repo = await box.repo();
    box.git(repo, 'checkout', '-q', '-b', 'other');
    await write(repo, 'README.md', 'other\n');
    box.git(repo, 'commit', '-q', '-am', 'other');
    box.git(repo, 'checkout', '-q', 'main');
    await write(repo, 'README.md', 'main\n');
    box.git(repo, 'commit', '-q', '-am', 'main');
    expect(() => box.git(repo, 'merge', 'other')).toThrow();
    const status = ok(await box.port.status(repo));
    expect(status).toMatchObject({ conflicted: ['README.md'], operation: 'merge', clean: false });
    expect(failure(await box.port.commitTask(repo, { taskId: 'TASK-001', title: 'x', body: '' })).kind).toBe('operation-in-progress');
  });
});

describe('errors a person can act on', () => {
  it('not a repository, or a folder that does not exist', async () => {
    expect(ok(await box.port.isRepository(box.home))).toBe(false);
    expect(ok(await box.port.isRepository(await box.repo()))).toBe(true);
    const error = failure(await box.port.status(box.home));
    expect(error.kind).toBe('not-a-repo');
    expect(error.hint).toContain('git init');
    expect(failure(await box.port.snapshotWork(path.join(box.root, 'missing'), 'x')).kind).toBe('not-a-repo');
  });

  it('git missing from PATH', async () => {
    const port = createGitPort({ env: { ...box.env, PATH: path.join(box.root, 'no-bin') } });
    const error = failure(await port.status(box.root));
    expect(error.kind).toBe('git-missing');
    expect(error.hint).toContain('Install git');
  });

  it('nothing to commit', async () => {
    const repo = await box.repo();
    expect(failure(await box.port.commitPersonWork(repo, 'x')).kind).toBe('nothing-to-commit');
    expect(failure(await box.port.commitPersonWork(repo, '  ')).kind).toBe('invalid-request');
  });
});

describe('the git environment', () => {
  it('drops git variables that could redirect git, keeps identity, pins messages to English', () => {
    const env = gitEnvironment({ PATH: '/bin', GIT_DIR: '/elsewhere', GIT_INDEX_FILE: '/x', GIT_AUTHOR_NAME: 'CI', EDITOR: 'vim', LC_ALL: 'de_DE.UTF-8', GITHUB_TOKEN: 't' });
    expect(env).toEqual({
      PATH: '/bin',
      GIT_AUTHOR_NAME: 'CI',
      LC_CTYPE: 'de_DE.UTF-8',
      LC_MESSAGES: 'C',
      GIT_TERMINAL_PROMPT: '0',
      GIT_OPTIONAL_LOCKS: '0',
    });
  });
});

describe('workspace (moved onto the git runner)', () => {
  it('tells a repository from a plain folder and makes one with git init', async () => {
    const workspace = createWorkspace(box.root);
    const plain = path.join(box.root, 'plain');
    await workspace.createDirectory(plain);
    expect(await workspace.inspect(plain)).toEqual({ kind: 'directory', isGitRepo: false });
    await workspace.initGitRepository(plain);
    expect(await workspace.inspect(plain)).toEqual({ kind: 'directory', isGitRepo: true });
    expect(await workspace.inspect(path.join(box.root, 'nope'))).toEqual({ kind: 'missing' });
  });
});
