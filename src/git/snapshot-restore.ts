import { lstat, rm } from 'node:fs/promises';
import path from 'node:path';
import { gitFail, gitOk, type GitResult, type RestoredSnapshot } from '../core/git/git-results.js';
import type { GitRunner } from './git-runner.js';
import { dirtyFiles, nulList, openRepo, pathspecArgs, readStatus, refuseOperation, withScratch } from './repo-context.js';
import { captureTrees, readSnapshot, snapshotContents } from './snapshots.js';

/**
 * Bringing a snapshot back. Only the snapshot's own files are touched, and only when no
 * content is lost: a file may be overwritten when what it holds now (in the work tree and
 * in the index) is also stored in a commit, i.e. equals its version in HEAD or in the
 * snapshot. Otherwise nothing at all is written. Ignored files are never overwritten, and
 * an uncommitted file whose name a snapshot file needs as a folder (or the other way round)
 * blocks the restore too.
 */

/** True when `a` is a folder that contains `b` (or the other way round). */
function nested(a: string, b: string): boolean {
  const folder = (p: string) => (p.endsWith('/') ? p : `${p}/`);
  return b.startsWith(folder(a)) || a.startsWith(folder(b));
}

/** Restores a snapshot's files and their staged state (see GitPort.restoreSnapshot). */
export async function restoreSnapshot(git: GitRunner, repo: string, ref: string): Promise<GitResult<RestoredSnapshot>> {
  const opened = await openRepo(git, repo);
  if (!opened.ok) return opened;
  const context = opened.value;
  const snapshot = await readSnapshot(git, context, ref);
  if (!snapshot.ok) return snapshot;
  const { sha, meta } = snapshot.value;
  const status = await readStatus(git, context);
  if (!status.ok) return status;
  if (status.value.operation !== null) return refuseOperation(status.value.operation, 'restore a snapshot');
  if (status.value.conflicted.length > 0) {
    return gitFail('uncommitted-changes', 'Some files have unresolved merge conflicts, so CodeSleuth will not restore a snapshot now.', {
      hint: 'Resolve the conflicts first.',
      files: status.value.conflicted,
    });
  }
  const contents = await snapshotContents(git, context.root, sha, meta);
  if (!contents.ok) return contents;
  const { files, present, deleted } = contents.value;
  const restored = { ref: snapshot.value.ref, files };
  if (files.length === 0) return gitOk(restored);

  return withScratch(async (scratch) => {
    // The work tree and index as they are now, written as trees (the real index is not touched).
    const current = await captureTrees(git, context, scratch, false);
    if (!current.ok) return current;
    // An empty index file-to-be gives the empty tree, for a repository with no commit yet.
    const emptyTree = await git.run(context.root, ['write-tree'], { env: { GIT_INDEX_FILE: path.join(scratch, 'empty-index') } });
    if (!emptyTree.ok) return emptyTree;
    const headTree = context.head === null ? emptyTree.value.trim() : `${context.head}^{tree}`;
    // With no saved index the files come back unstaged, i.e. as in HEAD.
    const indexTree = meta.indexCommit === null ? headTree : `${meta.indexCommit}^{tree}`;
    const snapshotTree = `${sha}^{tree}`;
    const currentWorktree = current.value.worktree;
    const currentIndex = current.value.index ?? headTree;

    const changed = async (from: string, to: string): Promise<GitResult<Set<string>>> => {
      const listed = await nulList(git, context.root, ['diff-tree', '-r', '--name-only', '-z', '--no-renames', from, to]);
      return listed.ok ? gitOk(new Set(listed.value)) : listed;
    };
    /** Files whose version in `tree` is also in HEAD, the snapshot's work tree or its index. */
    const kept = async (tree: string): Promise<GitResult<(file: string) => boolean>> => {
      const diffs: Set<string>[] = [];
      for (const stored of [headTree, snapshotTree, indexTree]) {
        const diff = await changed(tree, stored);
        if (!diff.ok) return diff;
        diffs.push(diff.value);
      }
      return gitOk((file: string) => diffs.some((diff) => !diff.has(file)));
    };

    const worktreeTarget = await changed(currentWorktree, snapshotTree);
    if (!worktreeTarget.ok) return worktreeTarget;
    const indexTarget = await changed(currentIndex, indexTree);
    if (!indexTarget.ok) return indexTarget;
    if (files.every((file) => !worktreeTarget.value.has(file) && !indexTarget.value.has(file))) return gitOk(restored);

    const worktreeKept = await kept(currentWorktree);
    if (!worktreeKept.ok) return worktreeKept;
    const indexKept = await kept(currentIndex);
    if (!indexKept.ok) return indexKept;
    const ignored = await nulList(git, context.root, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory']);
    if (!ignored.ok) return ignored;
    const fileSet = new Set(files);
    const dirty = dirtyFiles(status.value).filter((file) => !fileSet.has(file));
    const blocked = files.filter(
      (file) =>
        !worktreeKept.value(file) ||
        !indexKept.value(file) ||
        ignored.value.some((entry) => entry === file || nested(entry, file)) ||
        dirty.some((other) => nested(other, file)),
    );
    if (blocked.length > 0) {
      return gitFail('uncommitted-changes', `Restoring ${snapshot.value.ref} would overwrite changes made since: ${blocked.join(', ')}. Nothing was restored.`, {
        hint: 'Commit or move those files (or snapshot them), then restore again.',
        files: blocked,
      });
    }

    if (present.length > 0) {
      const wrote = await git.run(context.root, ['checkout', sha, ...(await pathspecArgs(scratch, 'present', present))]);
      if (!wrote.ok) return wrote;
    }
    for (const file of deleted) {
      // What is here now is stored in a commit (checked above), so removing it loses nothing.
      const target = path.join(context.root, file);
      const info = await lstat(target).catch(() => undefined);
      if (info !== undefined && !info.isDirectory()) await rm(target, { force: true });
    }
    const restage = await git.run(context.root, ['reset', '-q', meta.indexCommit ?? 'HEAD', ...(await pathspecArgs(scratch, 'all', files))]);
    if (!restage.ok) return restage;
    return gitOk(restored);
  });
}
