import path from 'node:path';

/**
 * Cited locations are checked against the project before anyone relies on them: a reviewer
 * finding, a Critic score or a security finding that points at a line that does not exist
 * is rejected with a reason the model (or the scanner's author) can act on.
 */

/**
 * The port that knows the project's files. `lineCount` answers how many lines a file has
 * (in the working tree, or at `commit` when given), or undefined when there is no such
 * file. Adapter: src/scanners/file-index.ts.
 */
export interface FileIndex {
  lineCount(file: string, commit?: string): Promise<number | undefined>;
}

/** A location to check. `label` names where the citation came from, for messages. */
export interface Citation {
  readonly file: string;
  readonly line: number;
  readonly commit?: string;
  readonly label?: string;
}

export interface RejectedCitation<C extends Citation> {
  readonly citation: C;
  readonly reason: string;
}

/** Citations kept in their input order, split into those that exist and those that do not. */
export interface CitationCheck<C extends Citation> {
  readonly accepted: C[];
  readonly rejected: RejectedCitation<C>[];
}

/** A cited path in the project's '/'-separated relative form, or why it cannot be one. */
export type NormalisedPath = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

/** `./src//a.ts` → `src/a.ts`; absolute paths and paths that climb out of the project are refused. */
export function normaliseCitedPath(file: string): NormalisedPath {
  const slashed = file.trim().replace(/\\/g, '/');
  if (slashed === '') return { ok: false, reason: 'the file path is empty' };
  if (slashed.startsWith('/') || /^[A-Za-z]:\//.test(slashed)) {
    return { ok: false, reason: 'the path is absolute; cite it relative to the project folder' };
  }
  const normal = path.posix.normalize(slashed);
  if (normal === '..' || normal.startsWith('../')) return { ok: false, reason: 'the path leads outside the project folder' };
  if (normal === '.' || normal.endsWith('/')) return { ok: false, reason: 'the path names a folder, not a file' };
  return { ok: true, path: normal };
}

const COMMIT_PATTERN = /^[0-9a-f]{7,40}$/i;

function where(citation: Citation): string {
  const at = citation.commit === undefined ? '' : ` at commit ${citation.commit.slice(0, 12)}`;
  return `${citation.label === undefined ? '' : `${citation.label}: `}\`${citation.file}:${citation.line}\`${at}`;
}

/**
 * Checks that each cited file exists and has the cited line. Lookups go through the port
 * once per file (and commit), however many citations name it.
 */
export async function checkCitations<C extends Citation>(citations: readonly C[], fileIndex: FileIndex): Promise<CitationCheck<C>> {
  const accepted: C[] = [];
  const rejected: RejectedCitation<C>[] = [];
  const counts = new Map<string, Promise<number | undefined>>();

  for (const citation of citations) {
    const reject = (why: string): void => {
      rejected.push({ citation, reason: `${where(citation)}: ${why}` });
    };
    if (!Number.isInteger(citation.line) || citation.line < 1) {
      reject('the line must be a whole number from 1');
      continue;
    }
    if (citation.commit !== undefined && !COMMIT_PATTERN.test(citation.commit)) {
      reject('the commit must be a hexadecimal SHA');
      continue;
    }
    const normalised = normaliseCitedPath(citation.file);
    if (!normalised.ok) {
      reject(normalised.reason);
      continue;
    }
    const key = `${citation.commit ?? ''}\u0000${normalised.path}`;
    let count = counts.get(key);
    if (count === undefined) {
      count = fileIndex.lineCount(normalised.path, citation.commit);
      counts.set(key, count);
    }
    const lines = await count;
    if (lines === undefined) {
      reject(citation.commit === undefined ? 'no such file in the project' : 'no such file at that commit');
    } else if (citation.line > lines) {
      reject(`the file has ${lines} line${lines === 1 ? '' : 's'}, so line ${citation.line} does not exist`);
    } else {
      accepted.push(citation);
    }
  }
  return { accepted, rejected };
}

/** The rejections as one message for a tool result: what is wrong and what to do. */
export function describeRejectedCitations(rejected: readonly RejectedCitation<Citation>[]): string {
  if (rejected.length === 0) return '';
  return [
    `${rejected.length} cited location${rejected.length === 1 ? ' does' : 's do'} not exist in the project:`,
    ...rejected.map((entry) => `- ${entry.reason}`),
    'Read the file again and cite a line that exists, or remove the citation.',
  ].join('\n');
}
