import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { errorMessage } from '../core/errors.js';
import { WHOLE_FILE, type DefinitionProblem } from '../core/agents/problems.js';

/**
 * Finding definition files in layered folders (the person's home folder first, then the
 * install) and reading them. A file in an earlier folder replaces the file of the same name in
 * later ones; if the replacement is broken, the next copy is used and the problem still shown.
 */

/** Every copy of one file name, best first. */
export interface LayeredFile {
  readonly fileName: string;
  readonly paths: readonly string[];
}

/** Markdown files that live beside definitions but are not definitions. */
const IGNORED = new Set(['readme.md']);

/** Lists the `.md` files of each folder as absolute paths; a missing folder is normal (no home overrides). */
export async function collectLayeredFiles(
  dirs: readonly string[],
): Promise<{ files: LayeredFile[]; problems: DefinitionProblem[] }> {
  const byName = new Map<string, string[]>();
  const problems: DefinitionProblem[] = [];
  for (const dir of dirs.map((d) => resolve(d))) {
    let names: string[];
    try {
      names = (await readdir(dir, { withFileTypes: true }))
        .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && entry.name.toLowerCase().endsWith('.md'))
        .map((entry) => entry.name);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      problems.push(folderProblem(dir, errorMessage(error)));
      continue;
    }
    for (const name of names.sort()) {
      if (IGNORED.has(name.toLowerCase())) continue;
      const paths = byName.get(name) ?? [];
      paths.push(join(dir, name));
      byName.set(name, paths);
    }
  }
  const files = [...byName.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([fileName, paths]) => ({ fileName, paths }));
  return { files, problems };
}

/** Result of trying the copies of one file in order. */
export interface LayeredLoad<T> {
  readonly value?: T;
  readonly problems: readonly DefinitionProblem[];
}

/**
 * Parses the copies of one file best first and keeps the first valid one. `overrides` is the
 * copy the chosen one shadows, so the person can see that a home file is in force.
 */
export async function loadFirstValid<T>(
  file: LayeredFile,
  parse: (path: string, text: string, overrides: string | undefined) => { value?: T; problems: readonly DefinitionProblem[] },
): Promise<LayeredLoad<T>> {
  const failed: DefinitionProblem[] = [];
  for (const [index, path] of file.paths.entries()) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      failed.push({
        file: path,
        field: WHOLE_FILE,
        message: `cannot be read: ${errorMessage(error)}`,
        expected: 'a readable text file',
        hint: 'check the file permissions, or delete the file',
      });
      continue;
    }
    const parsed = parse(path, text, file.paths[index + 1]);
    if (parsed.value !== undefined) {
      const note = '; meanwhile the installed copy is used';
      return { value: parsed.value, problems: failed.map((problem) => ({ ...problem, hint: `${problem.hint}${note}` })) };
    }
    failed.push(...parsed.problems);
  }
  return { problems: failed };
}

/** The last folder that exists (normally the install), for problems about the whole set. */
export async function primaryDir(dirs: readonly string[]): Promise<string> {
  for (const dir of [...dirs].reverse()) {
    try {
      if ((await stat(dir)).isDirectory()) return dir;
    } catch {
      // A folder that does not exist is simply not a candidate.
    }
  }
  return dirs[dirs.length - 1] ?? '(no agent folders configured)';
}

/** Shortens a path for people: inside the working folder relative, inside home with `~`. */
export function displayPath(file: string, where: { cwd?: string; home?: string } = {}): string {
  if (!isAbsolute(file)) return file;
  const cwd = where.cwd ?? process.cwd();
  const home = where.home ?? homedir();
  const fromCwd = relative(cwd, file);
  if (fromCwd !== '' && !fromCwd.startsWith('..') && !isAbsolute(fromCwd)) return fromCwd;
  const fromHome = relative(home, file);
  if (fromHome !== '' && !fromHome.startsWith('..') && !isAbsolute(fromHome)) return `~${sep}${fromHome}`;
  return file;
}

function folderProblem(dir: string, reason: string): DefinitionProblem {
  return {
    file: dir,
    field: WHOLE_FILE,
    message: `the folder cannot be read: ${reason}`,
    expected: 'a readable folder of .md files',
    hint: 'check the path and its permissions',
  };
}
