import { mkdir, rmdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { DirectoryInfo, WorkspacePort } from '../core/session/ports.js';
import type { GitRunner } from './git-runner.js';

/**
 * The person's project directory. Git runs through the git port's runner (git-runner.ts,
 * the only module that runs git), which loads simple-git on first use so it costs nothing
 * before the first prompt.
 */
export function createWorkspace(cwd: string): WorkspacePort {
  let runner: GitRunner | undefined;
  const git = async () => {
    runner ??= (await import('./git-runner.js')).createGitRunner();
    return runner;
  };
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
      const { isRepository } = await import('./git-port.js');
      return { kind: 'directory', isGitRepo: await isRepository(await git(), directory) };
    },

    async createDirectory(directory) {
      await mkdir(directory, { recursive: true });
    },

    async initGitRepository(directory) {
      const { initRepository } = await import('./git-port.js');
      const result = await initRepository(await git(), directory);
      if (!result.ok) throw new Error(result.error.hint === undefined ? result.error.message : `${result.error.message} ${result.error.hint}`);
    },

    async removeEmptyDirectory(directory) {
      // rmdir refuses a directory with anything in it, which is exactly the guarantee wanted.
      await rmdir(directory).catch(() => undefined);
    },
  };
}
