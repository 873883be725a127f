/**
 * Reads the output of `git log -p -U0 --format='commit %H'` into the lines each commit
 * added, with the line number each has in that commit's version of the file. Pure.
 * Hunks are followed by their counts, so an added line that happens to start with `++ `
 * or `commit ` is still read as content.
 */

/** A line a commit added. `line` is 1-based in the file as that commit left it. */
export interface AddedLine {
  readonly commit: string;
  readonly path: string;
  readonly line: number;
  readonly text: string;
}

const COMMIT_LINE = /^commit ([0-9a-f]{40})$/;
const HUNK_HEADER = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Undoes git's C-style quoting of unusual paths (`"b/caf\303\251.txt"`). */
export function unquoteGitPath(raw: string): string {
  if (!raw.startsWith('"') || !raw.endsWith('"') || raw.length < 2) return raw;
  const body = raw.slice(1, -1);
  const bytes: number[] = [];
  const simple: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' };
  for (let i = 0; i < body.length; i += 1) {
    const char = body[i] ?? '';
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(...Buffer.from(simple[next] ?? next, 'utf8'));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The new-side path of a `+++ ` line, or undefined for a deletion (`/dev/null`). */
function newPathOf(header: string): string | undefined {
  const raw = unquoteGitPath(header.slice(4).replace(/\t$/, ''));
  if (raw === '/dev/null') return undefined;
  return raw.startsWith('b/') ? raw.slice(2) : raw;
}

/** Every added line in the log output, in the order git printed them (newest commit first). */
export function parseGitLogPatch(output: string): AddedLine[] {
  const added: AddedLine[] = [];
  let commit: string | undefined;
  let path: string | undefined;
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;

  for (const rawLine of output.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (oldLeft > 0 || newLeft > 0) {
      const kind = line[0];
      if (kind === '+') {
        if (commit !== undefined && path !== undefined) added.push({ commit, path, line: newLine, text: line.slice(1) });
        newLine += 1;
        newLeft -= 1;
        continue;
      }
      if (kind === '-') {
        oldLeft -= 1;
        continue;
      }
      if (kind === ' ') {
        newLine += 1;
        oldLeft -= 1;
        newLeft -= 1;
        continue;
      }
      if (kind === '\\') continue;
      // Anything else means the hunk ended early (truncated output): fall through to headers.
      oldLeft = 0;
      newLeft = 0;
    }
    const commitMatch = COMMIT_LINE.exec(line);
    if (commitMatch) {
      commit = commitMatch[1];
      path = undefined;
      continue;
    }
    if (line.startsWith('diff --git ')) {
      path = undefined;
      continue;
    }
    if (line.startsWith('+++ ')) {
      path = newPathOf(line);
      continue;
    }
    const hunk = HUNK_HEADER.exec(line);
    if (hunk) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLine = Number(hunk[2]);
      newLeft = hunk[3] === undefined ? 1 : Number(hunk[3]);
    }
  }
  return added;
}
