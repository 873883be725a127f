import type {
  CheckedOutCommit,
  GitResult,
  MergeOutcome,
  PruneReport,
  RemovedWorktree,
  RepoStatus,
  RestoredSnapshot,
  Snapshot,
  SnapshotSummary,
  Worktree,
} from './git-results.js';

export type * from './git-results.js';

/** A Builder task's commit: `TASK-003: <title>`, a blank line, then `body`. */
export interface TaskCommitRequest {
  /** TASK-001, TASK-002, ... */
  readonly taskId: string;
  /** One line. */
  readonly title: string;
  readonly body: string;
  /**
   * Repository-relative paths to commit (new, changed or deleted). When given, nothing else
   * is committed, not even what the person staged; when absent, every change is.
   */
  readonly files?: readonly string[];
}

/** How to merge a task branch. */
export interface MergeOptions {
  /** The merge commit's message (unused when the merge fast-forwards). */
  readonly message: string;
  /** Fast-forward when the current branch has not moved since the task branched (one commit per task). */
  readonly fastForward?: boolean;
}

/** A new worktree for a task running in parallel with others. */
export interface AddWorktreeRequest {
  /** The branch to create, e.g. codesleuth/task-003; it must not exist yet. */
  readonly branch: string;
  /** Commit, branch or tag the branch starts from. */
  readonly base: string;
  /** Where the worktree goes; relative paths are taken from the repository's top directory. */
  readonly dir: string;
}

/** How to remove a worktree. */
export interface RemoveWorktreeOptions {
  /** Also delete its branch (only if merged, unless `force`). */
  readonly deleteBranch?: boolean;
  /**
   * Remove it even with uncommitted changes (they are snapshotted first) and delete an
   * unmerged branch. Without it such a worktree is refused with `uncommitted-changes`.
   */
  readonly force?: boolean;
}

/**
 * The git operations CodeSleuth performs in the person's repository. `repo` is any
 * directory inside the work tree (or a worktree); paths in results are relative to its top.
 *
 * The contract: nothing here discards uncommitted work. Operations that would (moving HEAD,
 * removing a dirty worktree) snapshot it first; operations that would mix with it refuse.
 * There is deliberately no `resetHard`.
 */
export interface GitPort {
  /** Whether `dir` is inside a git work tree (`not-a-repo` is `false`, not an error). */
  isRepository(dir: string): Promise<GitResult<boolean>>;
  /** `git init` in `dir` (which must exist). */
  initRepository(dir: string): Promise<GitResult<void>>;

  status(repo: string): Promise<GitResult<RepoStatus>>;

  /**
   * Saves all uncommitted work (staged, modified, untracked; not ignored files) to
   * refs/codesleuth/snapshots/<time>-<label> without touching the work tree or the index.
   * `nothing-to-save` when the tree is clean.
   */
  snapshotWork(repo: string, label: string): Promise<GitResult<Snapshot>>;
  /**
   * Puts the snapshot's files back in the work tree and their staged state back in the
   * index. Refuses (`uncommitted-changes`) when that would overwrite uncommitted changes or
   * an ignored file; files the snapshot does not mention are left alone.
   */
  restoreSnapshot(repo: string, ref: string): Promise<GitResult<RestoredSnapshot>>;
  /** Snapshots, newest first. */
  listSnapshots(repo: string): Promise<GitResult<readonly SnapshotSummary[]>>;

  /** Commits all of the person's changes (staged or not, untracked included) as their commit; returns its SHA. */
  commitPersonWork(repo: string, message: string): Promise<GitResult<string>>;
  /**
   * The unified diff against HEAD of these repository-relative files as they are in the work
   * tree (new and deleted files included), leaving the index and the work tree as they are.
   */
  diffFiles(repo: string, files: readonly string[]): Promise<GitResult<string>>;
  /** Commits a task's work on the current branch; returns the commit's SHA. */
  commitTask(repo: string, request: TaskCommitRequest): Promise<GitResult<string>>;
  /**
   * Checks out `rev` with a detached HEAD, for replay. Any uncommitted work is snapshotted
   * first, then tracked files are made to match `rev`; untracked files stay where they are.
   */
  checkoutCommit(repo: string, rev: string): Promise<GitResult<CheckedOutCommit>>;

  addWorktree(repo: string, request: AddWorktreeRequest): Promise<GitResult<Worktree>>;
  removeWorktree(repo: string, dir: string, options?: RemoveWorktreeOptions): Promise<GitResult<RemovedWorktree>>;
  listWorktrees(repo: string): Promise<GitResult<readonly Worktree[]>>;
  /**
   * Cleans up after a crash: worktrees on branches starting with `prefix` (which must start
   * with `codesleuth/`) whose directory is gone, or whose branch is not in `activeBranches`
   * when that list is given, are removed (dirty ones snapshotted first); such branches with
   * no worktree left are deleted.
   */
  pruneStale(repo: string, prefix: string, activeBranches?: readonly string[]): Promise<GitResult<PruneReport>>;
  /**
   * Merges `branch` into the current branch with a merge commit. On conflict the merge is
   * aborted and the repository is left as it was. Refuses when tracked files have
   * uncommitted changes, since an aborted merge could not give them back.
   */
  mergeBranch(repo: string, branch: string, options: MergeOptions): Promise<GitResult<MergeOutcome>>;
  /**
   * Snapshots all uncommitted work (as snapshotWork), then returns the work tree and index to
   * HEAD: tracked changes are undone and the snapshot's untracked files removed. The work is
   * in the snapshot ref (with restore commands); `nothing-to-save` when the tree is clean.
   */
  setAsideWork(repo: string, label: string): Promise<GitResult<Snapshot>>;
}
