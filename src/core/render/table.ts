/** A column: its header and the widest its cells may grow before words wrap. */
export interface Column {
  readonly header: string;
  readonly maxWidth?: number;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      let rest = word;
      while (rest.length > width) {
        if (line) {
          lines.push(line);
          line = '';
        }
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
      if (!line) line = rest;
      else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
      else {
        lines.push(line);
        line = rest;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Pure: a box-drawn table, cells wrapped to their column's width. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[], title?: string): string {
  const widths = columns.map((column, i) => {
    const natural = Math.max(column.header.length, ...rows.map((row) => Math.max(...(row[i] ?? '').split('\n').map((l) => l.length))));
    return Math.max(column.header.length, Math.min(natural, column.maxWidth ?? natural));
  });
  const line = (left: string, mid: string, right: string) => left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right;
  const renderRow = (cells: readonly string[]) => {
    const wrapped = widths.map((w, i) => wrap(cells[i] ?? '', w));
    const height = Math.max(...wrapped.map((c) => c.length));
    const out: string[] = [];
    for (let r = 0; r < height; r++) {
      out.push('│' + widths.map((w, i) => ` ${(wrapped[i]?.[r] ?? '').padEnd(w)} `).join('│') + '│');
    }
    return out;
  };
  const out: string[] = [];
  if (title) out.push(title);
  out.push(line('┌', '┬', '┐'));
  out.push(...renderRow(columns.map((c) => c.header)));
  out.push(line('├', '┼', '┤'));
  for (const row of rows) out.push(...renderRow(row));
  out.push(line('└', '┴', '┘'));
  return out.join('\n');
}
