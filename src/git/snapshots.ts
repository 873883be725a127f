import path from 'node:path';
import { gitFail, gitOk, type GitResult, type Snapshot, type SnapshotSummary } from '../core/git/git-results.js';
import { compareNames } from '../core/git/parse-git-output.js';
import {
  SNAPSHOT_REF_PREFIX,
  parseSnapshotMessage,
  restoreInstructions,
  sanitizeLabel,
  snapshotIndexMessage,
  snapshotMessage,
  snapshotRefName,
  type SnapshotMeta,
} from '../core/git/snapshot-names.js';
import type { GitRunner } from './git-runner.js';
import { copyIndex, identityConfig, nulList, openRepo, readStatus, resolveCommit, withScratch, type RepoContext } from './repo-context.js';

/**
 * Snapshots: the person's uncommitted work saved as commits under refs/codesleuth/snapshots/
 * (see core/git/snapshot-names.ts for the shape). Taking one never touches the work tree
 * or the real index: git works on a copy of the index through GIT_INDEX_FILE.
 */

/** The trees a snapshot is made of. */
interface CapturedTrees {
  /** Everything in the work tree that is not ignored. */
  readonly worktree: string;
  /** The index as it is; null when it has unresolved conflicts (git cannot write it as a tree). */
  readonly index: string | null;
}

/** Writes the index and the work tree as trees, using a copy of the index in `scratch`. */
export async function captureTrees(git: GitRunner, context: RepoContext, scratch: string, conflicted: boolean): Promise<GitResult<CapturedTrees>> {
  const tempIndex = path.join(scratch, 'index');
  await copyIndex(context, tempIndex);
  const env = { GIT_INDEX_FILE: tempIndex };
  const indexTree = await git.run(context.root, ['write-tree'], { env });
  if (!indexTree.ok && !conflicted) return indexTree;
  const added = await git.run(context.root, ['add', '-A'], { env });
  if (!added.ok) return added;
  const worktreeTree = await git.run(context.root, ['write-tree'], { env });
  if (!worktreeTree.ok) return worktreeTree;
  return gitOk({ worktree: worktreeTree.value.trim(), index: indexTree.ok ? indexTree.value.trim() : null });
}

/** The files a snapshot changes relative to its base, split into those it holds and those it deleted. */
export interface SnapshotContents {
  readonly files: string[];
  readonly present: string[];
  readonly deleted: string[];
}

/** Works out which files a snapshot commit records as uncommitted work. */
export async function snapshotContents(git: GitRunner, root: string, sha: string, meta: SnapshotMeta): Promise<GitResult<SnapshotContents>> {
  const changed = async (commit: string) =>
    meta.base === null
      ? nulList(git, root, ['ls-tree', '-r', '--name-only', '-z', commit])
      : nulList(git, root, ['diff-tree', '-r', '--name-only', '-z', '--no-renames', meta.base, commit]);
  const inWorktree = await changed(sha);
  if (!inWorktree.ok) return inWorktree;
  const inIndex = meta.indexCommit === null ? gitOk<string[]>([]) : await changed(meta.indexCommit);
  if (!inIndex.ok) return inIndex;
  const everything = await nulList(git, root, ['ls-tree', '-r', '--name-only', '-z', sha]);
  if (!everything.ok) return everything;
  const held = new Set(everything.value);
  const files = [...new Set([...inWorktree.value, ...inIndex.value])].sort(compareNames);
  return gitOk({ files, present: files.filter((file) => held.has(file)), deleted: files.filter((file) => !held.has(file)) });
}

/** Reads a snapshot ref (full, or the part after refs/codesleuth/snapshots/). */
export async function readSnapshot(
  git: GitRunner,
  context: RepoContext,
  ref: string,
): Promise<GitResult<{ ref: string; sha: string; meta: SnapshotMeta }>> {
  const full = ref.startsWith('refs/') ? ref : `${SNAPSHOT_REF_PREFIX}${ref}`;
  const sha = await resolveCommit(git, context, full);
  if (sha === null) {
    return gitFail('unknown-revision', `There is no snapshot ${full}.`, { hint: 'List the snapshots with `git for-each-ref refs/codesleuth/snapshots/`.' });
  }
  // cat-file, not log: plumbing output is not changed by the person's config (log.showSignature, ...).
  const commit = await git.run(context.root, ['cat-file', 'commit', sha]);
  if (!commit.ok) return commit;
  const blank = commit.value.indexOf('\n\n');
  const meta = parseSnapshotMessage(blank === -1 ? '' : commit.value.slice(blank + 2));
  if (meta === undefined) return gitFail('not-a-snapshot', `${full} is not a CodeSleuth snapshot (its commit message has no Snapshot- trailers).`);
  return gitOk({ ref: full, sha, meta });
}

/** Saves all uncommitted work to a new snapshot ref (see GitPort.snapshotWork). */
export async function snapshotWork(git: GitRunner, now: () => Date, repo: string, label: string): Promise<GitResult<Snapshot>> {
  const opened = await openRepo(git, repo);
  if (!opened.ok) return opened;
  const context = opened.value;
  const status = await readStatus(git, context);
  if (!status.ok) return status;
  if (status.value.clean) return gitFail('nothing-to-save', `There is no uncommitted work in ${context.root} to save.`);

  return withScratch(async (scratch) => {
    const trees = await captureTrees(git, context, scratch, status.value.conflicted.length > 0);
    if (!trees.ok) return trees;
    const config = await identityConfig(git, context);
    const at = now();
    const cleanLabel = sanitizeLabel(label);
    const parents = context.head === null ? [] : ['-p', context.head];
    const commitTree = (tree: string, extraParents: string[], message: string) =>
      git.run(context.root, ['commit-tree', '--no-gpg-sign', ...parents, ...extraParents, '-m', message, tree], { config });

    let indexCommit: string | null = null;
    if (trees.value.index !== null) {
      const made = await commitTree(trees.value.index, [], snapshotIndexMessage(cleanLabel));
      if (!made.ok) return made;
      indexCommit = made.value.trim();
    }
    const meta: SnapshotMeta = { label: cleanLabel, createdAt: at.toISOString(), base: context.head, indexCommit };
    const made = await commitTree(trees.value.worktree, indexCommit === null ? [] : ['-p', indexCommit], snapshotMessage(meta));
    if (!made.ok) return made;
    const sha = made.value.trim();

    const contents = await snapshotContents(git, context.root, sha, meta);
    if (!contents.ok) return contents;
    const ref = await createRef(git, context, at, cleanLabel, sha);
    if (!ref.ok) return ref;
    return gitOk({
      ref: ref.value,
      sha,
      label: cleanLabel,
      createdAt: meta.createdAt,
      base: context.head,
      files: contents.value.files,
      indexSaved: indexCommit !== null,
      restoreInstructions: restoreInstructions({ root: context.root, sha, indexCommit, present: contents.value.present, deleted: contents.value.deleted }),
    });
  });
}

/** Creates the ref, never moving an existing one: two snapshots in the same millisecond get -2, -3, ... */
async function createRef(git: GitRunner, context: RepoContext, at: Date, label: string, sha: string): Promise<GitResult<string>> {
  let failed: GitResult<string> = gitFail('git-failed', 'Could not name the snapshot.');
  for (let attempt = 1; attempt <= 20; attempt += 1) {
    const ref = snapshotRefName(at, label, attempt);
    // An empty old value makes update-ref fail if the ref exists already.
    const created = await git.run(context.root, ['update-ref', '-m', 'codesleuth: snapshot', ref, sha, '']);
    if (created.ok) return gitOk(ref);
    failed = created;
  }
  return failed;
}

/** Snapshots in the repository, newest first. Refs under the prefix that are not snapshots are skipped. */
export async function listSnapshots(git: GitRunner, repo: string): Promise<GitResult<readonly SnapshotSummary[]>> {
  const opened = await openRepo(git, repo);
  if (!opened.ok) return opened;
  const listed = await git.run(opened.value.root, ['for-each-ref', '--format=%(refname)%00%(objectname)%00%(contents)%01', SNAPSHOT_REF_PREFIX]);
  if (!listed.ok) return listed;
  const snapshots: SnapshotSummary[] = [];
  for (const record of listed.value.split('\x01\n')) {
    const [ref = '', sha = '', contents = ''] = record.split('\0');
    const meta = parseSnapshotMessage(contents);
    if (ref.length === 0 || meta === undefined) continue;
    snapshots.push({ ref, sha, label: meta.label, createdAt: meta.createdAt, base: meta.base });
  }
  return gitOk(snapshots.sort((a, b) => compareNames(b.createdAt, a.createdAt) || compareNames(b.ref, a.ref)));
}
