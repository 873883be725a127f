/**
 * The small Markdown reader the document and task-graph parsers share. It knows exactly what
 * the renderers write (ATX headings, fenced code, "- " lists, pipe tables) and tolerates what
 * a person typically does to such a file by hand: extra blank lines, trailing spaces, `*` or
 * `1.` list markers, CRLF line ends. Every piece keeps its 1-based line number so a problem
 * can point at the line to fix.
 *
 * Lines are plain strings and parts of a file are index ranges over them (`Span`), not arrays
 * of line objects: a 5,000-task TASK-GRAPH.md has ~75,000 lines, and one object per line cost
 * more in garbage collection than the rest of the parse.
 */

/** Lines `start` (inclusive) to `end` (exclusive) of a file; line number = index + 1. */
export interface Span {
  readonly lines: readonly string[];
  readonly start: number;
  readonly end: number;
}

/** A heading and the lines under it, up to the next heading of the same or a higher level. */
export interface Section {
  readonly heading: string;
  readonly line: number;
  readonly body: Span;
}

/** The file's lines without line ends (CRLF included) or trailing spaces. */
export function toLines(text: string): string[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  // A plain split is several times faster than a regex one; trimEnd drops the \r of a CRLF.
  return body.split('\n').map((line) => line.trimEnd());
}

export function spanOf(lines: readonly string[], start = 0, end = lines.length): Span {
  return { lines, start, end };
}

export function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** The 1-based number of the first non-blank line of a span, or undefined. */
export function firstContentLine(span: Span): number | undefined {
  for (let i = span.start; i < span.end; i++) if (!isBlank(span.lines[i]!)) return i + 1;
  return undefined;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** The first character after up to three spaces of indentation (block syntax allows no more). */
function firstNonSpace(text: string): string | undefined {
  let i = 0;
  while (i < 3 && text.charCodeAt(i) === 32) i++;
  return text[i];
}

/** An opening or closing code fence: its character, its length and its info string. */
function fenceOf(text: string): { char: string; length: number; info: string } | undefined {
  // Most lines are not fences; a look at the first character spares the regex.
  const first = firstNonSpace(text);
  if (first !== '`' && first !== '~') return undefined;
  const match = FENCE.exec(text);
  if (!match) return undefined;
  const marks = match[1]!;
  const info = match[2]!.trim();
  // A backtick fence may not carry a backtick in its info string (CommonMark).
  if (marks[0] === '`' && info.includes('`')) return undefined;
  return { char: marks[0]!, length: marks.length, info };
}

/**
 * Tracks fenced code so headings inside a code block are not read as headings. Call `step`
 * for each line in order; it says whether that line is part of a fence (markers included).
 */
export function fenceTracker(): { step(text: string): boolean; readonly open: boolean } {
  let open: { char: string; length: number } | undefined;
  return {
    step(text: string): boolean {
      const fence = fenceOf(text);
      if (open === undefined) {
        if (fence) open = { char: fence.char, length: fence.length };
        return fence !== undefined;
      }
      if (fence && fence.char === open.char && fence.length >= open.length && fence.info === '') open = undefined;
      return true;
    },
    get open() {
      return open !== undefined;
    },
  };
}

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;

/** The level and text of an ATX heading, or undefined. */
export function headingOf(text: string): { level: number; text: string } | undefined {
  if (firstNonSpace(text) !== '#') return undefined;
  const match = HEADING.exec(text);
  if (!match) return undefined;
  return { level: match[1]!.length, text: (match[2] ?? '').trim() };
}

/** A heading found by `outline`: `index` is its position in the lines, `end` where its section ends. */
export interface OutlineHeading {
  readonly level: number;
  readonly text: string;
  readonly index: number;
  /** The index of the next heading of the same or a higher level, or the number of lines. */
  end: number;
}

/** The headings of a span, and the index of a code fence left open at its end (if any). */
export interface Outline {
  readonly headings: OutlineHeading[];
  readonly openFence?: number;
}

/**
 * Every heading of a span outside fenced code, in one pass: a large file is read once rather
 * than once per heading level.
 */
export function outline(span: Span): Outline {
  const headings: OutlineHeading[] = [];
  const open: OutlineHeading[] = [];
  const fences = fenceTracker();
  let fenceStart = -1;
  for (let index = span.start; index < span.end; index++) {
    const text = span.lines[index]!;
    const wasOpen = fences.open;
    if (fences.step(text)) {
      if (!wasOpen) fenceStart = index;
      continue;
    }
    const heading = headingOf(text);
    if (!heading) continue;
    while (open.length > 0 && open[open.length - 1]!.level >= heading.level) open.pop()!.end = index;
    const entry: OutlineHeading = { level: heading.level, text: heading.text, index, end: span.end };
    headings.push(entry);
    open.push(entry);
  }
  return fences.open ? { headings, openFence: fenceStart } : { headings };
}

/** The problem of a code fence that is never closed: everything after it reads as code. */
export function unclosedFenceProblem(index: number, lines: readonly string[]): { line: number; message: string } {
  return {
    line: index + 1,
    message: `the code block opened here ("${clip(lines[index]!.trim())}") is never closed, so everything after it reads as code; close it with a line of the same fence`,
  };
}

/**
 * Splits a span at headings of exactly `level`. A heading of a higher level (fewer `#`) also
 * ends a section; those are returned as 0-based indexes in `higher` so callers can complain.
 * Deeper headings stay in the body.
 */
export function splitSections(span: Span, level: number): { preamble: Span; sections: Section[]; higher: number[] } {
  const sections: Section[] = [];
  const higher: number[] = [];
  let preambleEnd = span.end;
  for (const heading of outline(span).headings) {
    if (heading.level > level) continue;
    if (sections.length === 0 && higher.length === 0) preambleEnd = heading.index;
    if (heading.level < level) higher.push(heading.index);
    else sections.push({ heading: heading.text, line: heading.index + 1, body: spanOf(span.lines, heading.index + 1, heading.end) });
  }
  return { preamble: spanOf(span.lines, span.start, preambleEnd), sections, higher };
}

/** A block of text as the runtime stores it: the lines joined, surrounding blank lines dropped. */
export function blockFrom(span: Span): string {
  let start = span.start;
  let end = span.end;
  while (start < end && isBlank(span.lines[start]!)) start++;
  while (end > start && isBlank(span.lines[end - 1]!)) end--;
  return span.lines.slice(start, end).join('\n');
}

/** What an empty list is rendered as; read back as no items. */
export const NONE_MARK = '_None._';
const NONE_WORDS = new Set(['_none._', '_none_', 'none', 'none.', '*none.*', '*none*']);

/**
 * The text after a list marker ("- ", "* ", "+ ", "1. ", "2) "), or undefined when the line
 * is not a list item. Read by hand rather than by a regex: a large task graph has tens of
 * thousands of criteria, and each regex match allocates.
 */
function bulletText(line: string): string | undefined {
  let i = 0;
  while (i < 3 && line.charCodeAt(i) === 32) i++;
  const first = line.charCodeAt(i);
  if (first === 45 /* - */ || first === 42 /* * */ || first === 43 /* + */) {
    i++;
  } else {
    const digits = i;
    while (i < digits + 3 && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i++;
    const mark = line.charCodeAt(i);
    if (i === digits || (mark !== 46 /* . */ && mark !== 41 /* ) */)) return undefined;
    i++;
  }
  if (i === line.length) return '';
  const gap = line.charCodeAt(i);
  return gap === 32 || gap === 9 ? line.slice(i + 1) : undefined;
}

/** One list item and the line it starts on. */
export interface ListItem {
  readonly text: string;
  readonly line: number;
}

/**
 * Reads a list of one-line items. Indented lines continue the item above (a hand edit that
 * wrapped a long line); `_None._` stands for an empty list. Anything else is a problem.
 */
export function parseBullets(span: Span, describe: string): { items: ListItem[]; problems: { line: number; message: string }[] } {
  const items: { text: string; line: number }[] = [];
  const problems: { line: number; message: string }[] = [];
  let last: { text: string; line: number } | undefined;
  for (let i = span.start; i < span.end; i++) {
    const text = span.lines[i]!;
    if (isBlank(text)) continue;
    const bullet = bulletText(text);
    if (bullet !== undefined) {
      last = { text: collapseSpaces(bullet), line: i + 1 };
      items.push(last);
    } else if (last && /^\s{2,}\S/.test(text)) {
      last.text = collapseSpaces(`${last.text} ${text}`);
    } else if (items.length === 0 && NONE_WORDS.has(text.trim().toLowerCase())) {
      last = undefined;
    } else {
      problems.push({
        line: i + 1,
        message: `${describe}: expected a list item starting with "- ", found "${clip(text.trim())}"; put each item on its own line starting with "- " (or write ${NONE_MARK} for none)`,
      });
    }
  }
  return { items, problems };
}

export function renderBullets(items: readonly string[]): string[] {
  return items.length === 0 ? [NONE_MARK] : items.map((item) => `- ${item}`);
}

export function collapseSpaces(text: string): string {
  // Most items are already single-spaced; testing first spares a copy of each.
  return /\s\s|[^\S ]/.test(text) ? text.replace(/\s+/g, ' ').trim() : text.trim();
}

/** Shortens a quoted value so one problem stays one line. */
export function clip(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A fence for `code` that no line of it can close: one backtick longer than the longest
 * backtick fence inside, and at least three.
 */
export function fenceFor(code: string): string {
  let longest = 0;
  for (const line of code.split('\n')) {
    const match = /^ {0,3}(`{3,})/.exec(line);
    if (match) longest = Math.max(longest, match[1]!.length);
  }
  return '`'.repeat(Math.max(3, longest + 1));
}
