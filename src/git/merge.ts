import { classifyGitFailure } from '../core/git/classify-failure.js';
import { gitFail, gitOk, type GitResult, type MergeOutcome } from '../core/git/git-results.js';
import type { MergeOptions } from '../core/git/ports.js';
import { compareNames, splitNul } from '../core/git/parse-git-output.js';
import type { GitRunner } from './git-runner.js';
import { identityConfig, openRepo, operationInProgress, readStatus, refuseDetached, refuseOperation, resolveCommit } from './repo-context.js';

/**
 * Merging a task branch into the current branch. git's `merge --abort` cannot always give
 * back uncommitted changes to tracked files, so those make the merge refuse up front;
 * untracked files are fine (git itself refuses before starting if one is in the way).
 */

/** Merges `branch` with a merge commit, or reports its conflicts and leaves everything as it was. */
export async function mergeBranch(git: GitRunner, repo: string, branch: string, options: MergeOptions): Promise<GitResult<MergeOutcome>> {
  if (options.message.trim().length === 0) return gitFail('invalid-request', 'The merge commit message is empty.');
  const opened = await openRepo(git, repo);
  if (!opened.ok) return opened;
  const context = opened.value;
  if (context.branch === null) return refuseDetached(context, `merge ${branch}`);
  const status = await readStatus(git, context);
  if (!status.ok) return status;
  if (status.value.operation !== null) return refuseOperation(status.value.operation, `merge ${branch}`);
  const tracked = [...new Set([...status.value.conflicted, ...status.value.staged, ...status.value.modified])].sort(compareNames);
  if (tracked.length > 0) {
    return gitFail('uncommitted-changes', `${context.root} has uncommitted changes, so CodeSleuth will not merge ${branch} into it.`, {
      hint: 'Commit them (or let CodeSleuth snapshot them and check out a clean tree), then merge again.',
      files: tracked,
    });
  }
  const tip = branch.startsWith('-') ? null : await resolveCommit(git, context, `refs/heads/${branch}`);
  if (tip === null) return gitFail('unknown-revision', `There is no branch ${branch} in ${context.root}.`, { hint: 'See `git branch --list`.' });

  const before = context.head;
  // HEAD an ancestor of the tip: nothing landed meanwhile, so the task's own commit lands as it is.
  const fastForward = options.fastForward === true && before !== null && (await git.exec(context.root, ['merge-base', '--is-ancestor', before, tip])).exitCode === 0;
  const mode = fastForward ? ['--ff-only'] : ['--no-ff', '--no-edit', '-m', options.message];
  const merged = await git.exec(context.root, ['merge', ...mode, tip], { config: await identityConfig(git, context) });
  if (merged.exitCode === 0) {
    const head = await resolveCommit(git, context, 'HEAD');
    return head === null ? gitFail('git-failed', 'git reported a merge but HEAD does not point at a commit.') : gitOk({ kind: 'merged', sha: head });
  }

  const unmerged = await git.run(context.root, ['diff', '--name-only', '-z', '--diff-filter=U']);
  const files = unmerged.ok ? [...new Set(splitNul(unmerged.value))].sort(compareNames) : [];
  const started = (await operationInProgress(context)) === 'merge';
  if (started) {
    const aborted = await git.run(context.root, ['merge', '--abort']);
    const head = await resolveCommit(git, context, 'HEAD');
    if (!aborted.ok || head !== before) {
      return gitFail('git-failed', `The merge of ${branch} stopped and could not be undone cleanly.`, {
        hint: 'Run `git status` in the repository; `git merge --abort` ends the merge.',
        files,
        ...(aborted.ok ? {} : { detail: aborted.error.detail ?? aborted.error.message }),
      });
    }
  }
  if (files.length > 0) return gitOk({ kind: 'conflict', files });

  // git stopped without conflicts: it refused to start (a file in the way) or a hook said no.
  const failure = classifyGitFailure({ command: 'git merge', cwd: context.root, exitCode: merged.exitCode, stderr: `${merged.stderr}\n${merged.stdout}`, ...(merged.spawnError !== undefined ? { spawnError: merged.spawnError } : {}) });
  return { ok: false, error: { ...failure, message: `git did not merge ${branch}${started ? ' (the merge was undone)' : ''}: ${failure.message}` } };
}
