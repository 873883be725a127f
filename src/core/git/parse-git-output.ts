import type { Worktree } from './git-results.js';

/**
 * Parsers for git's machine-readable output. Pure: git runs elsewhere and hands the text in.
 */

/** `git status --porcelain=v2 --branch -z --untracked-files=all`, read into lists. */
export interface ParsedStatus {
  readonly branch: string | null;
  readonly head: string | null;
  readonly modified: string[];
  readonly staged: string[];
  readonly untracked: string[];
  readonly conflicted: string[];
}

/**
 * Reads porcelain v2 with `-z`: records end with NUL; a rename/copy record (`2 ...`) is
 * followed by one more NUL-terminated field, the original path. Paths are never quoted.
 */
export function parseStatusV2(text: string): ParsedStatus {
  const status: ParsedStatus = { branch: null, head: null, modified: [], staged: [], untracked: [], conflicted: [] };
  const records = text.split('\0');
  for (let index = 0; index < records.length; index += 1) {
    const record = records[index]!;
    if (record.length === 0) continue;
    if (record.startsWith('# branch.oid ')) {
      const oid = record.slice('# branch.oid '.length);
      (status as { head: string | null }).head = oid === '(initial)' ? null : oid;
    } else if (record.startsWith('# branch.head ')) {
      const head = record.slice('# branch.head '.length);
      (status as { branch: string | null }).branch = head === '(detached)' ? null : head;
    } else if (record.startsWith('1 ') || record.startsWith('2 ')) {
      // 1 XY sub mH mI mW hH hI path | 2 XY sub mH mI mW hH hI Xscore path, then origPath
      const fields = record.split(' ');
      const xy = fields[1] ?? '..';
      const path = fields.slice(record.startsWith('1 ') ? 8 : 9).join(' ');
      const original = record.startsWith('2 ') ? records[++index] : undefined;
      if (xy[0] !== '.') {
        status.staged.push(path);
        if (original !== undefined && original.length > 0) status.staged.push(original);
      }
      if (xy[1] !== '.') status.modified.push(path);
    } else if (record.startsWith('u ')) {
      // u XY sub m1 m2 m3 mW h1 h2 h3 path
      status.conflicted.push(record.split(' ').slice(10).join(' '));
    } else if (record.startsWith('? ')) {
      status.untracked.push(record.slice(2));
    }
  }
  for (const list of [status.modified, status.staged, status.untracked, status.conflicted]) list.sort(compareNames);
  return status;
}

/** Byte-order comparison, as git sorts paths (not locale order, which varies by machine). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Splits NUL-separated output (`-z`) into its non-empty parts. */
export function splitNul(text: string): string[] {
  return text.split('\0').filter((part) => part.length > 0);
}

/**
 * `git worktree list --porcelain`, with `-z` (records of NUL-ended lines, an empty line
 * between records) or without (newline-ended lines, a blank line between records). The
 * first record is the main worktree.
 */
export function parseWorktreeList(text: string, nulSeparated: boolean): Worktree[] {
  const separator = nulSeparated ? '\0' : '\n';
  const worktrees: Worktree[] = [];
  let current: { dir: string; head: string | null; branch: string | null; locked: boolean; prunable: boolean } | undefined;
  const flush = () => {
    if (current) worktrees.push({ ...current, main: worktrees.length === 0 });
    current = undefined;
  };
  for (const line of text.split(separator)) {
    if (line.length === 0) {
      flush();
      continue;
    }
    const space = line.indexOf(' ');
    const key = space === -1 ? line : line.slice(0, space);
    const value = space === -1 ? '' : line.slice(space + 1);
    if (key === 'worktree') {
      flush();
      current = { dir: value, head: null, branch: null, locked: false, prunable: false };
    } else if (current === undefined) {
      continue;
    } else if (key === 'HEAD') {
      current.head = /^0+$/.test(value) ? null : value;
    } else if (key === 'branch') {
      current.branch = value.startsWith('refs/heads/') ? value.slice('refs/heads/'.length) : value;
    } else if (key === 'locked') {
      current.locked = true;
    } else if (key === 'prunable') {
      current.prunable = true;
    }
  }
  flush();
  return worktrees;
}

/** `git for-each-ref --format=%(refname)%00%(objectname)` lines, as [ref, sha] pairs. */
export function parseRefLines(text: string): [string, string][] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [ref = '', sha = ''] = line.split('\0');
      return [ref, sha];
    });
}

/** Files named in git's "would be overwritten" / "untracked working tree files" messages (tab-indented lines). */
export function filesInGitMessage(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('\t'))
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
