import { z } from 'zod';
import type { StructuredToolSpec } from '../agent/structured-tools.js';
import { plannedTaskSchema, SIZE_ESTIMATES, TASK_SIZES, type PlannedTask, type TaskGraph } from './task.js';
import { validateTaskGraph } from './validate-task-graph.js';

/**
 * The input of `write_task_graph`. Field checks come from the task schema; graph checks
 * (duplicate ids, unknown dependencies, cycles, missing criteria or files, parallel writers of
 * one file) run in the refinement, so the model gets every problem, with its fix, in one reply.
 */
export const writeTaskGraphSchema = z
  .strictObject({
    tasks: z.array(plannedTaskSchema).describe('Every task of the plan, TASK-001 first.'),
  })
  .superRefine((input, ctx) => {
    for (const problem of validateTaskGraph(graphFromPlan(input))) {
      const path = problem.taskIndex === undefined ? ['tasks'] : ['tasks', problem.taskIndex];
      ctx.addIssue({ code: 'custom', path, message: `${problem.message}; ${problem.fix}` });
    }
  });

/** Validated input of write_task_graph. */
export type WriteTaskGraphInput = z.output<typeof writeTaskGraphSchema>;

/** Pure: the graph a plan starts as; every task PENDING. */
export function graphFromPlan(input: { readonly tasks: readonly PlannedTask[] }): TaskGraph {
  return { tasks: input.tasks.map((task) => ({ ...task, status: 'PENDING' as const })) };
}

/** write_task_graph: the Planner's finishing tool; the runtime renders TASK-GRAPH.md from it. */
export const WRITE_TASK_GRAPH_TOOL: StructuredToolSpec<WriteTaskGraphInput> = {
  name: 'write_task_graph',
  description:
    'Write the complete task graph and end your run. Each task: id (TASK-001, ...), title (one line), description, ' +
    'acceptance_criteria (at least one), output_files (project-relative, at least one), depends_on (ids), size ' +
    `(${TASK_SIZES.map((size) => `${size}: ${SIZE_ESTIMATES[size].meaning}`).join('; ')}). ` +
    'Tasks that write the same file must depend on one another. The runtime validates the graph and renders ' +
    'TASK-GRAPH.md; never write that file yourself. When revising, send the whole graph again.',
  schema: writeTaskGraphSchema,
  finishing: true,
};
