import { tddSchema, type Tdd } from './design.schema.js';
import { blockFrom, firstContentLine, parseBullets, renderBullets, toLines } from './markdown.js';
import { parseTable, renderTableLines } from './markdown-table.js';
import { LineMap, problemsFromIssues, sortProblems, type ParseResult } from './problems.js';
import { findSections, type SectionRule } from './sections.js';

/*
 * TDD.md, rendered from write_design's `tdd`:
 *
 *   # Technical design
 *   ## Stack          "- " list
 *   ## Architecture   prose
 *   ## Modules        table | Module | Responsibility |
 *   ## Risks          "- " list or _None._ (may be left out)
 */

export const TDD_FILE = 'TDD.md';

type TddSection = 'stack' | 'architecture' | 'modules' | 'risks';

const SECTIONS: readonly SectionRule<TddSection>[] = [
  { key: 'stack', title: 'Stack', required: true },
  { key: 'architecture', title: 'Architecture', required: true },
  { key: 'modules', title: 'Modules', required: true },
  { key: 'risks', title: 'Risks', required: false },
];

const NOTE =
  '<!-- Written by CodeSleuth from the write_design tool. You may edit it by hand: keep the "##" headings, ' +
  'start list items with "- ", keep one table row per module and write "\\|" for a "|" inside a cell. -->';

/** Pure: the technical design as TDD.md. */
export function renderTdd(tdd: Tdd): string {
  return [
    '# Technical design',
    '',
    NOTE,
    '',
    '## Stack',
    '',
    ...renderBullets(tdd.stack),
    '',
    '## Architecture',
    '',
    tdd.architecture,
    '',
    '## Modules',
    '',
    ...renderTableLines(['Module', 'Responsibility'], tdd.modules.map((m) => [m.name, m.responsibility])),
    '',
    '## Risks',
    '',
    ...renderBullets(tdd.risks),
    '',
  ].join('\n');
}

/** Pure: reads TDD.md back, with every problem and its line. */
export function parseTdd(text: string): ParseResult<Tdd> {
  if (text.trim() === '') return { ok: false, problems: [{ message: 'the file is empty' }] };
  const lines = new LineMap();
  const { found, problems, missing } = findSections(toLines(text), SECTIONS, TDD_FILE);
  const raw: Record<string, unknown> = {};

  for (const key of ['stack', 'risks'] as const) {
    const section = found.get(key);
    if (!section) {
      if (!missing.has(key)) raw[key] = [];
      continue;
    }
    const bullets = parseBullets(section.body, `"## ${key === 'stack' ? 'Stack' : 'Risks'}"`);
    problems.push(...bullets.problems);
    if (bullets.items.length === 0 && bullets.problems.length > 0) missing.add(key);
    raw[key] = bullets.items.map((i) => i.text);
    lines.set([key], section.line);
    bullets.items.forEach((item, index) => lines.set([key, index], item.line));
  }
  const architecture = found.get('architecture');
  if (architecture) {
    raw.architecture = blockFrom(architecture.body);
    lines.set(['architecture'], firstContentLine(architecture.body) ?? architecture.line);
  }
  const modules = found.get('modules');
  if (modules) {
    lines.set(['modules'], modules.line);
    const table = parseTable(
      modules.body,
      [
        { key: 'name', names: ['module', 'name'] },
        { key: 'responsibility', names: ['responsibility', 'responsibilities'] },
      ],
      '"## Modules"',
    );
    problems.push(...table.problems);
    raw.modules = table.rows.map((row, index) => {
      lines.set(['modules', index], row.line);
      return { name: row.cells.name, responsibility: row.cells.responsibility };
    });
    if (table.problems.length > 0 && table.rows.length === 0) missing.add('modules');
  }

  const parsed = tddSchema.safeParse(raw);
  if (parsed.success && problems.length === 0) return { ok: true, value: parsed.data };
  const issues = parsed.success ? [] : problemsFromIssues(parsed.error.issues, lines, describePath, missing);
  return { ok: false, problems: sortProblems([...problems, ...issues]) };
}

function describePath(path: readonly PropertyKey[]): string {
  const [top, index, field] = path;
  const title = SECTIONS.find((s) => s.key === top)?.title ?? String(top);
  if (typeof index !== 'number') return `"## ${title}"`;
  const what = top === 'modules' ? `module ${index + 1}` : `item ${index + 1}`;
  return `"## ${title}", ${what}${field === undefined ? '' : ` ${String(field)}`}`;
}
