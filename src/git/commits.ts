import path from 'node:path';
import { describeIssues, formatTaskCommitMessage, personCommitMessageSchema, taskCommitRequestSchema } from '../core/git/commit-message.js';
import { gitFail, gitOk, type CheckedOutCommit, type GitResult, type RepoStatus, type Snapshot } from '../core/git/git-results.js';
import { splitNul } from '../core/git/parse-git-output.js';
import type { TaskCommitRequest } from '../core/git/ports.js';
import type { GitRunner } from './git-runner.js';
import {
  copyIndex,
  identityConfig,
  nulList,
  openRepo,
  pathExists,
  pathspecArgs,
  readStatus,
  refuseDetached,
  refuseOperation,
  resolveCommit,
  restoreIndex,
  withScratch,
  type RepoContext,
} from './repo-context.js';

/**
 * Commits: a task's work, the person's own work, and moving HEAD to a commit for replay.
 * A commit that fails half-way (a hook says no) puts the index back as it was, so a
 * refused commit leaves no trace in what the person had staged.
 */

/** Opens the repository and checks it is on a branch, with no merge or conflict under way. */
async function readyToCommit(git: GitRunner, repo: string, what: string): Promise<GitResult<{ context: RepoContext; status: RepoStatus }>> {
  const opened = await openRepo(git, repo);
  if (!opened.ok) return opened;
  const context = opened.value;
  if (context.branch === null) return refuseDetached(context, what);
  const status = await readStatus(git, context);
  if (!status.ok) return status;
  if (status.value.operation !== null) return refuseOperation(status.value.operation, what);
  if (status.value.conflicted.length > 0) {
    return gitFail('uncommitted-changes', `${status.value.conflicted.length} file(s) have unresolved merge conflicts, so CodeSleuth will not ${what}.`, {
      hint: 'Resolve the conflicts and `git add` the files, then try again.',
      files: status.value.conflicted,
    });
  }
  return gitOk({ context, status: status.value });
}

/** True when `file` is `spec` or lies inside the folder `spec`. */
function covers(spec: string, file: string): boolean {
  return file === spec || file.startsWith(`${spec}/`);
}

/**
 * The requested paths git can commit, split into those to `git add` (present on disk or in
 * the index) and those to commit (also deletions known to HEAD). Paths nobody knows and
 * ignored untracked files are dropped: a task may list a file it created and removed again.
 */
async function committablePaths(git: GitRunner, context: RepoContext, requested: readonly string[]): Promise<GitResult<{ add: string[]; commit: string[] }>> {
  const indexed = await nulList(git, context.root, ['ls-files', '-z']);
  if (!indexed.ok) return indexed;
  const inHead = context.head === null ? gitOk<string[]>([]) : await nulList(git, context.root, ['ls-tree', '-r', '--name-only', '-z', context.head]);
  if (!inHead.ok) return inHead;
  const ignored = await nulList(git, context.root, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory']);
  if (!ignored.ok) return ignored;
  const add: string[] = [];
  const commit: string[] = [];
  for (const raw of requested) {
    const spec = raw.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
    if (spec.length === 0 || spec === '.') continue;
    const onDisk = await pathExists(path.join(context.root, spec));
    const inIndex = indexed.value.some((file) => covers(spec, file));
    const known = inIndex || inHead.value.some((file) => covers(spec, file));
    const isIgnored = ignored.value.some((entry) => entry.replace(/\/$/, '') === spec || covers(entry.replace(/\/$/, ''), spec));
    if (onDisk && !inIndex && isIgnored) continue;
    if (!onDisk && !known) continue;
    if (onDisk || inIndex) add.push(spec);
    commit.push(spec);
  }
  return gitOk({ add: [...new Set(add)], commit: [...new Set(commit)] });
}

/** Stages (all, or `paths`), checks something is staged, commits; the index comes back if it fails. */
async function stageAndCommit(
  git: GitRunner,
  context: RepoContext,
  message: string,
  paths: { add: string[]; commit: string[] } | undefined,
): Promise<GitResult<string>> {
  return withScratch(async (scratch) => {
    const saved = path.join(scratch, 'index.saved');
    const hadIndex = await copyIndex(context, saved);
    const undo = async <T>(result: GitResult<T>): Promise<GitResult<T>> => {
      await restoreIndex(context, hadIndex ? saved : null);
      return result;
    };
    if (paths === undefined) {
      const added = await git.run(context.root, ['add', '-A']);
      if (!added.ok) return undo(added);
    } else if (paths.add.length > 0) {
      const added = await git.run(context.root, ['add', '-A', ...(await pathspecArgs(scratch, 'add', paths.add))]);
      if (!added.ok) return undo(added);
    }
    const staged = await git.run(context.root, ['diff', '--cached', '--name-only', '-z', '--no-renames']);
    if (!staged.ok) return undo(staged);
    const changes = splitNul(staged.value).filter((file) => paths === undefined || paths.commit.some((spec) => covers(spec, file)));
    if (changes.length === 0) {
      return undo(gitFail('nothing-to-commit', paths === undefined ? `There are no changes to commit in ${context.root}.` : `None of the given files has changes to commit: ${paths.commit.join(', ') || '(none left)'}.`));
    }
    const only = paths === undefined ? [] : ['--only', ...(await pathspecArgs(scratch, 'commit', paths.commit))];
    const committed = await git.run(context.root, ['commit', '-q', '-m', message, ...only], { config: await identityConfig(git, context) });
    if (!committed.ok) {
      const head = await resolveCommit(git, context, 'HEAD');
      const refused = gitFail<string>(committed.error.kind, `The commit was refused: ${committed.error.message}`, {
        hint: 'A commit hook or signing setting may have stopped it; see the detail. Nothing was committed and the staging area is as before.',
        ...(committed.error.detail !== undefined ? { detail: committed.error.detail } : {}),
      });
      return head === context.head ? undo(refused) : refused;
    }
    const head = await resolveCommit(git, context, 'HEAD');
    return head === null ? gitFail('git-failed', 'git reported a commit but HEAD does not point at one.') : gitOk(head);
  });
}

/** Commits a task's work (see GitPort.commitTask). */
export async function commitTask(git: GitRunner, repo: string, request: TaskCommitRequest): Promise<GitResult<string>> {
  const parsed = taskCommitRequestSchema.safeParse(request);
  if (!parsed.success) return gitFail('invalid-request', `The task commit request is invalid: ${describeIssues(parsed.error)}.`);
  const ready = await readyToCommit(git, repo, `commit ${parsed.data.taskId}`);
  if (!ready.ok) return ready;
  const { context } = ready.value;
  let paths: { add: string[]; commit: string[] } | undefined;
  if (parsed.data.files !== undefined) {
    const found = await committablePaths(git, context, parsed.data.files);
    if (!found.ok) return found;
    if (found.value.commit.length === 0) {
      return gitFail('nothing-to-commit', `None of the files given for ${parsed.data.taskId} exists or is known to git: ${parsed.data.files.join(', ')}.`);
    }
    paths = found.value;
  }
  return stageAndCommit(git, context, formatTaskCommitMessage(parsed.data), paths);
}

/** Commits every uncommitted change as the person's own commit (see GitPort.commitPersonWork). */
export async function commitPersonWork(git: GitRunner, repo: string, message: string): Promise<GitResult<string>> {
  const parsed = personCommitMessageSchema.safeParse(message);
  if (!parsed.success) return gitFail('invalid-request', 'The commit message is empty; write what the changes are.');
  const ready = await readyToCommit(git, repo, 'commit your work');
  if (!ready.ok) return ready;
  if (ready.value.status.clean) return gitFail('nothing-to-commit', `There are no changes to commit in ${ready.value.context.root}.`);
  return stageAndCommit(git, ready.value.context, message, undefined);
}

/**
 * Detaches HEAD at `rev` for replay (see GitPort.checkoutCommit). Refuses when an ignored
 * file (not part of any snapshot) sits where a file of `rev` goes.
 */
export async function checkoutCommit(
  git: GitRunner,
  snapshot: (repo: string, label: string) => Promise<GitResult<Snapshot>>,
  repo: string,
  rev: string,
): Promise<GitResult<CheckedOutCommit>> {
  const opened = await openRepo(git, repo);
  if (!opened.ok) return opened;
  const context = opened.value;
  const sha = await resolveCommit(git, context, rev);
  if (sha === null) return gitFail('unknown-revision', `There is no commit ${rev} in ${context.root}.`, { hint: 'Check it with `git log --oneline`.' });
  const status = await readStatus(git, context);
  if (!status.ok) return status;
  if (status.value.operation !== null) return refuseOperation(status.value.operation, `check out ${rev}`);

  const target = await nulList(git, context.root, ['ls-tree', '-r', '--name-only', '-z', sha]);
  if (!target.ok) return target;
  const ignored = await nulList(git, context.root, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory']);
  if (!ignored.ok) return ignored;
  const inTheWay = ignored.value.filter((entry) => {
    const bare = entry.replace(/\/$/, '');
    return target.value.some((file) => covers(bare, file) || covers(file, bare));
  });
  if (inTheWay.length > 0) {
    return gitFail('path-exists', `Checking out ${rev} would overwrite ignored files, which snapshots do not keep: ${inTheWay.join(', ')}.`, {
      hint: 'Move those files somewhere safe, then try again.',
      files: inTheWay,
    });
  }

  let saved: Snapshot | null = null;
  if (!status.value.clean) {
    const made = await snapshot(context.root, `before-checkout-${sha.slice(0, 12)}`);
    if (!made.ok) return made;
    saved = made.value;
  }
  // Safe to force now: every uncommitted change is in the snapshot.
  const moved = await git.run(context.root, ['checkout', '-q', '--force', '--detach', sha]);
  if (!moved.ok) {
    return gitFail(moved.error.kind, moved.error.message, {
      ...(moved.error.detail !== undefined ? { detail: moved.error.detail } : {}),
      ...(saved !== null ? { hint: `Your uncommitted work is saved.\n${saved.restoreInstructions}` } : {}),
    });
  }
  return gitOk({ head: sha, snapshot: saved });
}
