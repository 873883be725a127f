/**
 * What the git layer answers. Nothing in it is thrown at the caller: every operation returns
 * a `GitResult`, and a failure carries a sentence a person can act on. Pure types and two
 * constructors; the implementation lives in src/git/.
 */

/** Why a git operation did not happen. */
export type GitErrorKind =
  /** No `git` executable on PATH. */
  | 'git-missing'
  /** The directory is missing or is not inside a git work tree. */
  | 'not-a-repo'
  /** git refuses a repository owned by another user (`safe.directory`). */
  | 'unsafe-repository'
  /** HEAD points at a commit, not a branch, and the operation needs a branch. */
  | 'detached-head'
  /** There are no changes for a commit to record. */
  | 'nothing-to-commit'
  /** There is no uncommitted work to snapshot. */
  | 'nothing-to-save'
  /** The operation would overwrite or mix with uncommitted changes (`files` says which). */
  | 'uncommitted-changes'
  /** A merge, rebase, cherry-pick, revert or bisect is under way. */
  | 'operation-in-progress'
  /** A commit, branch or ref that does not exist. */
  | 'unknown-revision'
  /** The ref exists but is not a CodeSleuth snapshot. */
  | 'not-a-snapshot'
  /** A branch with this name exists already. */
  | 'branch-exists'
  /** A file or non-empty directory is in the way. */
  | 'path-exists'
  /** The directory is not a worktree of this repository (or is its main worktree). */
  | 'not-a-worktree'
  /** Another git process holds the repository's lock (`index.lock`). */
  | 'locked'
  /** The request itself is malformed (bad task id, path outside the repository, ...). */
  | 'invalid-request'
  /** Anything else git refused; `detail` holds its own words. */
  | 'git-failed';

/** A failure, worded for the person who has to deal with it. */
export interface GitError {
  readonly kind: GitErrorKind;
  /** What happened, in one or two sentences. */
  readonly message: string;
  /** What to do about it, when there is something to do. */
  readonly hint?: string;
  /** Repository-relative files the failure is about (conflicts, files in the way, ...). */
  readonly files?: readonly string[];
  /** git's own output, trimmed, for the curious and for bug reports. */
  readonly detail?: string;
}

/** Success with a value, or a typed failure. */
export type GitResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: GitError };

/** Wraps a value as a success. */
export function gitOk<T>(value: T): GitResult<T> {
  return { ok: true, value };
}

/** Wraps a failure; `extra` adds a hint, files or git's own output. */
export function gitFail<T = never>(kind: GitErrorKind, message: string, extra: Omit<GitError, 'kind' | 'message'> = {}): GitResult<T> {
  return { ok: false, error: { kind, message, ...extra } };
}

/** A merge, rebase, ... that git is in the middle of. */
export type GitOperation = 'merge' | 'rebase' | 'cherry-pick' | 'revert' | 'bisect';

/** The state of a repository's work tree, index and HEAD. Paths are relative to `root`. */
export interface RepoStatus {
  /** Absolute path of the work tree's top directory. */
  readonly root: string;
  /** The checked-out branch (`main`), or null when HEAD is detached. */
  readonly branch: string | null;
  /** The commit HEAD points at, or null in a repository with no commits yet. */
  readonly head: string | null;
  /** Tracked files whose work-tree content differs from the index (deleted ones included). */
  readonly modified: readonly string[];
  /** Files whose index entry differs from HEAD (both sides of a rename). */
  readonly staged: readonly string[];
  /** Files git does not track and does not ignore. */
  readonly untracked: readonly string[];
  /** Files with unresolved merge conflicts. */
  readonly conflicted: readonly string[];
  readonly operation: GitOperation | null;
  /** True when there is nothing uncommitted at all (ignored files do not count). */
  readonly clean: boolean;
}

/** A saved copy of the person's uncommitted work, kept under refs/codesleuth/snapshots/. */
export interface Snapshot {
  /** Full ref name, e.g. refs/codesleuth/snapshots/2025-01-31T10-20-30.123Z-before-build. */
  readonly ref: string;
  /** The snapshot commit: its tree is the work tree as it was (untracked files included). */
  readonly sha: string;
  readonly label: string;
  /** ISO-8601 time the snapshot was taken. */
  readonly createdAt: string;
  /** The commit HEAD pointed at, or null in a repository with no commits yet. */
  readonly base: string | null;
  /** Every file with uncommitted work at the time (modified, staged, untracked, deleted). */
  readonly files: readonly string[];
  /** False when the index could not be recorded (unresolved conflicts): files come back unstaged. */
  readonly indexSaved: boolean;
  /** Exact commands a person can paste to get the work back without CodeSleuth. */
  readonly restoreInstructions: string;
}

/** A snapshot as listed (newest first), without its file list. */
export interface SnapshotSummary {
  readonly ref: string;
  readonly sha: string;
  readonly label: string;
  readonly createdAt: string;
  readonly base: string | null;
}

/** What `restoreSnapshot` put back. */
export interface RestoredSnapshot {
  readonly ref: string;
  /** Files written, deleted or re-staged as they were in the snapshot. */
  readonly files: readonly string[];
}

/** Where `checkoutCommit` left the repository. */
export interface CheckedOutCommit {
  /** The commit now checked out (HEAD is detached). */
  readonly head: string;
  /** The snapshot of the uncommitted work taken first, or null when there was none. */
  readonly snapshot: Snapshot | null;
}

/** One worktree of a repository, as `git worktree list` reports it. */
export interface Worktree {
  readonly dir: string;
  /** null for a worktree on an unborn branch. */
  readonly head: string | null;
  /** Branch name without refs/heads/, or null when detached. */
  readonly branch: string | null;
  /** The repository's own (first) worktree. */
  readonly main: boolean;
  readonly locked: boolean;
  /** Its directory is gone; git would prune it. */
  readonly prunable: boolean;
}

/** What `removeWorktree` did. */
export interface RemovedWorktree {
  readonly dir: string;
  readonly branch: string | null;
  /** True when the branch was deleted too. */
  readonly branchDeleted: boolean;
  /** Uncommitted work found in the worktree and saved before it was removed. */
  readonly snapshot: Snapshot | null;
}

/** What `pruneStale` cleaned up. Deleted branches keep their last commit so they can be recreated. */
export interface PruneReport {
  readonly removedWorktrees: readonly RemovedWorktree[];
  /** `git branch <branch> <sha>` brings one back. */
  readonly deletedBranches: readonly { readonly branch: string; readonly sha: string }[];
}

/** The outcome of a merge that git could attempt. */
export type MergeOutcome =
  | { readonly kind: 'merged'; readonly sha: string }
  /** The merge was aborted; the work tree, index and HEAD are as before. */
  | { readonly kind: 'conflict'; readonly files: readonly string[] };
