import { gitFail, gitOk, type GitResult, type Snapshot } from '../core/git/git-results.js';
import type { GitRunner } from './git-runner.js';
import { openRepo, readStatus, refuseOperation } from './repo-context.js';

/*
 * Setting work aside: first a snapshot ref that holds every uncommitted file (staged, modified,
 * untracked), then — only once that ref exists — the work tree and index go back to HEAD. It is
 * `git stash -u` with a ref the person can list, and it never touches ignored files.
 */

/** Snapshots uncommitted work, then cleans it out of the work tree (see GitPort.setAsideWork). */
export async function setAsideWork(
  git: GitRunner,
  snapshot: (repo: string, label: string) => Promise<GitResult<Snapshot>>,
  repo: string,
  label: string,
): Promise<GitResult<Snapshot>> {
  const opened = await openRepo(git, repo);
  if (!opened.ok) return opened;
  const context = opened.value;
  const status = await readStatus(git, context);
  if (!status.ok) return status;
  if (status.value.operation !== null) return refuseOperation(status.value.operation, 'set uncommitted work aside');
  const saved = await snapshot(repo, label);
  if (!saved.ok) return saved;

  const root = context.root;
  // From here on the work is safe in the snapshot: a failure says where it is.
  const keep = <T>(failed: GitResult<T>): GitResult<T> => {
    if (failed.ok) return failed;
    return gitFail(failed.error.kind, `Saved your work to ${saved.value.ref}, then setting it aside failed: ${failed.error.message}`, {
      hint: `Nothing was lost. ${saved.value.restoreInstructions}`,
      ...(failed.error.files ? { files: failed.error.files } : {}),
      ...(failed.error.detail ? { detail: failed.error.detail } : {}),
    });
  };
  if (context.head !== null) {
    const reset = await git.run(root, ['reset', '-q', 'HEAD', '--', '.']);
    if (!reset.ok) return keep(reset);
    const checkout = await git.run(root, ['checkout', '-q', 'HEAD', '--', '.']);
    if (!checkout.ok) return keep(checkout);
  } else {
    // No commit yet: everything is new; unstage it so clean can remove it.
    const unstage = await git.run(root, ['rm', '-r', '-q', '--cached', '--ignore-unmatch', '--', '.']);
    if (!unstage.ok) return keep(unstage);
  }
  const after = await readStatus(git, context);
  if (!after.ok) return keep(after);
  const untracked = after.value.untracked.filter((file) => saved.value.files.includes(file));
  if (untracked.length > 0) {
    // git clean takes no pathspec file; literal pathspecs after `--` name exactly these files.
    const cleaned = await git.run(root, ['clean', '-f', '-q', '--', ...untracked.map((file) => `:(literal)${file}`)]);
    if (!cleaned.ok) return keep(cleaned);
  }
  const final = await readStatus(git, context);
  if (!final.ok) return keep(final);
  if (!final.value.clean) {
    return gitFail('git-failed', `Saved your work to ${saved.value.ref}, but ${root} is still not clean.`, {
      hint: 'Run `git status` to see what is left; nothing was lost (the snapshot holds it).',
      files: [...final.value.modified, ...final.value.staged, ...final.value.untracked],
    });
  }
  return gitOk(saved.value);
}
