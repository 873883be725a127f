import { isCollection, LineCounter, parseDocument, type Document } from 'yaml';

/**
 * Splitting and parsing the `---` YAML block at the top of an agent or rule file. Pure: the
 * caller reads the file. Line numbers are 1-based and refer to the whole file, so a person can
 * jump straight to the spot.
 */

/** Why a file's frontmatter could not be read; `line` points into the whole file. */
export interface FrontmatterError {
  readonly line: number;
  readonly message: string;
  readonly hint: string;
}

/** The raw pieces of a file: the YAML text between the fences and the body after them. */
export interface FrontmatterSplit {
  readonly yaml: string;
  /** File line of the first YAML line (the line after the opening `---`). */
  readonly yamlLine: number;
  /** The body with surrounding blank lines removed; the system prompt for an agent. */
  readonly body: string;
  /** File line where the trimmed body starts (or the line after the fence when empty). */
  readonly bodyLine: number;
}

/** A parsed file: the frontmatter as a plain mapping, not yet checked against a schema. */
export interface ParsedFrontmatter {
  readonly data: Record<string, unknown>;
  readonly body: string;
  readonly bodyLine: number;
  /**
   * The file line of the value at `path` (as zod reports paths), or of its nearest parent
   * that exists; undefined when not even the top-level field is written.
   */
  readonly lineOf: (path: readonly PropertyKey[]) => number | undefined;
}

export type SplitResult =
  | { readonly ok: true; readonly value: FrontmatterSplit }
  | { readonly ok: false; readonly error: FrontmatterError };

export type ParseResult =
  | { readonly ok: true; readonly value: ParsedFrontmatter }
  | { readonly ok: false; readonly error: FrontmatterError };

const FENCE = /^---[ \t]*$/;

/** Separates the frontmatter block from the body; tolerates a BOM and CRLF line ends. */
export function splitFrontmatter(text: string): SplitResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first === -1) {
    return fail(1, 'the file is empty', 'start the file with a `---` line, the YAML fields, and a closing `---` line');
  }
  if (!FENCE.test(lines[first] ?? '')) {
    return fail(
      first + 1,
      'the file does not start with a `---` frontmatter block',
      'put the fields between two `---` lines at the top of the file, then the body',
    );
  }
  const closing = lines.findIndex((line, index) => index > first && FENCE.test(line));
  if (closing === -1) {
    return fail(first + 1, 'the frontmatter block opened here is never closed', 'add a line with only `---` after the last field');
  }
  const bodyLines = lines.slice(closing + 1);
  const leading = bodyLines.findIndex((line) => line.trim() !== '');
  const body = bodyLines.join('\n').trim();
  return {
    ok: true,
    value: {
      yaml: lines.slice(first + 1, closing).join('\n'),
      yamlLine: first + 2,
      body,
      bodyLine: closing + 2 + (leading === -1 ? 0 : leading),
    },
  };
}

/** Splits and parses the frontmatter; the result is a mapping or an error with its line. */
export function parseFrontmatter(text: string): ParseResult {
  const split = splitFrontmatter(text);
  if (!split.ok) return split;
  const { yaml, yamlLine, body, bodyLine } = split.value;

  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const [firstError] = doc.errors;
  if (firstError) {
    const at = lineCounter.linePos(firstError.pos[0]);
    return fail(
      yamlLine + at.line - 1,
      `invalid YAML: ${firstError.message}`,
      'fix the YAML syntax (check indentation, quotes and brackets); wrap values that contain `: ` in quotes',
    );
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) {
    return fail(yamlLine - 1, 'the frontmatter block is empty', 'add the required fields between the `---` lines');
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    return fail(yamlLine, 'the frontmatter is not a set of `field: value` lines', 'write one `field: value` per line');
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let depth = path.length; depth > 0; depth--) {
      const offset = nodeOffset(doc, path.slice(0, depth));
      if (offset !== undefined) return yamlLine + lineCounter.linePos(offset).line - 1;
    }
    return undefined;
  };
  return { ok: true, value: { data: data as Record<string, unknown>, body, bodyLine, lineOf } };
}

/** Start offset of the node at `path`; numeric strings also match numeric keys (`rubric.1`). */
function nodeOffset(doc: Document, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  for (const segment of path) {
    if (!isCollection(node)) return undefined;
    const key = typeof segment === 'symbol' ? String(segment) : segment;
    let next: unknown = node.get(key, true);
    if (next === undefined && typeof key === 'string' && /^\d+$/.test(key)) next = node.get(Number(key), true);
    if (next === undefined) return undefined;
    node = next;
  }
  const range = (node as { range?: [number, number, number] | null }).range;
  return range ? range[0] : undefined;
}

function fail(line: number, message: string, hint: string): { ok: false; error: FrontmatterError } {
  return { ok: false, error: { line, message, hint } };
}
