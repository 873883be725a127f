import path from 'node:path';

/**
 * Path containment, the one rule everything else leans on. Pure: works on strings only.
 * Symlinks are the caller's job: it passes the realpath in and we check that too.
 */

/** True when `target` (absolute) is `root` or lies below it. `..foo` is a name, not a parent. */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  if (rel === '') return true;
  if (path.isAbsolute(rel)) return false;
  return rel !== '..' && !rel.startsWith(`..${path.sep}`);
}

/** A path as seen from the project: absolute form, '/'-separated relative form, inside or not. */
export interface ResolvedPath {
  absolute: string;
  /** '/'-separated, relative to root; '' for the root itself; undefined when outside. */
  relative: string | undefined;
  inside: boolean;
}

/** Resolves `input` (relative to `base`, which defaults to `root`) and places it against `root`. */
export function resolveInRoot(root: string, input: string, base: string = root): ResolvedPath {
  const absolute = path.resolve(base, input);
  const inside = isInside(root, absolute);
  return { absolute, relative: inside ? toPosix(path.relative(root, absolute)) : undefined, inside };
}

/** '/'-separated form, for matching globs on every platform. */
export function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

/** True when any segment of a '/'-separated relative path is exactly `name` (e.g. '.git'). */
export function hasSegment(relative: string, name: string): boolean {
  return relative.split('/').includes(name);
}

/**
 * Project-relative display form of an absolute path when inside, else the absolute path,
 * so that messages show the person what they know.
 */
export function displayPath(root: string, absolute: string): string {
  if (!isInside(root, absolute)) return absolute;
  const rel = toPosix(path.relative(root, absolute));
  return rel === '' ? '.' : rel;
}
