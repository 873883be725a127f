import { z } from 'zod';
import { blockTextProblem, isNormalBlock, singleLine, textBlock } from '../documents/text-fields.js';

/** TASK-001, TASK-002, ... (three or more digits). */
export const TASK_ID_PATTERN = /^TASK-\d{3,}$/;

/** Where a task stands. The Builder moves PENDING → IN-PROGRESS → DONE; a person may set any. */
export const TASK_STATUSES = ['PENDING', 'IN-PROGRESS', 'DONE', 'STALE', 'BLOCKED', 'SKIPPED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** The Planner's estimate of a task's size. */
export const TASK_SIZES = ['S', 'M', 'L', 'XL'] as const;
export type TaskSize = (typeof TASK_SIZES)[number];

/** Tokens one Builder run of a task of this size is expected to use (input includes re-reads and tool results). */
export interface SizeEstimate {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly meaning: string;
}

/**
 * The token estimate per size, as data: `forecast` takes another table when a project has
 * measured its own. These are starting figures for an agent loop that re-sends its context
 * every turn (input dominates), to be replaced by measured medians.
 */
export const SIZE_ESTIMATES: Readonly<Record<TaskSize, SizeEstimate>> = {
  S: { inputTokens: 40_000, outputTokens: 4_000, meaning: 'one file, a few dozen lines' },
  M: { inputTokens: 120_000, outputTokens: 12_000, meaning: 'a few files, up to ~200 changed lines' },
  L: { inputTokens: 300_000, outputTokens: 30_000, meaning: 'several files, up to ~500 changed lines' },
  XL: { inputTokens: 700_000, outputTokens: 60_000, meaning: 'too big for one commit; consider splitting' },
};

export const taskIdSchema = z.string().regex(TASK_ID_PATTERN, 'expected a task id such as TASK-001 (TASK, a dash, three or more digits)');

/** A project-relative file path as a task lists it. */
export const outputFileSchema = z
  .string()
  .trim()
  .min(1, 'a file path must not be empty')
  .superRefine((path, ctx) => {
    const problem = outputFileProblem(path);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Why a path cannot be an output file, or undefined. Commas and backticks would break the table cell. */
export function outputFileProblem(path: string): string | undefined {
  if (/[\n\r`,]/.test(path)) return `"${path}" contains a line break, a backtick or a comma; name one project-relative file per entry`;
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) return `"${path}" is absolute; give the path relative to the project folder`;
  if (path.includes('..') && path.split(/[\\/]/).includes('..')) return `"${path}" leaves the project folder ("..")`;
  return undefined;
}

/** A task as the Planner writes it (`write_task_graph`): every task starts PENDING. */
export const plannedTaskSchema = z.strictObject({
  id: taskIdSchema.describe('TASK-001, TASK-002, ... in the order the work should happen.'),
  title: singleLine('the title').describe('One line: the change this task makes.'),
  description: textBlock('the description').describe('What to do, which spec features (F-01 ...) and interfaces it implements, how to verify it. Markdown without headings.'),
  acceptance_criteria: z.array(singleLine('an acceptance criterion')).describe('Checks a reviewer can make, one line each; at least one.'),
  output_files: z.array(outputFileSchema).describe('Project-relative files the task creates or changes; at least one.'),
  depends_on: z.array(taskIdSchema).describe('Ids of the tasks that must be DONE first; [] for none.'),
  size: z.enum(TASK_SIZES).describe('S, M, L or XL (see the size guide).'),
});

/** A task in the graph: what was planned plus its status. */
export const taskSchema = plannedTaskSchema.extend({ status: z.enum(TASK_STATUSES) });

export type PlannedTask = z.output<typeof plannedTaskSchema>;
export type Task = z.output<typeof taskSchema>;

/** The task graph: tasks in their listed order. Order matters only for display and ties. */
export interface TaskGraph {
  readonly tasks: readonly Task[];
}

/** What `singleLine` leaves unchanged: no white space but single spaces between words. */
function isCanonicalLine(value: unknown): boolean {
  return typeof value === 'string' && value !== '' && !/\s\s|[^\S ]/.test(value) && value.trim() === value;
}

/**
 * Whether `raw` already is a Task exactly as `taskSchema` would return it: the same keys in
 * the same order, every field valid and already normalised. Parsing a 5,000-task file checks
 * rows with this and asks zod only about the rows that fail (for its messages); zod on every
 * row was a third of the parse. test/core/task-graph/task.test.ts holds the two to the same
 * answers, so the schema stays the definition.
 */
export function isCanonicalTask(raw: Readonly<Record<string, unknown>>): raw is Task {
  const keys = Object.keys(raw);
  if (keys.length !== TASK_KEYS.length || keys.some((key, i) => key !== TASK_KEYS[i])) return false;
  const { id, title, description, acceptance_criteria, output_files, depends_on, size, status } = raw;
  return (
    typeof id === 'string' &&
    TASK_ID_PATTERN.test(id) &&
    isCanonicalLine(title) &&
    typeof description === 'string' &&
    isNormalBlock(description) &&
    blockTextProblem(description) === undefined &&
    Array.isArray(acceptance_criteria) &&
    acceptance_criteria.every(isCanonicalLine) &&
    Array.isArray(output_files) &&
    output_files.every((f) => typeof f === 'string' && f !== '' && f.trim() === f && outputFileProblem(f) === undefined) &&
    Array.isArray(depends_on) &&
    depends_on.every((d) => typeof d === 'string' && TASK_ID_PATTERN.test(d)) &&
    (TASK_SIZES as readonly unknown[]).includes(size) &&
    (TASK_STATUSES as readonly unknown[]).includes(status)
  );
}

const TASK_KEYS = Object.keys(taskSchema.shape);
