import { describe, expect, it } from 'vitest';
import { toInputJsonSchema } from '../../../src/core/agent/structured-tools.js';
import { parseDataSchema, renderDataSchema } from '../../../src/core/documents/data-schema-doc.js';
import { renderDesign } from '../../../src/core/documents/design.js';
import { designSchema, WRITE_DESIGN_TOOL, type Design } from '../../../src/core/documents/design.schema.js';
import { parseInterfaces, renderInterfaces } from '../../../src/core/documents/interfaces-doc.js';
import { parseTdd, renderTdd } from '../../../src/core/documents/tdd-doc.js';
import type { ParseResult } from '../../../src/core/documents/problems.js';

const design: Design = designSchema.parse({
  tdd: {
    stack: ['TypeScript 5.9 (strict)', 'Next.js 15 — the team knows React', 'Vitest 4'],
    architecture: 'A Next.js app with route handlers.\n\n```ts\n## inside code, not a heading\n```\n\n- state lives in SQLite',
    modules: [
      { name: 'api', responsibility: 'HTTP handlers | validation' },
      { name: 'store', responsibility: 'SQLite access; paths like C:\\data are kept' },
    ],
    risks: [],
  },
  interfaces: [
    { name: 'create task', kind: 'http', signature: 'POST /api/tasks\n{ "title": string } -> 201 Task', description: 'Creates a task.\n\nErrors: 400 when the title is empty.' },
    { name: 'render(md) (module)', kind: 'module', signature: '```inner fence```\n````\nexport function render(md: string): string', description: 'Pure.' },
    { name: 'tidy add', kind: 'cli', signature: 'tidy add <title> [--top]', description: 'Adds from the terminal.' },
  ],
  schema: {
    entities: [
      { name: 'Task', fields: [{ name: 'id', type: 'uuid', constraints: 'primary key' }, { name: 'title', type: 'text', constraints: 'not null, ≤ 200 chars' }, { name: 'done', type: 'boolean' }] },
      { name: 'List', fields: [{ name: 'id', type: 'uuid' }] },
    ],
  },
});

function messages<T>(result: ParseResult<T>): string[] {
  return result.ok ? [] : result.problems.map((p) => `${p.line ?? '-'}: ${p.message}`);
}

describe('write_design documents', () => {
  it('renders TDD.md, INTERFACES.md and SCHEMA.md, the last only when there is data', () => {
    expect(renderDesign(design).map((d) => d.file)).toEqual(['TDD.md', 'INTERFACES.md', 'SCHEMA.md']);
    const { schema: _none, ...withoutData } = design;
    expect(renderDesign(withoutData).map((d) => d.file)).toEqual(['TDD.md', 'INTERFACES.md']);
  });

  it('round-trips TDD.md, escaping pipes and backslashes in the module table', () => {
    const text = renderTdd(design.tdd);
    expect(text).toContain('| api | HTTP handlers \\| validation |');
    expect(text).toContain('## Risks\n\n_None._');
    expect(parseTdd(text)).toEqual({ ok: true, value: design.tdd });
  });

  it('round-trips INTERFACES.md, with a fence longer than any inside the signature', () => {
    const text = renderInterfaces(design.interfaces);
    expect(text).toContain('## create task (http)\n\n```\nPOST /api/tasks');
    expect(text).toContain('## render(md) (module) (module)\n\n`````\n```inner fence```\n````\nexport function');
    expect(parseInterfaces(text)).toEqual({ ok: true, value: design.interfaces });
  });

  it('round-trips SCHEMA.md, an empty Constraints cell meaning none', () => {
    const text = renderDataSchema(design.schema!);
    expect(text).toContain('| done | boolean |  |');
    expect(parseDataSchema(text)).toEqual({ ok: true, value: design.schema });
  });

  it('reports a broken TDD.md on its lines', () => {
    const text = ['# Technical design', '## Stack', 'TypeScript', '## Modules', '| Module | Owner |', '|---|---|', '| api | x |', '## Risk'].join('\n');
    expect(messages(parseTdd(text))).toEqual([
      '3: "## Stack": expected a list item starting with "- ", found "TypeScript"; put each item on its own line starting with "- " (or write _None._ for none)',
      '5: "## Modules": the table has no column "responsibility"; the header row must name "module", "responsibility"',
      '8: unknown section "## Risk"; TDD.md has the sections "## Stack", "## Architecture", "## Modules", "## Risks". Did you mean "## Risks"? Rename it or move its text into one of them',
      '-: missing the section "## Architecture"',
    ].sort(byLine));
  });

  it('reports a broken INTERFACES.md on its lines', () => {
    const text = ['# Interfaces', '## create task', '```', 'POST /api/tasks', '```', 'Creates.', '## list tasks (rpc)', 'GET /api/tasks', '## delete (http)', '```', 'DELETE /x', '```'].join('\n');
    expect(messages(parseInterfaces(text))).toEqual([
      '2: expected an interface heading "## name (kind)" with kind one of http, cli, module, event, ui, found "## create task"; add the kind in parentheses at the end',
      '7: expected an interface heading "## name (kind)" with kind one of http, cli, module, event, ui, found "## list tasks (rpc)"; add the kind in parentheses at the end',
      '8: list tasks (rpc): expected the signature in a code block (a line of three backticks, the signature, three backticks) right under the heading',
      '9: interface 3 description: the description must not be empty',
    ]);
  });

  it('reports a broken SCHEMA.md on its lines', () => {
    const text = ['# Data schema', '## Task', '| Field | Type | Constraints |', '|---|---|---|', '| id | uuid | pk |', '| id | text |  |', '| title |', '## List', 'no table here'].join('\n');
    expect(messages(parseDataSchema(text))).toEqual([
      '6: entity 1, field 2 name: field "id" is listed twice (also entry 1); give each its own name or merge them',
      '7: "## Task": the row has 1 cells but the header has 3; write "\\|" for a "|" inside a cell and keep one cell per column',
      '9: "## List": expected a table whose header row names the columns "field", "type", "constraints", found "no table here"',
    ]);
  });

  it('offers write_design as a structured tool with a readable JSON Schema', () => {
    expect(WRITE_DESIGN_TOOL.name).toBe('write_design');
    const json = toInputJsonSchema(WRITE_DESIGN_TOOL.schema) as { required: string[]; properties: { interfaces: { items: { properties: { kind: { enum: string[] } } } } } };
    expect(json.required).toEqual(['tdd', 'interfaces']);
    expect(json.properties.interfaces.items.properties.kind.enum).toEqual(['http', 'cli', 'module', 'event', 'ui']);
  });
});

function byLine(a: string, b: string): number {
  const line = (s: string) => (s.startsWith('-') ? Infinity : Number(s.split(':')[0]));
  return line(a) - line(b);
}
