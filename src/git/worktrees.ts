import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { gitFail, gitOk, type GitResult, type PruneReport, type RemovedWorktree, type Snapshot, type Worktree } from '../core/git/git-results.js';
import { parseRefLines, parseWorktreeList } from '../core/git/parse-git-output.js';
import type { AddWorktreeRequest, RemoveWorktreeOptions } from '../core/git/ports.js';
import type { GitRunner } from './git-runner.js';
import { dirtyFiles, openRepo, pathExists, readStatus, resolveCommit, type RepoContext } from './repo-context.js';

/**
 * Worktrees for tasks that run side by side, and the clean-up after a crash. A worktree
 * with uncommitted work is only removed when asked to force it, and then its work is
 * snapshotted first (snapshot refs are shared by all worktrees of a repository).
 */

type SnapshotFn = (repo: string, label: string) => Promise<GitResult<Snapshot>>;

/** The same directory however it is spelled (symlinked temp folders on macOS, trailing slashes). */
async function canonical(dir: string): Promise<string> {
  return realpath(dir).catch(() => path.resolve(dir));
}

async function worktreesOf(git: GitRunner, context: RepoContext): Promise<GitResult<Worktree[]>> {
  const withNul = await git.exec(context.root, ['worktree', 'list', '--porcelain', '-z']);
  if (withNul.exitCode === 0) return gitOk(parseWorktreeList(withNul.stdout, true));
  // git before 2.36 has no -z; paths with line breaks are then misread, which is all it costs.
  const plain = await git.run(context.root, ['worktree', 'list', '--porcelain']);
  return plain.ok ? gitOk(parseWorktreeList(plain.value, false)) : plain;
}

/** Every worktree of the repository, its main one first. */
export async function listWorktrees(git: GitRunner, repo: string): Promise<GitResult<readonly Worktree[]>> {
  const opened = await openRepo(git, repo);
  return opened.ok ? worktreesOf(git, opened.value) : opened;
}

/** Creates `branch` at `base` and checks it out in a new worktree at `dir`. */
export async function addWorktree(git: GitRunner, repo: string, request: AddWorktreeRequest): Promise<GitResult<Worktree>> {
  const opened = await openRepo(git, repo);
  if (!opened.ok) return opened;
  const context = opened.value;
  const validName = await git.exec(context.root, ['check-ref-format', '--branch', request.branch]);
  if (request.branch.startsWith('-') || validName.exitCode !== 0) {
    return gitFail('invalid-request', `"${request.branch}" is not a valid branch name.`, { hint: 'Use letters, digits, "-", "_", "." and "/" (for example codesleuth/task-003).' });
  }
  if ((await resolveCommit(git, context, `refs/heads/${request.branch}`)) !== null) {
    return gitFail('branch-exists', `A branch named ${request.branch} already exists.`, { hint: 'Remove the stale one (pruneStale) or pick another name.' });
  }
  const base = await resolveCommit(git, context, request.base);
  if (base === null) return gitFail('unknown-revision', `There is no commit ${request.base} to start ${request.branch} from.`);
  const dir = path.resolve(context.root, request.dir);
  const info = await stat(dir).catch(() => undefined);
  if (info !== undefined && (!info.isDirectory() || (await readdir(dir)).length > 0)) {
    return gitFail('path-exists', `${dir} already exists and is not an empty directory.`, { hint: 'Choose a new directory for the worktree.' });
  }
  const added = await git.run(context.root, ['worktree', 'add', '-q', '-b', request.branch, dir, base]);
  if (!added.ok) return added;
  return gitOk({ dir: await canonical(dir), head: base, branch: request.branch, main: false, locked: false, prunable: false });
}

/** Finds the worktree at `dir` among the repository's worktrees. */
async function findWorktree(git: GitRunner, context: RepoContext, dir: string): Promise<GitResult<Worktree>> {
  const listed = await worktreesOf(git, context);
  if (!listed.ok) return listed;
  const wanted = await canonical(path.resolve(context.root, dir));
  for (const worktree of listed.value) {
    if ((await canonical(worktree.dir)) === wanted || worktree.dir === wanted) {
      if (worktree.main) return gitFail('not-a-worktree', `${wanted} is the repository's main work tree; CodeSleuth only removes task worktrees.`);
      return gitOk(worktree);
    }
  }
  return gitFail('not-a-worktree', `${wanted} is not a worktree of ${context.root}.`, { hint: 'See `git worktree list`.' });
}

/** Removes a worktree (see GitPort.removeWorktree). */
export async function removeWorktree(
  git: GitRunner,
  snapshot: SnapshotFn,
  repo: string,
  dir: string,
  options: RemoveWorktreeOptions = {},
): Promise<GitResult<RemovedWorktree>> {
  const opened = await openRepo(git, repo);
  if (!opened.ok) return opened;
  const context = opened.value;
  const found = await findWorktree(git, context, dir);
  if (!found.ok) return found;
  const worktree = found.value;
  const force = options.force === true;
  if (worktree.locked && !force) {
    return gitFail('git-failed', `The worktree ${worktree.dir} is locked, so CodeSleuth leaves it.`, { hint: `Unlock it (git worktree unlock '${worktree.dir}') or remove it with force.` });
  }
  const branch = worktree.branch;
  if (options.deleteBranch === true && branch !== null && !force && worktree.head !== null && context.head !== null) {
    const merged = await git.exec(context.root, ['merge-base', '--is-ancestor', worktree.head, context.head]);
    if (merged.exitCode !== 0) {
      return gitFail('git-failed', `Branch ${branch} has commits that are not merged into ${context.branch ?? 'HEAD'}; nothing was removed.`, {
        hint: 'Merge it first, or remove it with force (its last commit is reported so it can be recreated).',
      });
    }
  }

  let saved: Snapshot | null = null;
  const exists = await pathExists(worktree.dir);
  if (exists) {
    const inside = await openRepo(git, worktree.dir);
    const status = inside.ok ? await readStatus(git, inside.value) : inside;
    if (!status.ok) return status;
    if (!status.value.clean) {
      if (!force) {
        return gitFail('uncommitted-changes', `The worktree ${worktree.dir} has uncommitted changes; nothing was removed.`, {
          hint: 'Commit them, or remove it with force (they are snapshotted first).',
          files: dirtyFiles(status.value),
        });
      }
      const made = await snapshot(worktree.dir, `worktree-${branch ?? 'detached'}`);
      if (!made.ok) return made;
      saved = made.value;
    }
  }
  // One --force removes a dirty or vanished worktree, a second one a locked worktree.
  const forceFlags = worktree.locked ? ['--force', '--force'] : saved !== null || !exists ? ['--force'] : [];
  const removed = await git.run(context.root, ['worktree', 'remove', ...forceFlags, worktree.dir]);
  if (!removed.ok) return removed;

  let branchDeleted = false;
  if (options.deleteBranch === true && branch !== null) {
    const deleted = await git.run(context.root, ['branch', '-D', branch]);
    if (!deleted.ok) return deleted;
    branchDeleted = true;
  }
  return gitOk({ dir: worktree.dir, branch, branchDeleted, snapshot: saved });
}

/** Removes stale task worktrees and branches (see GitPort.pruneStale). */
export async function pruneStale(
  git: GitRunner,
  snapshot: SnapshotFn,
  repo: string,
  prefix: string,
  activeBranches?: readonly string[],
): Promise<GitResult<PruneReport>> {
  if (!prefix.startsWith('codesleuth/') || prefix.length <= 'codesleuth/'.length) {
    return gitFail('invalid-request', `pruneStale only cleans CodeSleuth's own branches; "${prefix}" must start with "codesleuth/" and name more than that.`);
  }
  const opened = await openRepo(git, repo);
  if (!opened.ok) return opened;
  const context = opened.value;
  const listed = await worktreesOf(git, context);
  if (!listed.ok) return listed;
  const active = activeBranches === undefined ? undefined : new Set(activeBranches);
  const removedWorktrees: RemovedWorktree[] = [];
  const orphaned = new Set<string>();
  const occupied = new Set<string>();

  for (const worktree of listed.value) {
    const ours = worktree.branch !== null && worktree.branch.startsWith(prefix) && !worktree.main;
    const gone = worktree.prunable || !(await pathExists(worktree.dir));
    const stale = ours && !worktree.locked && (gone || (active !== undefined && !active.has(worktree.branch!)));
    if (!stale) {
      if (worktree.branch !== null) occupied.add(worktree.branch);
      continue;
    }
    const removed = await removeWorktree(git, snapshot, context.root, worktree.dir, { force: true });
    if (!removed.ok) return removed;
    removedWorktrees.push(removed.value);
    orphaned.add(worktree.branch!);
  }

  const refs = await git.run(context.root, ['for-each-ref', '--format=%(refname)%00%(objectname)', 'refs/heads/codesleuth/']);
  if (!refs.ok) return refs;
  const deletedBranches: { branch: string; sha: string }[] = [];
  for (const [ref, sha] of parseRefLines(refs.value)) {
    const branch = ref.slice('refs/heads/'.length);
    if (!branch.startsWith(prefix) || occupied.has(branch)) continue;
    const stale = active !== undefined ? !active.has(branch) : orphaned.has(branch);
    if (!stale) continue;
    const deleted = await git.run(context.root, ['branch', '-D', branch]);
    if (!deleted.ok) return deleted;
    deletedBranches.push({ branch, sha });
  }
  return gitOk({ removedWorktrees, deletedBranches });
}
