import { mkdir, rmdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { DirectoryInfo, WorkspacePort } from '../core/session/ports.js';
import type { GitError } from '../core/git/git-results.js';
import type { GitRunner } from './git-runner.js';

/**
 * The person's project directory. Git runs through the git port's runner (git-runner.ts,
 * the only module that runs git), which loads simple-git on first use so it costs nothing
 * before the first prompt.
 */
export function createWorkspace(cwd: string): WorkspacePort {
  let loaded: Promise<{ runner: GitRunner; port: typeof import('./git-port.js') }> | undefined;
  const git = () =>
    (loaded ??= Promise.all([import('./git-runner.js'), import('./git-port.js')]).then(([{ createGitRunner }, port]) => ({ runner: createGitRunner(), port })));
  return {
    resolveDirectory(input) {
      const trimmed = input.trim().replace(/^["']|["']$/g, '');
      const expanded = trimmed === '~' ? homedir() : trimmed.startsWith('~/') ? path.join(homedir(), trimmed.slice(2)) : trimmed;
      return path.resolve(cwd, expanded);
    },

    async inspect(directory): Promise<DirectoryInfo> {
      try {
        const info = await stat(directory);
        if (!info.isDirectory()) return { kind: 'not-a-directory' };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
        throw error;
      }
      const { runner, port } = await git();
      const isGitRepo = await port.isRepository(runner, directory);
      if (!isGitRepo.ok) throw new Error(describe(isGitRepo.error));
      return { kind: 'directory', isGitRepo: isGitRepo.value };
    },

    async createDirectory(directory) {
      await mkdir(directory, { recursive: true });
    },

    async initGitRepository(directory) {
      const { runner, port } = await git();
      const result = await port.initRepository(runner, directory);
      if (!result.ok) throw new Error(describe(result.error));
    },

    async removeEmptyDirectory(directory) {
      // rmdir refuses a directory with anything in it, which is exactly the guarantee wanted.
      await rmdir(directory).catch(() => undefined);
    },
  };
}

/** The WorkspacePort throws where the git port returns errors; the message keeps the hint. */
function describe(error: GitError): string {
  return error.hint === undefined ? error.message : `${error.message} ${error.hint}`;
}
