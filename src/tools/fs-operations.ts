import { mkdir, readdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One directory entry; symlinks are reported as such and never followed by the walkers. */
export interface DirEntry {
  name: string;
  kind: 'file' | 'dir' | 'symlink' | 'other';
}

/** What `stat` (following symlinks) tells the tools. */
export interface FileStat {
  kind: 'file' | 'dir' | 'other';
  size: number;
}

/**
 * The file-system port the tools are written against (after pi-mono's `LsOperations`):
 * tests and other back ends (a remote workspace, an in-memory tree) inject their own.
 * Paths are absolute; errors are thrown as the node:fs ones are.
 */
export interface FileSystemOperations {
  readFile(absolute: string): Promise<Uint8Array>;
  /** Writes UTF-8 text, creating missing parent folders. */
  writeFile(absolute: string, content: string): Promise<void>;
  readdir(absolute: string): Promise<DirEntry[]>;
  /** undefined when nothing is there. */
  stat(absolute: string): Promise<FileStat | undefined>;
  /** The path with every symlink resolved; throws when it does not exist. */
  realpath(absolute: string): Promise<string>;
}

/** The real disk. */
export const nodeFileSystem: FileSystemOperations = {
  readFile: (absolute) => readFile(absolute),
  async writeFile(absolute, content) {
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, content, 'utf8');
  },
  async readdir(absolute) {
    const entries = await readdir(absolute, { withFileTypes: true });
    return entries.map((entry) => ({
      name: entry.name,
      kind: entry.isSymbolicLink() ? 'symlink' : entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other',
    }));
  },
  async stat(absolute) {
    try {
      const info = await stat(absolute);
      return { kind: info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'other', size: info.size };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },
  realpath: (absolute) => realpath(absolute),
};

/** ENOENT or ENOTDIR: "there is nothing at that path". */
export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
