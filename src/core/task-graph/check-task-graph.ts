import { sortProblems, type LineProblem } from '../documents/problems.js';
import { parseTaskGraph, type TaskLines } from './parse-task-graph.js';
import type { TaskGraph } from './task.js';
import { validateTaskGraph, type GraphProblem } from './validate-task-graph.js';

/** The outcome of reading and checking TASK-GRAPH.md: a graph the Builder can run, or every problem. */
export type TaskGraphCheck =
  | { readonly ok: true; readonly graph: TaskGraph; readonly lines: readonly TaskLines[] }
  | { readonly ok: false; readonly problems: readonly LineProblem[] };

/** Pure: a graph problem as a line problem, placed on the task's table row. */
export function graphProblemAtLine(problem: GraphProblem, lines: readonly TaskLines[]): LineProblem {
  const line = problem.taskIndex === undefined ? undefined : lines[problem.taskIndex]?.row;
  const message = `${problem.message}; ${problem.fix}`;
  return line === undefined ? { message } : { line, message };
}

/**
 * Pure: parses TASK-GRAPH.md and, when it reads, validates the graph. Parse problems come
 * first on their own (a graph that did not read cannot be checked meaningfully).
 */
export function checkTaskGraphText(text: string): TaskGraphCheck {
  const parsed = parseTaskGraph(text);
  if (!parsed.ok) return parsed;
  const problems = validateTaskGraph(parsed.graph);
  if (problems.length === 0) return parsed;
  return { ok: false, problems: sortProblems(problems.map((p) => graphProblemAtLine(p, parsed.lines))) };
}
