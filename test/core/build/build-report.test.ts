import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../../src/core/build/build-record.js';
import { boardLines, elapsedText, graphStatusOf, renderBuildReport, renderDecisions, renderGraphWithStatuses } from '../../../src/core/build/build-report.js';
import { approvalText } from '../../../src/core/pipeline/approval-text.js';
import { parseTaskGraph } from '../../../src/core/task-graph/parse-task-graph.js';
import { renderTaskGraph } from '../../../src/core/task-graph/render-task-graph.js';
import type { Task, TaskGraph } from '../../../src/core/task-graph/task.js';
import { failing, receipt } from './build-fixtures.js';

function task(id: string, title: string, dependsOn: string[] = []): Task {
  return {
    id,
    title,
    description: `Implement ${title.toLowerCase()}.`,
    acceptance_criteria: [`${title} works`],
    output_files: [`src/${id.toLowerCase()}.mjs`],
    depends_on: dependsOn,
    size: 'S',
    status: 'PENDING',
  };
}

const GRAPH: TaskGraph = {
  tasks: [task('TASK-001', 'Add the parser'), task('TASK-002', 'Add the printer', ['TASK-001']), task('TASK-003', 'Add the CLI', ['TASK-002'])],
};

function record(id: string, overrides: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id,
    status: 'PENDING',
    attempts: 1,
    concerns: [],
    receipts: [],
    changedFiles: [],
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    reviewRounds: 0,
    ...overrides,
  };
}

const SHA1 = '1111111111112222222222222222222222222222';
const SHA2 = '3333333333334444444444444444444444444444';
const LANDED2 = '5555555555556666666666666666666666666666';

const RECORDS: TaskRecord[] = [
  record('TASK-001', { status: 'DONE', sha: SHA1, summary: 'Parser added', receipts: [receipt(), receipt({ gate: 'lint', command: 'npm run lint' })], inputTokens: 1000, outputTokens: 200, costUsd: 0.5, reviewRounds: 2, review: 'Review: spec compliance passed in round 1; code quality passed in round 1.' }),
  record('TASK-002', { status: 'DONE', sha: SHA2, landedSha: LANDED2, concerns: ['no colour support yet'], receipts: [receipt()], inputTokens: 500, outputTokens: 100, costUsd: 0.25, attempts: 2 }),
  record('TASK-003', { status: 'BLOCKED', reason: 'BLOCKED: the tests keep failing.', receipts: [failing()], inputTokens: 10, outputTokens: 1, costUsd: 0.01 }),
];

/** The table rows of a markdown section, split into cells. */
function rowsUnder(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  expect(start, `no ${heading}`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('## ')) break;
    if (!line.startsWith('|') || /^\|[\s:|-]+\|$/.test(line)) continue;
    rows.push(line.slice(1, -1).split('|').map((c) => c.trim()));
  }
  return rows.slice(1); // without the header row
}

describe('renderBuildReport', () => {
  const report = renderBuildReport({
    projectName: 'calc',
    graph: GRAPH,
    records: RECORDS,
    decisions: [{ id: 'D-1', taskId: 'TASK-002', question: 'Which output format?', askedAt: 't', answer: 'JSON', answeredAt: 't2' }],
    completedAt: '2025-02-03T04:05:06.000Z',
  });

  it('has a Tasks table with one row per task: status, commit, gates and cost', () => {
    expect(report).toContain('\n## Tasks\n');
    const rows = rowsUnder(report, '## Tasks');
    expect(rows.map((r) => r[0])).toEqual(['TASK-001', 'TASK-002', 'TASK-003']);
    expect(rows[0]).toEqual(['TASK-001', 'Add the parser', 'DONE', SHA1.slice(0, 12), 'PASS', '2', '1000/200', '$0.5000']);
    // A task landed through a merge commit shows both.
    expect(rows[1]![3]).toBe(`${SHA2.slice(0, 12)} (landed ${LANDED2.slice(0, 12)})`);
    expect(rows[1]![7]).toBe('$0.2500');
    expect(rows[2]!.slice(2, 5)).toEqual(['BLOCKED', '—', 'FAIL']);
  });

  it("says what the Reviews run column counts and gives each reviewed task its review's outcome", () => {
    expect(report).toContain('Reviews run counts review rounds over both stages, spec compliance then code quality: 2 means each passed at its first round.');
    const task1 = report.slice(report.indexOf('### TASK-001'), report.indexOf('### TASK-002'));
    expect(task1).toContain('- Review: spec compliance passed in round 1; code quality passed in round 1.');
    const task2 = report.slice(report.indexOf('### TASK-002'), report.indexOf('### TASK-003'));
    expect(task2).not.toContain('- Review:');
  });

  it('sums tokens and cost and counts DONE tasks', () => {
    expect(report).toContain('- Tasks: 3 (2 DONE)');
    expect(report).toContain('- Tokens: 1510 in, 301 out; cost $0.7600');
  });

  it('gives each DONE task its commit and receipts summary, and the notes of the others', () => {
    // From the task's heading to the next one.
    const section = (id: string) => report.slice(report.indexOf(`### ${id}:`)).split(/\n(?=### )/)[0]!;
    const one = section('TASK-001');
    expect(one).toContain(`- Commit: ${SHA1}`);
    expect(one).toContain('- Summary: Parser added');
    expect(one).toContain('Gates: PASS (2 of 2 passed)');
    expect(one).toContain('- test: `npm test` → exit 0');
    expect(one).toContain('- lint: `npm run lint` → exit 0');
    const two = section('TASK-002');
    expect(two).toContain(`- Commit: ${SHA2} (landed by ${LANDED2})`);
    expect(two).toContain('- Concern: no colour support yet');
    expect(two).toContain('- Attempts: 2');
    expect(two).toContain('- Decision D-1: Which output format? → JSON');
    expect(two).toContain('Gates: PASS (1 of 1 passed)');
    const three = section('TASK-003');
    expect(three).toContain('- Note: BLOCKED: the tests keep failing.');
    expect(three).toContain('Gates: FAIL (0 of 1 passed)');
    expect(three).toContain('expected 3, got 4'); // the failing tail is shown
  });
});

describe('renderGraphWithStatuses', () => {
  const records = [record('TASK-001', { status: 'DONE', sha: SHA1 }), record('TASK-002', { status: 'NEEDS_CONTEXT' })];

  it('marks each task with its record\'s status and parses back with the plan unchanged', () => {
    const text = renderGraphWithStatuses(GRAPH, records);
    const parsed = parseTaskGraph(text);
    if (!parsed.ok) expect.fail(JSON.stringify(parsed.problems));
    expect(parsed.graph.tasks.map((t) => t.status)).toEqual(['DONE', 'BLOCKED', 'PENDING']);
    const plan = (g: TaskGraph) => g.tasks.map(({ status: _status, ...rest }) => rest);
    expect(plan(parsed.graph)).toEqual(plan(GRAPH));
    expect(text).toMatch(/\| TASK-001 \| Add the parser \| S \| DONE \|/);
  });

  it('maps build statuses onto the graph\'s statuses', () => {
    expect(graphStatusOf(undefined)).toBe('PENDING');
    expect(graphStatusOf(record('TASK-001', { status: 'IN-PROGRESS' }))).toBe('IN-PROGRESS');
    expect(graphStatusOf(record('TASK-001', { status: 'STALLED' }))).toBe('BLOCKED');
    expect(graphStatusOf(record('TASK-001', { status: 'SKIPPED' }))).toBe('SKIPPED');
  });

  it('keeps the !build approval: approvalText is the same when only statuses change, different when a title does', () => {
    const approved = renderTaskGraph(GRAPH);
    const progressed = renderGraphWithStatuses(GRAPH, records);
    expect(progressed).not.toBe(approved);
    expect(approvalText('TASK-GRAPH.md', progressed)).toBe(approvalText('TASK-GRAPH.md', approved));

    const retitled: TaskGraph = { tasks: GRAPH.tasks.map((t) => (t.id === 'TASK-003' ? { ...t, title: 'Add the command line' } : t)) };
    expect(approvalText('TASK-GRAPH.md', renderGraphWithStatuses(retitled, records))).not.toBe(approvalText('TASK-GRAPH.md', approved));
    // Other artifacts are approved byte for byte.
    expect(approvalText('SPEC.md', progressed)).toBe(progressed);
  });
});

describe('renderDecisions and boardLines', () => {
  it('lists open and answered decisions', () => {
    const text = renderDecisions([
      { id: 'D-1', taskId: 'TASK-002', question: 'Which output format?', askedAt: 'a1', answer: 'JSON', answeredAt: 'a2' },
      { id: 'D-2', taskId: 'TASK-003', question: 'Which flags?', askedAt: 'a3' },
    ]);
    expect(text).toContain('## D-1 (TASK-002) — ANSWERED');
    expect(text).toContain('- Answer: JSON');
    expect(text).toContain('## D-2 (TASK-003) — OPEN');
    expect(renderDecisions([])).toContain('No decisions yet.');
  });

  it('shows one board line per task with status, activity, elapsed time and cost', () => {
    const lines = boardLines(
      GRAPH,
      [record('TASK-001', { status: 'DONE', sha: SHA1, costUsd: 0.5 }), record('TASK-002', { status: 'IN-PROGRESS', startedAt: '2025-02-03T04:00:00.000Z' })],
      new Map([['TASK-002', 'running npm test']]),
      Date.parse('2025-02-03T04:01:30.000Z'),
    );
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^TASK-001 DONE\s+Add the parser · \$0\.5000 — 11111111$/);
    expect(lines[1]).toMatch(/^TASK-002 IN-PROGRESS\s+Add the printer · 1 min 30 s — running npm test$/);
    expect(lines[2]).toMatch(/^TASK-003 PENDING\s+Add the CLI$/);
  });

  it('counts elapsed time in whole seconds', () => {
    expect([0, 999, 42_500, 60_000, 185_000].map(elapsedText)).toEqual(['0 s', '0 s', '42 s', '1 min 00 s', '3 min 05 s']);
  });
});
