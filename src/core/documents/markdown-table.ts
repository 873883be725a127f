import { clip, isBlank, type Span } from './markdown.js';

/**
 * Pipe tables, GitHub style. Cells escape `|` as `\|` and `\` as `\\`, so any one-line value
 * survives a render and a parse unchanged; a lone backslash typed by hand (`C:\temp`) is kept
 * as it is.
 */

export function escapeCell(value: string): string {
  if (value.indexOf('\\') === -1 && value.indexOf('|') === -1) return value;
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

function unescapeCell(value: string): string {
  return value.indexOf('\\') === -1 ? value : value.replace(/\\([\\|])/g, '$1');
}

/** Splits `| a | b \| c |` into its trimmed, unescaped cells; undefined when it is not a row. */
export function splitRow(text: string): string[] | undefined {
  const line = text.trim();
  if (!line.startsWith('|')) return undefined;
  const cells: string[] = [];
  let start = 1;
  for (let i = 1; i < line.length; i++) {
    const ch = line.charCodeAt(i);
    if (ch === 92 /* \\ */) i++;
    else if (ch === 124 /* | */) {
      cells.push(line.slice(start, i));
      start = i + 1;
    }
  }
  // A row may end without its closing pipe.
  const rest = line.slice(start);
  if (rest.trim() !== '') cells.push(rest);
  return cells.map((c) => unescapeCell(c.trim()));
}

export function renderRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function renderTableLines(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [renderRow(headers), renderRow(headers.map(() => '---')), ...rows.map((row) => renderRow(row.map(escapeCell)))];
}

const SEPARATOR_CELL = /^:?-{1,}:?$/;

/** One body row of a table: its cells by column key and the line it sits on. */
export interface TableRow<K extends string> {
  readonly line: number;
  readonly cells: Readonly<Record<K, string>>;
}

/** A column a parser expects: its key, and the header names (lower case) it answers to. */
export interface ColumnSpec<K extends string> {
  readonly key: K;
  readonly names: readonly string[];
}

/**
 * Reads the first table in a span: finds the columns by their header names (in any order),
 * skips the `---` row, and reports rows with the wrong number of cells and any non-table
 * text among the rows. Blank lines between rows are tolerated.
 */
export function parseTable<K extends string>(
  span: Span,
  columns: readonly ColumnSpec<K>[],
  where: string,
): { rows: TableRow<K>[]; headerLine?: number; problems: { line: number; message: string }[] } {
  const problems: { line: number; message: string }[] = [];
  const rows: TableRow<K>[] = [];
  const { lines, end } = span;
  const expected = columns.map((c) => `"${c.names[0]}"`).join(', ');
  let index = span.start;
  while (index < end && isBlank(lines[index]!)) index++;
  const header = index < end ? lines[index]! : undefined;
  const headerCells = header === undefined ? undefined : splitRow(header);
  if (header === undefined || !headerCells) {
    if (span.start >= end) return { rows, problems };
    const line = Math.min(index, end - 1) + 1;
    return { rows, problems: [{ line, message: `${where}: expected a table whose header row names the columns ${expected}, found "${clip(header?.trim() ?? '')}"` }] };
  }
  const headerLine = index + 1;
  const positions = new Map<K, number>();
  headerCells.forEach((cell, i) => {
    const name = cell.toLowerCase().replace(/\s+/g, ' ');
    const column = columns.find((c) => c.names.includes(name));
    if (column && !positions.has(column.key)) positions.set(column.key, i);
  });
  const missing = columns.filter((c) => !positions.has(c.key));
  if (missing.length > 0) {
    problems.push({
      line: headerLine,
      message: `${where}: the table has no column ${missing.map((c) => `"${c.names[0]}"`).join(', ')}; the header row must name ${expected}`,
    });
    return { rows, headerLine, problems };
  }
  index++;
  const separator = index < end ? splitRow(lines[index]!) : undefined;
  if (separator && separator.length > 0 && separator.every((c) => SEPARATOR_CELL.test(c))) index++;
  const keys = columns.map((c) => c.key);
  const at = columns.map((c) => positions.get(c.key)!);
  for (; index < end; index++) {
    const text = lines[index]!;
    if (isBlank(text)) continue;
    const cells = splitRow(text);
    if (!cells) {
      problems.push({ line: index + 1, message: `${where}: expected a table row starting with "|", found "${clip(text.trim())}"; keep one row per line, or move the text out of the table` });
      continue;
    }
    if (cells.length !== headerCells.length) {
      problems.push({
        line: index + 1,
        message: `${where}: the row has ${cells.length} cells but the header has ${headerCells.length}; write "\\|" for a "|" inside a cell and keep one cell per column`,
      });
      continue;
    }
    const record = {} as Record<K, string>;
    for (let c = 0; c < keys.length; c++) record[keys[c]!] = cells[at[c]!] ?? '';
    rows.push({ line: index + 1, cells: record });
  }
  return { rows, headerLine, problems };
}
