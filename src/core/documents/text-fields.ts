import { z } from 'zod';
import { fenceTracker, headingOf } from './markdown.js';

/**
 * The string shapes the structured tools accept. Each normalises its value the way the
 * Markdown reader will read it back (`overwrite` keeps the JSON Schema a plain string), so
 * whatever passes the schema survives render → parse unchanged.
 */

/** Runs of white space (line ends included) become one space; no leading or trailing space. */
export function singleLine(what: string) {
  return z
    .string()
    .overwrite((value) => value.replace(/\s+/g, ' ').trim())
    .min(1, `${what} must not be empty`);
}

/** CRLF to LF, no trailing spaces on a line, no blank lines at the start or the end. */
export function normalizeBlock(value: string): string {
  const lines = value.replace(/\r\n?/g, '\n').split('\n').map((line) => line.trimEnd());
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start] === '') start++;
  while (end > start && lines[end - 1] === '') end--;
  return lines.slice(start, end).join('\n');
}

/**
 * Whether `normalizeBlock(value) === value`, without building the normalised copy: no CR, no
 * trailing white space on a line, no blank first or last line, not empty. The parser asks this
 * of every description of a 5,000-task graph.
 */
export function isNormalBlock(value: string): boolean {
  return (
    value !== '' &&
    !value.includes('\r') &&
    !/[^\S\n]\n/.test(value) &&
    !/[^\S\n]$/.test(value) &&
    !/^[^\S\n]*\n/.test(value) &&
    !/\n[^\S\n]*$/.test(value)
  );
}

/** Why a block of prose cannot sit under a heading of its document, or undefined. */
export function blockTextProblem(value: string): string | undefined {
  // Headings need a "#", fences a backtick or a tilde: most descriptions have none of them.
  if (!/[#`~]/.test(value)) return undefined;
  const fences = fenceTracker();
  for (const line of value.split('\n')) {
    if (fences.step(line)) continue;
    if (headingOf(line)) {
      return `the line "${line.trim()}" would read as a Markdown heading and split the document; reword it or remove the leading "#"`;
    }
  }
  if (fences.open) return 'a code fence (```) is opened but never closed; close it on its own line';
  return undefined;
}

/** Prose of one or more paragraphs: any Markdown except headings and unclosed code fences. */
export function textBlock(what: string) {
  return z
    .string()
    .overwrite(normalizeBlock)
    .min(1, `${what} must not be empty`)
    .superRefine((value, ctx) => {
      const problem = blockTextProblem(value);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `${what}: ${problem}` });
    });
}

/** Verbatim code (a signature); rendered inside a fence long enough that nothing in it closes it. */
export function codeBlock(what: string) {
  return z.string().overwrite(normalizeBlock).min(1, `${what} must not be empty`);
}
