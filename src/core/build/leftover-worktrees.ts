import type { RemovedWorktree } from '../git/git-results.js';
import type { GitPort } from '../git/ports.js';

/*
 * After a crash (or a kill) the task worktrees of the run that died are still on disk: their
 * directories exist, so git does not consider them prunable. Before a build starts no task of
 * the project runs, so every worktree on one of its task branches is such a leftover. Each is
 * removed without losing anything: uncommitted work is snapshotted first, and a branch that
 * holds a commit not yet landed is kept for the person instead of being deleted.
 */

/** What removeLeftoverWorktrees did. */
export interface LeftoverCleanup {
  readonly removed: readonly RemovedWorktree[];
  /** Branches with a task commit that never landed: their worktree is gone, the branch stays. */
  readonly keptBranches: readonly string[];
  /** Worktrees that could not be removed, with why. */
  readonly problems: readonly string[];
}

/** Removes every worktree on a branch that starts with `prefix` (the project's task branches). */
export async function removeLeftoverWorktrees(git: Pick<GitPort, 'listWorktrees' | 'removeWorktree'>, repo: string, prefix: string): Promise<LeftoverCleanup> {
  const listed = await git.listWorktrees(repo);
  if (!listed.ok) return { removed: [], keptBranches: [], problems: [listed.error.message] };
  const removed: RemovedWorktree[] = [];
  const keptBranches: string[] = [];
  const problems: string[] = [];
  for (const worktree of listed.value) {
    if (worktree.main || worktree.branch === null || !worktree.branch.startsWith(prefix)) continue;
    // Without force, git checks first that the branch is merged, then that the tree is clean.
    let result = await git.removeWorktree(repo, worktree.dir, { deleteBranch: true });
    if (!result.ok && result.error.kind === 'uncommitted-changes') {
      // Merged, only dirty: the snapshot keeps the unfinished work, the branch has nothing of its own.
      result = await git.removeWorktree(repo, worktree.dir, { deleteBranch: true, force: true });
    } else if (!result.ok) {
      // Its branch has a commit that never landed: remove the worktree (snapshotting any work), keep the branch.
      result = await git.removeWorktree(repo, worktree.dir, { force: true });
      if (result.ok) keptBranches.push(worktree.branch);
    }
    if (result.ok) removed.push(result.value);
    else problems.push(`${worktree.dir}: ${result.error.message}`);
  }
  return { removed, keptBranches, problems };
}
