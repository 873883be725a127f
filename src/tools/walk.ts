import path from 'node:path';
import { toPosix } from '../core/policy/paths.js';
import type { DirEntry, FileSystemOperations } from './fs-operations.js';

/** Folders no tool lists or searches: repository data and installed packages. */
export const IGNORED_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules']);

/** Hard stop for one walk, so a huge tree cannot stall the agent. */
export const MAX_WALK_ENTRIES = 50_000;

/** One entry found by `walk`. */
export interface WalkEntry {
  absolute: string;
  /** Relative to the project root, '/'-separated. */
  relative: string;
  /** Relative to the folder the walk started from. */
  fromStart: string;
  kind: DirEntry['kind'];
}

/** Result of a walk: entries in sorted, depth-first order, and whether it stopped early. */
export interface WalkResult {
  entries: WalkEntry[];
  stoppedEarly: boolean;
  /** Folders that could not be read (permissions), as project-relative paths. */
  unreadable: string[];
}

/**
 * Lists `start` (absolute, inside `root`), depth-first with names sorted, never entering
 * ignored folders or following symlinks (a link is reported, not entered, so the walk
 * cannot leave the project or loop).
 */
export async function walk(
  fs: Pick<FileSystemOperations, 'readdir'>,
  root: string,
  start: string,
  options: { recursive: boolean; limit?: number },
): Promise<WalkResult> {
  const limit = Math.min(options.limit ?? MAX_WALK_ENTRIES, MAX_WALK_ENTRIES);
  const entries: WalkEntry[] = [];
  const unreadable: string[] = [];
  let stoppedEarly = false;

  const visit = async (dir: string): Promise<void> => {
    let children: DirEntry[];
    try {
      children = await fs.readdir(dir);
    } catch {
      unreadable.push(toPosix(path.relative(root, dir)) || '.');
      return;
    }
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      if (entries.length >= limit) {
        stoppedEarly = true;
        return;
      }
      if (child.kind === 'dir' && IGNORED_DIRS.has(child.name)) continue;
      const absolute = path.join(dir, child.name);
      entries.push({
        absolute,
        relative: toPosix(path.relative(root, absolute)),
        fromStart: toPosix(path.relative(start, absolute)),
        kind: child.kind,
      });
      if (options.recursive && child.kind === 'dir') await visit(absolute);
      if (stoppedEarly) return;
    }
  };

  await visit(start);
  return { entries, stoppedEarly, unreadable };
}
