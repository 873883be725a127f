import { lstat, rm } from 'node:fs/promises';
import path from 'node:path';
import { gitFail, gitOk, type GitResult, type RestoredSnapshot } from '../core/git/git-results.js';
import type { GitRunner } from './git-runner.js';
import { dirtyFiles, nulList, openRepo, pathspecArgs, readStatus, refuseOperation, withScratch } from './repo-context.js';
import { captureTrees, readSnapshot, snapshotContents } from './snapshots.js';

/**
 * Bringing a snapshot back. Only the snapshot's own files are touched. A file is refused
 * (nothing is written at all) when it has uncommitted changes that differ from the
 * snapshot, when an ignored file sits where a snapshot file goes, or when an uncommitted or
 * ignored file and a snapshot file would need the same name as file and as folder.
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
  const contents = await snapshotContents(git, context.root, sha, meta);
  if (!contents.ok) return contents;
  const { files, present, deleted } = contents.value;
  const restored = { ref: snapshot.value.ref, files };
  if (files.length === 0) return gitOk(restored);

  return withScratch(async (scratch) => {
    // What the work tree and index hold now, as trees, to see which dirty files already match.
    const current = await captureTrees(git, context, scratch, status.value.conflicted.length > 0);
    if (!current.ok) return current;
    const differs = async (from: string | null, to: string | null): Promise<GitResult<Set<string>>> => {
      if (from === null || to === null) return gitOk(new Set(files));
      const listed = await nulList(git, context.root, ['diff-tree', '-r', '--name-only', '-z', '--no-renames', from, to]);
      return listed.ok ? gitOk(new Set(listed.value)) : listed;
    };
    const worktreeDiff = await differs(current.value.worktree, sha);
    if (!worktreeDiff.ok) return worktreeDiff;
    // With no saved index the files come back unstaged, i.e. as in HEAD.
    const targetIndex = meta.indexCommit ?? context.head;
    const indexDiff = await differs(current.value.index, targetIndex === null ? null : `${targetIndex}^{tree}`);
    if (!indexDiff.ok) return indexDiff;
    if (files.every((file) => !worktreeDiff.value.has(file) && !indexDiff.value.has(file))) return gitOk(restored);

    const ignored = await nulList(git, context.root, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory']);
    if (!ignored.ok) return ignored;
    const dirty = dirtyFiles(status.value);
    const dirtySet = new Set(dirty);
    const fileSet = new Set(files);
    const blocked = new Set<string>();
    for (const file of files) {
      const overwritten = dirtySet.has(file) && (worktreeDiff.value.has(file) || indexDiff.value.has(file));
      const ignoredThere = ignored.value.some((entry) => entry === file || nested(entry, file));
      const shapeClash = dirty.some((other) => !fileSet.has(other) && nested(other, file));
      if (overwritten || ignoredThere || shapeClash) blocked.add(file);
    }
    if (blocked.size > 0) {
      const list = [...blocked].sort();
      return gitFail('uncommitted-changes', `Restoring ${snapshot.value.ref} would overwrite files that have changed since: ${list.join(', ')}. Nothing was restored.`, {
        hint: 'Commit or move those files (or snapshot them), then restore again.',
        files: list,
      });
    }

    if (present.length > 0) {
      const wrote = await git.run(context.root, ['checkout', sha, ...(await pathspecArgs(scratch, 'present', present))]);
      if (!wrote.ok) return wrote;
    }
    for (const file of deleted) {
      // Only clean tracked files (their content is in HEAD) or nothing at all can be here: see the checks above.
      const target = path.join(context.root, file);
      const info = await lstat(target).catch(() => undefined);
      if (info !== undefined && !info.isDirectory()) await rm(target, { force: true });
    }
    const restage = await git.run(context.root, ['reset', '-q', ...(targetIndex === null ? [] : [targetIndex]), ...(await pathspecArgs(scratch, 'all', files))]);
    if (!restage.ok) return restage;
    return gitOk(restored);
  });
}
