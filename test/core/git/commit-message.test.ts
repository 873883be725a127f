import { describe, expect, it } from 'vitest';
import { classifyGitFailure } from '../../../src/core/git/classify-failure.js';
import { formatTaskCommitMessage, repoPathProblem, taskCommitRequestSchema } from '../../../src/core/git/commit-message.js';

describe('formatTaskCommitMessage', () => {
  it('writes "TASK-003: title", a blank line and the body', () => {
    expect(formatTaskCommitMessage({ taskId: 'TASK-003', title: 'Add login', body: '\nWhy and how.\n\n' })).toBe('TASK-003: Add login\n\nWhy and how.');
  });

  it('keeps the subject on one line and drops an empty body', () => {
    expect(formatTaskCommitMessage({ taskId: 'TASK-010', title: 'Two\nlines ', body: '  ' })).toBe('TASK-010: Two lines');
  });
});

describe('taskCommitRequestSchema', () => {
  it('accepts a well-formed request and rejects bad ids, empty titles and paths leaving the repository', () => {
    expect(taskCommitRequestSchema.safeParse({ taskId: 'TASK-001', title: 't', body: '', files: ['src/a.ts'] }).success).toBe(true);
    const bad = taskCommitRequestSchema.safeParse({ taskId: 'T-1', title: ' ', body: '', files: ['/etc/passwd', 'a/../../b'], extra: 1 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['taskId', 'title', 'files.0', 'files.1', '']);
  });

  it.each([
    ['src/a.ts', undefined],
    ['', 'a file path must not be empty'],
    ['C:\\x', '"C:\\x" is absolute; give the path relative to the repository\'s top folder'],
    ['..', '".." leaves the repository ("..")'],
  ])('repoPathProblem(%j)', (path, problem) => {
    expect(repoPathProblem(path)).toBe(problem);
  });
});

describe('classifyGitFailure', () => {
  const base = { command: 'git status', cwd: '/work/p', exitCode: 128 };
  it.each([
    ['fatal: not a git repository (or any of the parent directories): .git\n', 'not-a-repo'],
    ["fatal: detected dubious ownership in repository at '/srv/p'\n", 'unsafe-repository'],
    ["fatal: Unable to create '/p/.git/index.lock': File exists.\n", 'locked'],
    ['error: Your local changes to the following files would be overwritten by checkout:\n\ta.ts\n', 'uncommitted-changes'],
    ["fatal: a branch named 'x' already exists\n", 'branch-exists'],
    ["fatal: '/wt/a' already exists\n", 'path-exists'],
    ["fatal: ambiguous argument 'nope': unknown revision or path not in the working tree.\n", 'unknown-revision'],
    ['error: something else\n', 'git-failed'],
  ])('%j is %s', (stderr, kind) => {
    expect(classifyGitFailure({ ...base, stderr }).kind).toBe(kind);
  });

  it('says how to fix what it can name', () => {
    expect(classifyGitFailure({ ...base, stderr: '', spawnError: 'spawn git ENOENT' })).toMatchObject({ kind: 'git-missing', hint: expect.stringContaining('Install git') });
    expect(classifyGitFailure({ ...base, stderr: "fatal: detected dubious ownership in repository at '/srv/p'\n" }).hint).toBe(
      "If you trust this folder, run: git config --global --add safe.directory '/srv/p'",
    );
    expect(classifyGitFailure({ ...base, stderr: 'hint: try this\nerror: it broke\n' })).toMatchObject({ message: '`git status` failed in /work/p: it broke.', detail: 'error: it broke' });
  });
});
