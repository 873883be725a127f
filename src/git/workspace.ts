import { mkdir, rmdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { DirectoryInfo, WorkspacePort } from '../core/session/ports.js';

/**
 * The person's project directory. simple-git is loaded on first use so it costs nothing
 * before the first prompt; this module is the only one that runs git.
 */
export function createWorkspace(cwd: string): WorkspacePort {
  const git = async (directory: string) => {
    const { simpleGit } = await import('simple-git');
    return simpleGit({ baseDir: directory });
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
      return { kind: 'directory', isGitRepo: await (await git(directory)).checkIsRepo() };
    },

    async createDirectory(directory) {
      await mkdir(directory, { recursive: true });
    },

    async initGitRepository(directory) {
      await (await git(directory)).init();
    },

    async removeEmptyDirectory(directory) {
      // rmdir refuses a directory with anything in it, which is exactly the guarantee wanted.
      await rmdir(directory).catch(() => undefined);
    },
  };
}
