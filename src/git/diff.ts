import path from 'node:path';
import { gitOk, type GitResult } from '../core/git/git-results.js';
import type { GitRunner } from './git-runner.js';
import { openRepo, pathspecArgs, withScratch } from './repo-context.js';

/**
 * The change a task would commit, as a unified diff against HEAD: only the given files, new
 * and deleted ones included, whatever the person has staged. Built in a scratch index (HEAD
 * plus those files), so neither the real index nor the work tree is touched.
 */
export async function diffFiles(git: GitRunner, repo: string, files: readonly string[]): Promise<GitResult<string>> {
  const opened = await openRepo(git, repo);
  if (!opened.ok) return opened;
  const context = opened.value;
  if (files.length === 0) return gitOk('');
  return withScratch(async (scratch) => {
    const env = { GIT_INDEX_FILE: path.join(scratch, 'index') };
    if (context.head !== null) {
      const read = await git.run(context.root, ['read-tree', 'HEAD'], { env });
      if (!read.ok) return read;
    }
    const added = await git.run(context.root, ['add', '-A', ...(await pathspecArgs(scratch, 'diff', files))], { env });
    if (!added.ok) return added;
    // Without a first commit, --cached compares with the empty tree.
    return git.run(context.root, ['diff', '--cached', '--no-color', '--no-ext-diff', '--find-renames', ...(context.head === null ? [] : ['HEAD'])], { env });
  });
}
