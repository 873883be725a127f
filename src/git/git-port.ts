import path from 'node:path';
import { gitOk, type GitResult } from '../core/git/git-results.js';
import type { GitPort } from '../core/git/ports.js';
import { checkoutCommit, commitPersonWork, commitTask } from './commits.js';
import { diffFiles } from './diff.js';
import { createGitRunner, type GitRunner, type GitRunnerOptions } from './git-runner.js';
import { mergeBranch } from './merge.js';
import { openRepo, readStatus } from './repo-context.js';
import { restoreSnapshot } from './snapshot-restore.js';
import { setAsideWork } from './set-aside.js';
import { listSnapshots, snapshotWork } from './snapshots.js';
import { addWorktree, listWorktrees, pruneStale, removeWorktree } from './worktrees.js';

/** Options for the git port: how git runs, and the clock snapshot names use. */
export interface GitPortOptions extends GitRunnerOptions {
  readonly now?: () => Date;
}

/** Whether `dir` is inside a git work tree; failures other than "not a repository" are errors. */
export async function isRepository(git: GitRunner, dir: string): Promise<GitResult<boolean>> {
  const result = await git.run(dir, ['rev-parse', '--is-inside-work-tree']);
  if (result.ok) return gitOk(result.value.trim() === 'true');
  return result.error.kind === 'not-a-repo' ? gitOk(false) : result;
}

/** `git init` in an existing directory. */
export async function initRepository(git: GitRunner, dir: string): Promise<GitResult<void>> {
  const result = await git.run(dir, ['init', '-q']);
  return result.ok ? gitOk(undefined) : result;
}

/**
 * Runs one repository's operations on its worktree list one at a time. git does not lock
 * .git/worktrees: a `worktree add` that scans it while another task's worktree is being
 * removed fails ("failed to read .git/worktrees/<name>/commondir"), so parallel tasks must
 * not add, remove, list or prune worktrees (or merge, which checks them) at the same moment.
 */
function perRepository(): <T>(repo: string, work: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (repo, work) => {
    const key = path.resolve(repo);
    const run = (tails.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

/** The git layer on simple-git: the only place in CodeSleuth that runs git. */
export function createGitPort(options: GitPortOptions = {}): GitPort {
  const git = createGitRunner(options);
  const serial = perRepository();
  const now = options.now ?? (() => new Date());
  const snapshot = (repo: string, label: string) => snapshotWork(git, now, repo, label);
  return {
    isRepository: (dir) => isRepository(git, dir),
    initRepository: (dir) => initRepository(git, dir),
    async status(repo) {
      const opened = await openRepo(git, repo);
      return opened.ok ? readStatus(git, opened.value) : opened;
    },
    snapshotWork: snapshot,
    restoreSnapshot: (repo, ref) => restoreSnapshot(git, repo, ref),
    listSnapshots: (repo) => listSnapshots(git, repo),
    commitPersonWork: (repo, message) => commitPersonWork(git, repo, message),
    diffFiles: (repo, files) => diffFiles(git, repo, files),
    commitTask: (repo, request) => commitTask(git, repo, request),
    checkoutCommit: (repo, rev) => checkoutCommit(git, snapshot, repo, rev),
    addWorktree: (repo, request) => serial(repo, () => addWorktree(git, repo, request)),
    removeWorktree: (repo, dir, removeOptions) => serial(repo, () => removeWorktree(git, snapshot, repo, dir, removeOptions)),
    listWorktrees: (repo) => serial(repo, () => listWorktrees(git, repo)),
    pruneStale: (repo, prefix, active) => serial(repo, () => pruneStale(git, snapshot, repo, prefix, active)),
    mergeBranch: (repo, branch, mergeOptions) => serial(repo, () => mergeBranch(git, repo, branch, mergeOptions)),
    setAsideWork: (repo, label) => setAsideWork(git, snapshot, repo, label),
  };
}
