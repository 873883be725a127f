import path from 'node:path';
import { isInside } from '../policy/paths.js';

/** Why a directory cannot hold a project, or undefined when it can. */
export function refuseProjectDirectory(directory: string, installDir: string, homeDir: string): string | undefined {
  for (const [what, dir] of [
    ['the CodeSleuth install', installDir],
    ['the CodeSleuth home', homeDir],
  ] as const) {
    if (isInside(dir, directory)) {
      return `${directory} is inside ${what} (${dir}). Agents would write next to CodeSleuth's own files; choose a directory outside it.`;
    }
    if (isInside(directory, dir)) {
      return `${directory} contains ${what} (${dir}). Agents would be able to change CodeSleuth itself; choose a directory that does not contain it.`;
    }
  }
  return undefined;
}

/** A stable, readable id: the directory's name as a slug plus a short hash of its full path. */
export function projectIdFor(directory: string): string {
  const slug =
    path
      .basename(directory)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'project';
  let hash = 0x811c9dc5;
  for (const char of directory) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${slug}-${hash.toString(16).padStart(8, '0').slice(0, 6)}`;
}
