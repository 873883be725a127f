import { z } from 'zod';
import type { StructuredToolSpec } from '../agent/structured-tools.js';
import { checkTaskGraphText } from '../task-graph/check-task-graph.js';
import { renderTaskGraph } from '../task-graph/render-task-graph.js';
import { plannedTaskSchema, type PlannedTask, type Task, type TaskGraph } from '../task-graph/task.js';
import { nextFreeId, validateTaskGraph } from '../task-graph/validate-task-graph.js';

/**
 * New tasks after the plan: Maintenance's proposals and the fix tasks of `!critic fix` and
 * `!security fix` all go through `appendTasks`. Their ids are the proposer's own and are
 * renumbered to continue the graph (TASK-00N+1, ...); a dependency on one of the new tasks
 * follows the renumbering, one on an existing task stays. A new task that writes a file
 * another task writes is made to wait for it, so the graph keeps its one-writer-at-a-time rule.
 */

/** A task before it has its place in the graph; `id` only names it within the proposal. */
export type ProposedTask = Omit<PlannedTask, 'id'> & { readonly id: string };

export type AppendResult =
  | { readonly ok: true; readonly graph: TaskGraph; readonly text: string; readonly ids: readonly string[] }
  | { readonly ok: false; readonly problems: readonly string[] };

function idNumber(id: string): number {
  return Number(/^TASK-(\d+)$/.exec(id)?.[1] ?? 0);
}

/** Pure: `graph` with `proposed` appended, rendered as TASK-GRAPH.md and read back, or every problem. */
export function appendTasks(graph: TaskGraph, proposed: readonly ProposedTask[]): AppendResult {
  if (proposed.length === 0) return { ok: false, problems: ['there are no tasks to add'] };
  const problems: string[] = [];
  const mapped = new Map<string, string>();
  let next = idNumber(nextFreeId(graph));
  for (const task of proposed) {
    if (mapped.has(task.id)) problems.push(`two proposed tasks use the id ${task.id}; give each its own`);
    mapped.set(task.id, `TASK-${String(next++).padStart(3, '0')}`);
  }
  const existing = new Set(graph.tasks.map((t) => t.id));
  const tasks: Task[] = [...graph.tasks];
  const deps = new Map<string, Set<string>>(graph.tasks.map((t) => [t.id, new Set(t.depends_on)]));
  /** Whether `from` already waits for `to`, directly or through others. */
  const waitsFor = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (id === to) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(deps.get(id) ?? []));
    }
    return false;
  };

  for (const task of proposed) {
    const id = mapped.get(task.id)!;
    const own = new Set<string>();
    for (const dep of task.depends_on) {
      const target = mapped.get(dep) ?? (existing.has(dep) ? dep : undefined);
      if (target === undefined) problems.push(`${task.id} ("${task.title}") depends on ${dep}, which is neither in the task graph nor among the proposed tasks`);
      else own.add(target);
    }
    deps.set(id, own);
    for (const file of task.output_files) {
      for (const earlier of tasks) {
        if (earlier.output_files.includes(file) && !waitsFor(id, earlier.id) && !waitsFor(earlier.id, id)) own.add(earlier.id);
      }
    }
    tasks.push({ ...task, id, depends_on: [...own], status: 'PENDING' });
  }
  if (problems.length > 0) return { ok: false, problems };
  const nextGraph: TaskGraph = { tasks };
  const graphProblems = validateTaskGraph(nextGraph);
  if (graphProblems.length > 0) return { ok: false, problems: graphProblems.map((p) => `${p.message}; ${p.fix}`) };
  const text = renderTaskGraph(nextGraph);
  const reread = checkTaskGraphText(text);
  if (!reread.ok) return { ok: false, problems: reread.problems.map((p) => p.message) };
  return { ok: true, graph: reread.graph, text, ids: proposed.map((t) => mapped.get(t.id)!) };
}

/** The input of Maintenance's `propose_tasks`. */
export const proposeTasksSchema = z.strictObject({
  tasks: z
    .array(plannedTaskSchema)
    .min(1, 'propose at least one task')
    .describe('The new tasks. Number them from the next free id; the runtime renumbers them to continue TASK-GRAPH.md and follows your depends_on.'),
  evidence: z.string().trim().min(1).describe('What you found: the code path, the reproduction command and its output.'),
});
export type ProposeTasksInput = z.output<typeof proposeTasksSchema>;

/** propose_tasks: ends Maintenance's run; the runtime appends the tasks to TASK-GRAPH.md. */
export const PROPOSE_TASKS_TOOL: StructuredToolSpec<ProposeTasksInput> = {
  name: 'propose_tasks',
  description:
    'Propose the maintenance tasks and end your run. Each task as in the task graph: id, title, description, acceptance_criteria ' +
    '(for a bug, the reproduction that must stop failing), output_files, depends_on (ids of existing tasks or of your other proposed tasks), size. ' +
    'The runtime appends them to TASK-GRAPH.md with ids continuing the numbering; if it cannot, it tells you why and you propose again.',
  schema: proposeTasksSchema,
  finishing: true,
};
