import { copyFile, lstat, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gitFail, gitOk, type GitOperation, type GitResult, type RepoStatus } from '../core/git/git-results.js';
import { parseStatusV2, splitNul } from '../core/git/parse-git-output.js';
import type { GitRunner } from './git-runner.js';

/** Where a repository (or one of its worktrees) lives and where HEAD points. */
export interface RepoContext {
  /** Top directory of the work tree. */
  readonly root: string;
  /** This work tree's own git directory (.git, or .git/worktrees/<name>). */
  readonly gitDir: string;
  /** This work tree's index file. */
  readonly indexFile: string;
  readonly head: string | null;
  /** null when detached. */
  readonly branch: string | null;
}

/** The identity CodeSleuth commits with when the repository and the person's config name none. */
export const FALLBACK_IDENTITY = { name: 'CodeSleuth', email: 'codesleuth@localhost' } as const;

/** Finds the work tree around `dir`; `not-a-repo` when there is none. */
export async function openRepo(git: GitRunner, dir: string): Promise<GitResult<RepoContext>> {
  const exists = await stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!exists) return gitFail('not-a-repo', `${dir} does not exist or is not a directory.`, { hint: 'Check the project path.' });
  const located = await git.run(dir, ['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-path', 'index']);
  if (!located.ok) return located;
  const [root = '', gitDir = '', index = ''] = located.value.split('\n');
  if (root.length === 0) {
    return gitFail('not-a-repo', `${dir} is inside a git directory or a bare repository, not a work tree.`, { hint: 'Use the folder where the project files are checked out.' });
  }
  const head = await git.exec(root, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']);
  const branch = await git.exec(root, ['symbolic-ref', '-q', '--short', 'HEAD']);
  return gitOk({
    root,
    gitDir,
    indexFile: path.resolve(dir, index),
    head: head.exitCode === 0 ? head.stdout.trim() : null,
    branch: branch.exitCode === 0 ? branch.stdout.trim() : null,
  });
}

const OPERATION_MARKERS: readonly [string, GitOperation][] = [
  ['MERGE_HEAD', 'merge'],
  ['rebase-merge', 'rebase'],
  ['rebase-apply', 'rebase'],
  ['CHERRY_PICK_HEAD', 'cherry-pick'],
  ['REVERT_HEAD', 'revert'],
  ['BISECT_LOG', 'bisect'],
];

/** The merge, rebase, ... under way in this work tree, if any. */
export async function operationInProgress(context: RepoContext): Promise<GitOperation | null> {
  for (const [marker, operation] of OPERATION_MARKERS) {
    if (await pathExists(path.join(context.gitDir, marker))) return operation;
  }
  return null;
}

/** `git status` as a RepoStatus. Does not write the index (GIT_OPTIONAL_LOCKS=0). */
export async function readStatus(git: GitRunner, context: RepoContext): Promise<GitResult<RepoStatus>> {
  const result = await git.run(context.root, ['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=all', '--ignore-submodules=none']);
  if (!result.ok) return result;
  const parsed = parseStatusV2(result.value);
  const clean = parsed.modified.length + parsed.staged.length + parsed.untracked.length + parsed.conflicted.length === 0;
  return gitOk({ root: context.root, ...parsed, operation: await operationInProgress(context), clean });
}

/** Every file with uncommitted changes of any kind, sorted and without repeats. */
export function dirtyFiles(status: RepoStatus): string[] {
  return [...new Set([...status.conflicted, ...status.staged, ...status.modified, ...status.untracked])].sort();
}

/** Refusal for an operation that cannot run during a merge, rebase, ... */
export function refuseOperation<T>(operation: GitOperation, what: string): GitResult<T> {
  return gitFail('operation-in-progress', `A ${operation} is in progress, so CodeSleuth will not ${what}.`, {
    hint: `Finish it (git ${operation} --continue) or abandon it (git ${operation} --abort), then try again.`,
  });
}

/** Refusal for an operation that needs a branch checked out. */
export function refuseDetached<T>(context: RepoContext, what: string): GitResult<T> {
  return gitFail('detached-head', `HEAD in ${context.root} is detached (not on a branch), so CodeSleuth will not ${what}.`, {
    hint: 'Switch to a branch (git switch <branch>), or create one here (git switch -c <new-branch>).',
  });
}

/**
 * `-c user.name=... -c user.email=...` for whichever the repository and the person's config
 * do not set, so commits work on a fresh machine or CI without changing any config file.
 */
export async function identityConfig(git: GitRunner, context: RepoContext): Promise<string[]> {
  const config: string[] = [];
  const name = await git.exec(context.root, ['config', '--get', 'user.name']);
  if (name.exitCode !== 0 || name.stdout.trim().length === 0) config.push(`user.name=${FALLBACK_IDENTITY.name}`);
  const email = await git.exec(context.root, ['config', '--get', 'user.email']);
  if (email.exitCode !== 0 || email.stdout.trim().length === 0) config.push(`user.email=${FALLBACK_IDENTITY.email}`);
  return config;
}

/** A scratch directory removed after `work`, whatever happens. */
export async function withScratch<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'codesleuth-git-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Writes paths NUL-separated for `--pathspec-from-file=<file> --pathspec-file-nul` and returns
 * those two arguments. Each path is marked `:(literal)`, so a file named `*.ts` means that
 * file, and the list never meets a command line's length limit.
 */
export async function pathspecArgs(scratch: string, name: string, paths: readonly string[]): Promise<string[]> {
  const file = path.join(scratch, `${name}.pathspec`);
  await writeFile(file, paths.map((p) => `:(literal)${p}\0`).join(''));
  return [`--pathspec-from-file=${file}`, '--pathspec-file-nul'];
}

/** Copies the index so git can work on the copy (GIT_INDEX_FILE) and leave the real one alone. */
export async function copyIndex(context: RepoContext, to: string): Promise<boolean> {
  if (!(await pathExists(context.indexFile))) return false;
  await copyFile(context.indexFile, to);
  return true;
}

/** Puts a saved copy of the index back (after a commit failed half-way). */
export async function restoreIndex(context: RepoContext, saved: string | null): Promise<void> {
  if (saved === null) await rm(context.indexFile, { force: true });
  else await copyFile(saved, context.indexFile);
}

/** Paths listed by a `-z` ls-files/ls-tree/diff --name-only call. */
export async function nulList(git: GitRunner, cwd: string, args: readonly string[], options?: { env?: Record<string, string> }): Promise<GitResult<string[]>> {
  const result = await git.run(cwd, args, options);
  return result.ok ? gitOk(splitNul(result.value)) : result;
}

/** True when something (file, directory, link, even a dangling one) is at `file`. */
export async function pathExists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

/** The commit a revision names, or null when there is none. */
export async function resolveCommit(git: GitRunner, context: RepoContext, rev: string): Promise<string | null> {
  if (rev.startsWith('-')) return null;
  const result = await git.exec(context.root, ['rev-parse', '--verify', '-q', `${rev}^{commit}`]);
  return result.exitCode === 0 ? result.stdout.trim() : null;
}
