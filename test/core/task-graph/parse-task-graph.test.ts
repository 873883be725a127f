import { describe, expect, it } from 'vitest';
import { checkTaskGraphText } from '../../../src/core/task-graph/check-task-graph.js';
import { parseTaskGraph } from '../../../src/core/task-graph/parse-task-graph.js';
import { renderTaskGraph } from '../../../src/core/task-graph/render-task-graph.js';
import type { TaskGraph } from '../../../src/core/task-graph/task.js';
import { graph, random, randomGraph, task } from './graph-fixtures.js';

const sample = graph(
  task('TASK-001', { title: 'Set up the project | skeleton', size: 'S', status: 'DONE', output_files: ['package.json', 'src/index.ts'], acceptance_criteria: ['`npm test` passes on an empty suite'] }),
  task('TASK-002', { title: 'Task list API', depends_on: ['TASK-001'], status: 'IN-PROGRESS', description: 'Build the API.\n\n- GET /tasks\n- POST /tasks\n\n```ts\n## not a heading\n```' }),
  task('TASK-003', { title: 'Auth', depends_on: ['TASK-001'], size: 'L', output_files: ['src/auth.ts'] }),
  task('TASK-004', { title: 'Task list UI', depends_on: ['TASK-002', 'TASK-003'], size: 'XL', output_files: ['src/ui/list.tsx', 'src/index.ts'] }),
);

function parsed(text: string): TaskGraph {
  const result = parseTaskGraph(text);
  if (!result.ok) throw new Error(`did not parse:\n${result.problems.map((p) => `${p.line}: ${p.message}`).join('\n')}`);
  return result.graph;
}

describe('renderTaskGraph', () => {
  const text = renderTaskGraph(sample);

  it('writes a table, a dependency view with statuses, the batches and the details', () => {
    expect(text).toContain('| ID | Title | Size | Status | Depends on | Output files |');
    expect(text).toContain('| TASK-001 | Set up the project \\| skeleton | S | DONE | — | `package.json`, `src/index.ts` |');
    expect(text).toContain('| TASK-004 | Task list UI | XL | PENDING | TASK-002, TASK-003 | `src/ui/list.tsx`, `src/index.ts` |');
    expect(text).toContain(
      [
        'TASK-001 [DONE] Set up the project | skeleton',
        '├── TASK-002 [IN-PROGRESS] Task list API',
        '│   └── TASK-004 [PENDING] Task list UI',
        '└── TASK-003 [PENDING] Auth',
        '    └── TASK-004 (above)',
      ].join('\n'),
    );
    expect(text).toContain('1. TASK-001\n2. TASK-002, TASK-003\n3. TASK-004');
    expect(text).toContain('### TASK-003\n\nImplement TASK-003.\n\n#### Acceptance criteria\n\n- TASK-003 works\n');
  });

  it('restarts a long chain as a tree of its own instead of indenting without end', () => {
    const chain = graph(...Array.from({ length: 20 }, (_, i) => task(`TASK-${String(i + 1).padStart(3, '0')}`, { depends_on: i === 0 ? [] : [`TASK-${String(i).padStart(3, '0')}`] })));
    const view = renderTaskGraph(chain).split('## Dependency view')[1]!.split('## Parallel')[0]!;
    expect(view).toContain('TASK-009 (below)');
    expect(view).toMatch(/^TASK-009 \[PENDING\]/m);
    expect(Math.max(...view.split('\n').map((l) => l.length))).toBeLessThan(80);
  });
});

describe('parseTaskGraph', () => {
  it('reads back exactly what was rendered, and renders it again identically', () => {
    const text = renderTaskGraph(sample);
    expect(parsed(text)).toEqual(sample);
    expect(renderTaskGraph(parsed(text))).toBe(text);
  });

  it('is lossless on generated graphs (parse → render → parse), odd characters included', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rand = random(seed);
      const generated = randomGraph(rand, 1 + Math.floor(rand() * 12));
      const text = renderTaskGraph(generated);
      const first = parseTaskGraph(text);
      expect(first.ok, `seed ${seed}`).toBe(true);
      if (!first.ok) return;
      expect(first.graph, `seed ${seed}`).toEqual(generated);
      expect(renderTaskGraph(first.graph), `seed ${seed}`).toBe(text);
    }
  });

  it('respects a hand edit: a status changed, a row moved, spaces, blank lines and CRLF', () => {
    const lines = renderTaskGraph(sample).split('\n');
    const row3 = lines.findIndex((l) => l.startsWith('| TASK-003'));
    const [moved] = lines.splice(row3, 1);
    const header = lines.findIndex((l) => l.startsWith('| ---'));
    lines.splice(header + 1, 0, `   ${moved!.replace(/\|/g, '  |  ')}   `, '');
    const row2 = lines.findIndex((l) => l.startsWith('| TASK-002'));
    lines[row2] = lines[row2]!.replace('IN-PROGRESS', ' done ');
    const row4 = lines.findIndex((l) => l.startsWith('| TASK-004'));
    lines[row4] = lines[row4]!.replace('PENDING', 'in progress');
    const edited = lines.join('\r\n');

    const result = parsed(edited);
    expect(result.tasks.map((t) => `${t.id} ${t.status}`)).toEqual(['TASK-003 PENDING', 'TASK-001 DONE', 'TASK-002 DONE', 'TASK-004 IN-PROGRESS']);
    expect(result.tasks[0]).toEqual(sample.tasks[2]);
    // Lossless from here on.
    expect(parsed(renderTaskGraph(result))).toEqual(result);
  });

  it('ignores edits to the derived views: the table and details are the data', () => {
    const text = renderTaskGraph(sample).replace('1. TASK-001\n', '1. TASK-004, TASK-001\n').replace('└── TASK-003 [PENDING] Auth', '└── TASK-003 [DONE] Auth');
    expect(parsed(text)).toEqual(sample);
  });

  it('reports a file edited into nonsense, each problem on its line', () => {
    const nonsense = [
      '# Task graph', //                                          1
      '', //                                                      2
      '## Tasks', //                                              3
      '', //                                                      4
      '| ID | Title | Size | Status | Depends on | Output files |', // 5
      '| --- | --- | --- | --- | --- | --- |', //                 6
      '| TASK-1 | Set up | S | PENDING | — | `a.ts` |', //        7
      '| TASK-002 | API | Huge | DONNE | TASK-001 | `b.ts` |', //   8
      '| TASK-003 | UI | M |', //                                9
      'then we ship it', //                                       10
      '| TASK-004 | Docs | S | PENDING | — | — |', //            11
      '', //                                                      12
      '## Timeline', //                                           13
      '', //                                                      14
      '## Task details', //                                       15
      '', //                                                      16
      '### TASK-002', //                                          17
      '', //                                                      18
      'Build it.', //                                             19
      '', //                                                      20
      '#### Acceptance criteria', //                              21
      '', //                                                      22
      'it works', //                                              23
      '', //                                                      24
      '### TASK-009: stray', //                                   25
      '', //                                                      26
      '### TASK-008', //                                          27
      'Orphan.', //                                               28
    ].join('\n');
    const result = parseTaskGraph(nonsense);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => `${p.line ?? '-'}: ${p.message}`)).toEqual([
      '7: the task in this row, id: expected a task id such as TASK-001 (TASK, a dash, three or more digits)',
      '8: TASK-002, size: unknown size "HUGE"; write one of S, M, L, XL',
      '8: TASK-002, status: unknown status "DONNE"; write one of PENDING, IN-PROGRESS, DONE, STALE, BLOCKED, SKIPPED (did you mean DONE?)',
      '9: "## Tasks": the row has 3 cells but the header has 6; write "\\|" for a "|" inside a cell and keep one cell per column',
      '10: "## Tasks": expected a table row starting with "|", found "then we ship it"; keep one row per line, or move the text out of the table',
      '11: TASK-004 has no "### TASK-004" section under "## Task details"; add one with its description and "#### Acceptance criteria"',
      '13: unknown section "## Timeline"; TASK-GRAPH.md has the sections "## Tasks", "## Dependency view", "## Parallel batches", "## Task details". Rename it or move its text into one of them',
      '23: acceptance criteria of TASK-002: expected a list item starting with "- ", found "it works"; put each item on its own line starting with "- " (or write _None._ for none)',
      '25: expected a task heading "### TASK-001" (the id alone; the title lives in the table), found "### TASK-009: stray"',
      '27: TASK-008 has no "#### Acceptance criteria"; add that heading after the description, with at least one "- " criterion',
      '27: "### TASK-008" has no row in the "## Tasks" table; add a row for TASK-008 or delete this section',
    ]);
  });

  it('points at a code block left open, which would swallow the rest of the file', () => {
    const text = renderTaskGraph(sample).replace('Implement TASK-003.', 'Implement TASK-003.\n\n```sh\nnpm test');
    const result = parseTaskGraph(text);
    const line = text.split('\n').indexOf('```sh') + 1;
    expect(result.ok ? [] : result.problems).toContainEqual({
      line,
      message: 'the code block opened here ("```sh") is never closed, so everything after it reads as code; close it with a line of the same fence',
    });
  });

  it('names missing sections and an empty file', () => {
    expect(parseTaskGraph('  \n')).toEqual({ ok: false, problems: [{ message: 'the file is empty' }] });
    const result = parseTaskGraph('# Tasks\nnone');
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual(['missing the section "## Tasks"', 'missing the section "## Task details"']);
  });

  it('accepts columns in another order and lower-case ids and sizes', () => {
    const text = [
      '## Tasks',
      '| status | id | output files | title | depends on | size |',
      '|---|---|---|---|---|---|',
      '| pending | task-001 | src/a.ts, `src/b.ts` | Set up | none | s |',
      '## Task details',
      '### task-001',
      'Do it.',
      '#### Acceptance criteria',
      '* it runs',
      '  and it is fast',
    ].join('\n');
    expect(parsed(text).tasks).toEqual([
      task('TASK-001', { title: 'Set up', description: 'Do it.', output_files: ['src/a.ts', 'src/b.ts'], size: 'S', acceptance_criteria: ['it runs and it is fast'] }),
    ]);
  });
});

describe('checkTaskGraphText', () => {
  it('places graph problems on the row of the task', () => {
    const cyclic = graph(task('TASK-001', { depends_on: ['TASK-002'] }), task('TASK-002', { depends_on: ['TASK-001'] }));
    const text = renderTaskGraph(cyclic);
    const result = checkTaskGraphText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const row = text.split('\n').findIndex((l) => l.startsWith('| TASK-001')) + 1;
    expect(result.problems).toEqual([
      {
        line: row,
        message:
          'the tasks depend on each other in a cycle: TASK-001 → TASK-002 → TASK-001 (each depends on the next), so none of them can start; remove one of these dependencies, e.g. TASK-001 from the dependencies of TASK-002',
      },
    ]);
    expect(text).toContain('Cannot be scheduled (a dependency cycle or an unknown dependency): TASK-001, TASK-002');
  });

  it('passes a valid graph through with its lines', () => {
    const result = checkTaskGraphText(renderTaskGraph(sample));
    expect(result.ok).toBe(true);
  });
});
