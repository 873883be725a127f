import { lstat, open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isInside, toPosix } from '../core/policy/paths.js';

/**
 * The working tree as the scanners see it: text files only, never inside `.git` or
 * `node_modules`, never through a symlink, nothing larger than a limit.
 */

/** Folders no scanner enters: repository data and installed packages. */
export const SCANNER_IGNORED_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules']);

/** Files above this size are generated data or bundles, not something a person wrote. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/** How many bytes are sniffed for a NUL to tell binary from text (the same test git uses). */
const SNIFF_BYTES = 8_000;

/** What the walk left out, for the scanner notes. */
export interface WalkStats {
  scanned: number;
  skippedBinary: number;
  skippedLarge: string[];
  unreadable: string[];
}

export interface TextFile {
  /** '/'-separated, relative to the project root. */
  readonly path: string;
  readonly text: string;
}

export interface WalkOptions {
  /** Only these project-relative files or folders (default: the whole project). */
  readonly paths?: readonly string[];
  readonly maxFileBytes?: number;
}

export function emptyWalkStats(): WalkStats {
  return { scanned: 0, skippedBinary: 0, skippedLarge: [], unreadable: [] };
}

/** True when the first bytes contain a NUL. */
export async function isBinaryFile(absolute: string): Promise<boolean> {
  const handle = await open(absolute, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}

/** Lines as scanners number them: split on LF, a trailing CR dropped, no phantom line after a final newline. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

/** Yields each text file under `root` (or under `options.paths`), sorted, recording what it skipped in `stats`. */
export async function* readTextFiles(root: string, stats: WalkStats, options: WalkOptions = {}): AsyncGenerator<TextFile> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const starts = options.paths === undefined ? [root] : options.paths.map((p) => path.resolve(root, p)).filter((p) => isInside(root, p));

  async function* visit(absolute: string): AsyncGenerator<TextFile> {
    const relative = toPosix(path.relative(root, absolute)) || '.';
    let info;
    try {
      info = await lstat(absolute);
    } catch {
      stats.unreadable.push(relative);
      return;
    }
    if (info.isSymbolicLink()) return;
    if (info.isDirectory()) {
      if (SCANNER_IGNORED_DIRS.has(path.basename(absolute)) && absolute !== root) return;
      let names: string[];
      try {
        names = await readdir(absolute);
      } catch {
        stats.unreadable.push(relative);
        return;
      }
      names.sort();
      for (const name of names) yield* visit(path.join(absolute, name));
      return;
    }
    if (!info.isFile()) return;
    if (info.size > maxBytes) {
      stats.skippedLarge.push(relative);
      return;
    }
    try {
      if (await isBinaryFile(absolute)) {
        stats.skippedBinary += 1;
        return;
      }
      const text = await readFile(absolute, 'utf8');
      stats.scanned += 1;
      yield { path: relative, text };
    } catch {
      stats.unreadable.push(relative);
    }
  }

  for (const start of starts) yield* visit(start);
}

/** One sentence on what the walk covered, for a scanner note. */
export function describeWalk(stats: WalkStats): string {
  const parts = [`${stats.scanned} text file${stats.scanned === 1 ? '' : 's'} scanned`];
  if (stats.skippedBinary > 0) parts.push(`${stats.skippedBinary} binary skipped`);
  if (stats.skippedLarge.length > 0) {
    const shown = stats.skippedLarge.slice(0, 5).join(', ');
    parts.push(`${stats.skippedLarge.length} over the size limit skipped (${shown}${stats.skippedLarge.length > 5 ? ', ...' : ''})`);
  }
  if (stats.unreadable.length > 0) parts.push(`${stats.unreadable.length} unreadable (${stats.unreadable.slice(0, 5).join(', ')})`);
  return `${parts.join('; ')}; .git and node_modules not entered`;
}
