import { dataSchemaSchema, type DataSchema } from './design.schema.js';
import { clip } from './markdown.js';
import { parseTable, renderTableLines } from './markdown-table.js';
import { LineMap, problemsFromIssues, sortProblems, type ParseResult } from './problems.js';
import { itemSections } from './sections.js';

/*
 * SCHEMA.md, rendered from write_design's `schema` when the product stores data. One section
 * per entity, a table of its fields (an empty Constraints cell means none):
 *
 *   ## Task
 *
 *   | Field | Type | Constraints |
 *   | --- | --- | --- |
 *   | id | uuid | primary key |
 */

export const SCHEMA_FILE = 'SCHEMA.md';

const NOTE =
  '<!-- Written by CodeSleuth from the write_design tool. You may edit it by hand: one "## Entity" section per entity, ' +
  'one table row per field, an empty Constraints cell for none, and "\\|" for a "|" inside a cell. -->';

/** Pure: the data schema as SCHEMA.md. */
export function renderDataSchema(schema: DataSchema): string {
  const out = ['# Data schema', '', NOTE, ''];
  for (const entity of schema.entities) {
    out.push(
      `## ${entity.name}`,
      '',
      ...renderTableLines(
        ['Field', 'Type', 'Constraints'],
        entity.fields.map((f) => [f.name, f.type, f.constraints ?? '']),
      ),
      '',
    );
  }
  return out.join('\n');
}

/** Pure: reads SCHEMA.md back, with every problem and its line. */
export function parseDataSchema(text: string): ParseResult<DataSchema> {
  if (text.trim() === '') return { ok: false, problems: [{ message: 'the file is empty' }] };
  const lines = new LineMap();
  const { sections, problems } = itemSections(text, 'each entity is a "## Name" section');
  const skip = new Set<string>();
  const entities = sections.map((section, index) => {
    lines.set(['entities', index], section.line);
    const table = parseTable(
      section.body,
      [
        { key: 'name', names: ['field', 'name'] },
        { key: 'type', names: ['type'] },
        { key: 'constraints', names: ['constraints', 'constraint'] },
      ],
      `"## ${clip(section.heading)}"`,
    );
    problems.push(...table.problems);
    if (table.problems.length > 0 && table.rows.length === 0) skip.add(`entities.${index}.fields`);
    const fields = table.rows.map((row, n) => {
      lines.set(['entities', index, 'fields', n], row.line);
      const { name, type, constraints } = row.cells;
      return constraints === '' ? { name, type } : { name, type, constraints };
    });
    return { name: section.heading, fields };
  });
  if (sections.length === 0) skip.add('entities');
  if (sections.length === 0) problems.push({ message: 'no entity is listed; add a "## Name" section with a table of fields for each one' });

  const parsed = dataSchemaSchema.safeParse({ entities });
  if (parsed.success && problems.length === 0) return { ok: true, value: parsed.data };
  const issues = parsed.success ? [] : problemsFromIssues(parsed.error.issues, lines, describePath, skip);
  return { ok: false, problems: sortProblems([...problems, ...issues]) };
}

function describePath(path: readonly PropertyKey[]): string {
  const [, entity, , field, key] = path;
  if (typeof entity !== 'number') return 'the schema';
  if (typeof field !== 'number') return `entity ${entity + 1}`;
  return `entity ${entity + 1}, field ${field + 1}${key === undefined ? '' : ` ${String(key)}`}`;
}
