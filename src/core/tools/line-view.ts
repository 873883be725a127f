/** Lines read_file returns when the model gives no limit. */
export const DEFAULT_READ_LIMIT = 2000;
/** Characters kept from a single very long line (minified bundles, lockfiles). */
export const MAX_LINE_CHARS = 2000;

/** A window of a text file, with the facts the model needs to ask for the next one. */
export interface LineWindow {
  /** `cat -n` style: right-aligned 1-based number, a tab, the line. */
  text: string;
  firstLine: number;
  lastLine: number;
  totalLines: number;
}

/** Splits on LF or CRLF; a trailing newline does not make an extra empty line. */
export function splitLines(content: string): string[] {
  if (content.length === 0) return [];
  const lines = content.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Numbers lines `offset`..`offset+limit-1` (1-based). An offset past the end gives an
 * empty window, which the caller reports rather than treating as an error.
 */
export function numberedWindow(content: string, offset = 1, limit = DEFAULT_READ_LIMIT): LineWindow {
  const lines = splitLines(content);
  const start = Math.max(1, offset);
  const slice = lines.slice(start - 1, start - 1 + limit);
  const width = String(start - 1 + slice.length).length;
  const text = slice
    .map((line, index) => {
      const shown =
        line.length > MAX_LINE_CHARS
          ? `${line.slice(0, MAX_LINE_CHARS)}... [line cut: ${line.length} characters]`
          : line;
      return `${String(start + index).padStart(Math.max(width, 6))}\t${shown}`;
    })
    .join('\n');
  return { text, firstLine: start, lastLine: start - 1 + slice.length, totalLines: lines.length };
}

/** True when a buffer looks binary (a NUL byte in the first 8 KiB). */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8192);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}
