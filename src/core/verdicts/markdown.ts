/**
 * Small Markdown helpers for the reports. Model-written text goes into tables and code
 * spans, so it must not be able to break the table or close the span early.
 */

/** Text safe inside one table cell: pipes escaped, line breaks folded into spaces. */
export function tableCell(value: string): string {
  return value.replace(/\r?\n+/g, ' ').replace(/\|/g, '\\|').trim();
}

/** An inline code span that survives backticks in the text. */
export function inlineCode(value: string): string {
  const longestRun = Math.max(0, ...[...value.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run in the text. */
export function fencedBlock(value: string, language = ''): string {
  const longestRun = Math.max(0, ...[...value.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${value.replace(/\s+$/, '')}\n${fence}`;
}

/** One Markdown table; every cell is escaped. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(tableCell).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/** A one-line form of free text, for list items. */
export function oneLine(value: string): string {
  return value.replace(/\s*\r?\n\s*/g, ' ').trim();
}
