import { closestName } from '../commands/suggest.js';
import { blockFrom, clip, firstContentLine, headingOf, outline, parseBullets, spanOf, toLines, type OutlineHeading, type Section } from '../documents/markdown.js';
import { parseTable, type TableRow } from '../documents/markdown-table.js';
import { fieldLabel, sortProblems, type LineProblem } from '../documents/problems.js';
import { findSections, type SectionRule } from '../documents/sections.js';
import { TASK_GRAPH_FILE } from './render-task-graph.js';
import { isCanonicalTask, TASK_SIZES, TASK_STATUSES, taskSchema, type Task, type TaskGraph } from './task.js';

/** Where a task's parts sit in TASK-GRAPH.md, for pointing problems at lines. */
export interface TaskLines {
  readonly row: number;
  readonly details?: number;
  readonly criteria?: number;
}

/** The graph with the line of each task (parallel to `graph.tasks`), or every problem found. */
export type TaskGraphParse =
  | { readonly ok: true; readonly graph: TaskGraph; readonly lines: readonly TaskLines[] }
  | { readonly ok: false; readonly problems: readonly LineProblem[] };

type GraphSection = 'tasks' | 'view' | 'batches' | 'details';

const SECTIONS: readonly SectionRule<GraphSection>[] = [
  { key: 'tasks', title: 'Tasks', required: true, aliases: ['task table'] },
  { key: 'view', title: 'Dependency view', required: false, aliases: ['dependencies'] },
  { key: 'batches', title: 'Parallel batches', required: false, aliases: ['batches'] },
  { key: 'details', title: 'Task details', required: true, aliases: ['details'] },
];

type Column = 'id' | 'title' | 'size' | 'status' | 'depends_on' | 'output_files';

const COLUMNS: readonly { key: Column; names: readonly string[] }[] = [
  { key: 'id', names: ['id', 'task'] },
  { key: 'title', names: ['title', 'name'] },
  { key: 'size', names: ['size', 'estimated size', 'est. size', 'estimate'] },
  { key: 'status', names: ['status', 'state'] },
  { key: 'depends_on', names: ['depends on', 'dependencies', 'deps', 'depends_on'] },
  { key: 'output_files', names: ['output files', 'outputs', 'files', 'output_files'] },
];

const NOTHING = new Set(['', '—', '–', '-', 'none', '_none_', 'n/a']);

interface Details {
  readonly line: number;
  readonly description: string;
  readonly descriptionLine: number;
  readonly criteria: string[];
  criteriaLine?: number;
  readonly criteriaLines: number[];
}

/**
 * Pure: reads TASK-GRAPH.md. Tolerates what a person does by hand (rows in another order,
 * columns in another order, extra spaces and blank lines, `in progress` for IN-PROGRESS) and
 * reports everything else with its line. Graph-level checks (cycles, ...) are
 * `validateTaskGraph`'s; see `checkTaskGraphText` for both.
 */
export function parseTaskGraph(text: string): TaskGraphParse {
  if (text.trim() === '') return { ok: false, problems: [{ message: 'the file is empty' }] };
  const lines = toLines(text);
  const outlined = outline(spanOf(lines));
  const { found, problems } = findSections(lines, SECTIONS, TASK_GRAPH_FILE, outlined);
  const table = found.get('tasks');
  const rows = table ? parseTable(table.body, COLUMNS, '"## Tasks"') : undefined;
  if (rows) problems.push(...rows.problems);
  if (table && rows && rows.rows.length === 0 && rows.problems.length === 0) {
    problems.push({ line: table.line, message: 'no task (TASK-001, ...) is listed in the "## Tasks" table; add one row per task' });
  }
  const detailsSection = found.get('details');
  const details = detailsSection ? readDetails(lines, outlined.headings, detailsSection, problems) : new Map<string, Details>();

  const tasks: Task[] = [];
  const taskLines: TaskLines[] = [];
  const listed = new Set<string>();
  for (const row of rows?.rows ?? []) {
    const task = readRow(row, details, detailsSection !== undefined, problems);
    listed.add(task.id);
    if (task.task) {
      tasks.push(task.task);
      taskLines.push(task.lines);
    }
  }
  details.forEach((entry, id) => {
    if (!listed.has(id)) {
      problems.push({ line: entry.line, message: `"### ${id}" has no row in the "## Tasks" table; add a row for ${id} or delete this section` });
    }
  });
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  return { ok: true, graph: { tasks }, lines: taskLines };
}

/**
 * The "### TASK-nnn" sections under "## Task details", found in the file's outline: each
 * task's description runs to its first "####" heading, which must be its acceptance criteria.
 */
function readDetails(lines: readonly string[], headings: readonly OutlineHeading[], section: Section, problems: LineProblem[]): Map<string, Details> {
  const details = new Map<string, Details>();
  const { start, end } = section.body;
  // The headings under this section: they follow its own heading in the outline.
  const own = headings.findIndex((h) => h.index === start - 1);
  let last = own + 1;
  while (last < headings.length && headings[last]!.index < end) last++;
  const inside = headings.slice(own + 1, last);
  const firstTask = inside.find((h) => h.level === 3)?.index ?? end;
  for (let i = start; i < firstTask; i++) {
    const text = lines[i]!;
    if (text.trim() === '') continue;
    const heading = headingOf(text);
    problems.push({
      line: i + 1,
      message: heading
        ? `"## Task details": expected "### TASK-001" before any deeper heading, found "${clip(text.trim())}"`
        : `"## Task details": expected "### TASK-001" before any text, found "${clip(text.trim())}"; move the text into a task's description`,
    });
    break;
  }
  for (let h = 0; h < inside.length; h++) {
    const head = inside[h]!;
    if (head.level !== 3) continue;
    const parts: Section[] = [];
    let descriptionEnd = head.end;
    for (let k = h + 1; k < inside.length && inside[k]!.index < head.end; k++) {
      const sub = inside[k]!;
      if (sub.level !== 4) continue;
      if (parts.length === 0) descriptionEnd = sub.index;
      parts.push({ heading: sub.text, line: sub.index + 1, body: spanOf(lines, sub.index + 1, sub.end) });
    }
    const line = head.index + 1;
    const description = spanOf(lines, line, descriptionEnd);
    const id = upper(head.text);
    if (!/^TASK-\d{3,}$/.test(id)) {
      problems.push({ line, message: `expected a task heading "### TASK-001" (the id alone; the title lives in the table), found "### ${clip(head.text)}"` });
      continue;
    }
    const earlier = details.get(id);
    if (earlier) {
      problems.push({ line, message: `"### ${id}" appears twice (first at line ${earlier.line}); merge the two sections` });
      continue;
    }
    const entry: Details = {
      line,
      description: blockFrom(description),
      descriptionLine: firstContentLine(description) ?? line,
      criteria: [],
      criteriaLines: [],
    };
    let criteriaLine: number | undefined;
    for (const sub of parts) {
      if (sub.heading.toLowerCase() !== 'acceptance criteria' || criteriaLine !== undefined) {
        problems.push({
          line: sub.line,
          message:
            criteriaLine !== undefined
              ? `${id} has a second "#### Acceptance criteria" (first at line ${criteriaLine}); merge the two lists`
              : `unexpected heading "#### ${clip(sub.heading)}" in ${id}; only "#### Acceptance criteria" may follow the description`,
        });
        continue;
      }
      criteriaLine = sub.line;
      const bullets = parseBullets(sub.body, `acceptance criteria of ${id}`);
      problems.push(...bullets.problems);
      for (const item of bullets.items) {
        entry.criteria.push(item.text);
        entry.criteriaLines.push(item.line);
      }
    }
    if (criteriaLine === undefined) {
      problems.push({ line, message: `${id} has no "#### Acceptance criteria"; add that heading after the description, with at least one "- " criterion` });
    }
    if (criteriaLine !== undefined) entry.criteriaLine = criteriaLine;
    details.set(id, entry);
  }
  return details;
}

function readRow(
  row: TableRow<Column>,
  details: ReadonlyMap<string, Details>,
  haveDetails: boolean,
  problems: LineProblem[],
): { id: string; task?: Task; lines: TaskLines } {
  const cells = row.cells;
  const id = upper(cells.id.includes('`') ? cells.id.replace(/`/g, '').trim() : cells.id);
  const entry = details.get(id);
  const lines: TaskLines =
    entry === undefined
      ? { row: row.line }
      : entry.criteriaLine === undefined
        ? { row: row.line, details: entry.line }
        : { row: row.line, details: entry.line, criteria: entry.criteriaLine };
  if (!entry && haveDetails && /^TASK-\d{3,}$/.test(id)) {
    problems.push({ line: row.line, message: `${id} has no "### ${id}" section under "## Task details"; add one with its description and "#### Acceptance criteria"` });
  }
  // In the schema's key order, so a row that is already canonical is the task as it is.
  const raw = {
    id,
    title: cells.title,
    description: entry?.description ?? '',
    acceptance_criteria: entry?.criteria ?? [],
    output_files: isNothing(cells.output_files) ? [] : splitFiles(cells.output_files),
    depends_on: isNothing(cells.depends_on)
      ? []
      : cells.depends_on
          .split(/[\s,;`]+/)
          .filter((d) => d !== '')
          .map(upper),
    size: upper(cells.size),
    status: normalizeStatus(cells.status),
  };
  if (isCanonicalTask(raw)) return { id, task: raw, lines };
  const parsed = taskSchema.safeParse(raw);
  if (parsed.success) return { id, task: parsed.data, lines };
  const name = /^TASK-\d{3,}$/.test(id) ? id : `the task in this row`;
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    // Missing details were reported above; do not repeat them as an empty description.
    if (!entry && (field === 'description' || field === 'acceptance_criteria')) continue;
    problems.push({ line: lineOf(issue.path, lines, entry), message: `${name}, ${fieldLabel(issue.path).replace(/_/g, ' ')}: ${explain(field, raw, issue.message)}` });
  }
  return { id, lines };
}

function lineOf(path: readonly PropertyKey[], lines: TaskLines, entry: Details | undefined): number {
  const [field, n] = path;
  if (field === 'description') return entry?.descriptionLine ?? lines.row;
  if (field === 'acceptance_criteria') return (typeof n === 'number' ? entry?.criteriaLines[n] : undefined) ?? lines.criteria ?? lines.details ?? lines.row;
  return lines.row;
}

/** An empty cell, or one of the ways people write "none" in it. */
function isNothing(cell: string): boolean {
  return cell.length <= 6 && NOTHING.has(cell.toLowerCase());
}

/** Upper case, without a copy when the text already is (most cells are). */
function upper(text: string): string {
  return /[a-z]/.test(text) ? text.toUpperCase() : text;
}

/** `in progress`, `In_Progress` and `inprogress` all mean IN-PROGRESS. */
function normalizeStatus(cell: string): string {
  const status = /[\s_]/.test(cell) ? upper(cell).replace(/[\s_]+/g, '-') : upper(cell);
  return status === 'INPROGRESS' ? 'IN-PROGRESS' : status;
}

function splitFiles(cell: string): string[] {
  const files: string[] = [];
  for (const part of cell.split(',')) {
    let file = part.trim();
    if (file.length >= 2 && file.startsWith('`') && file.endsWith('`')) file = file.slice(1, -1).trim();
    if (file !== '') files.push(file);
  }
  return files;
}

/** Zod's words for enums, replaced by the allowed values and a guess. */
function explain(field: string, raw: { size: string; status: string }, message: string): string {
  if (field === 'status' || field === 'size') {
    const value = field === 'status' ? raw.status : raw.size;
    const allowed: readonly string[] = field === 'status' ? TASK_STATUSES : TASK_SIZES;
    if (value === '') return `the ${field} is empty; write one of ${allowed.join(', ')}`;
    const guess = closestName(value.toLowerCase(), allowed.map((a) => a.toLowerCase()));
    return `unknown ${field} "${value}"; write one of ${allowed.join(', ')}${guess ? ` (did you mean ${guess.toUpperCase()}?)` : ''}`;
  }
  return message;
}
