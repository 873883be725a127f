import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../core/policy/paths.js';
import type { FileIndex } from '../core/verdicts/evidence.js';
import { runCommand, type CommandRunner } from '../sandbox/process-runner.js';
import { splitLines } from './project-files.js';

/**
 * The FileIndex port over a real project: line counts of working-tree files (read from
 * disk, never through a symlink that leaves the project), and of files as they were at a
 * commit (`git show <sha>:./<path>` through the process runner).
 */

export interface FileIndexOptions {
  readonly runner?: CommandRunner;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Files above this size are counted as missing rather than read whole. */
  readonly maxFileBytes?: number;
}

const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
const COMMIT = /^[0-9a-f]{7,40}$/i;

/** Quotes one argument for the shell the process runner uses (bash, or cmd.exe on Windows). */
export function quoteShellArg(value: string): string {
  if (process.platform === 'win32') return `"${value.replace(/"/g, '""')}"`;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Line count as scanners and editors number lines (a final newline does not start a line). */
export function countLines(text: string): number {
  return splitLines(text).length;
}

/** A FileIndex for the project at `root`; answers are cached per file and commit. */
export function createFileIndex(root: string, options: FileIndexOptions = {}): FileIndex {
  const run = options.runner ?? runCommand;
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const cache = new Map<string, Promise<number | undefined>>();
  let realRoot: Promise<string> | undefined;

  const workingTree = async (relative: string): Promise<number | undefined> => {
    const absolute = path.resolve(root, relative);
    if (!isInside(root, absolute)) return undefined;
    try {
      realRoot ??= realpath(root);
      const [resolvedRoot, resolved] = await Promise.all([realRoot, realpath(absolute)]);
      if (!isInside(resolvedRoot, resolved)) return undefined;
      const info = await stat(resolved);
      if (!info.isFile() || info.size > maxBytes) return undefined;
      return countLines(await readFile(resolved, 'utf8'));
    } catch {
      return undefined;
    }
  };

  const atCommit = async (relative: string, commit: string): Promise<number | undefined> => {
    if (!COMMIT.test(commit) || !isInside(root, path.resolve(root, relative))) return undefined;
    const result = await run({
      command: `git cat-file blob ${quoteShellArg(`${commit}:./${relative}`)}`,
      cwd: root,
      timeoutMs: 30_000,
      maxOutputBytes: maxBytes,
      ...(options.env === undefined ? {} : { env: options.env }),
    });
    if (result.exitCode !== 0 || result.truncated) return undefined;
    return countLines(result.stdout);
  };

  return {
    lineCount(file, commit) {
      const key = `${commit ?? ''}\u0000${file}`;
      let answer = cache.get(key);
      if (answer === undefined) {
        answer = commit === undefined ? workingTree(file) : atCommit(file, commit);
        cache.set(key, answer);
      }
      return answer;
    },
  };
}
