import { findCycles, indexGraph, reachability, topologicalPositions, type GraphIndex } from './graph-index.js';
import type { TaskGraph } from './task.js';

/** The kinds of problem a task graph can have, in the order they are reported. */
export const GRAPH_PROBLEM_KINDS = [
  'empty-graph',
  'duplicate-id',
  'unknown-dependency',
  'cycle',
  'no-acceptance-criteria',
  'no-output-files',
  'parallel-file-conflict',
] as const;
export type GraphProblemKind = (typeof GRAPH_PROBLEM_KINDS)[number];

/**
 * One thing wrong with the graph: which task (id, and its position in the list, since an id
 * may be repeated), what is wrong and how to fix it.
 */
export interface GraphProblem {
  readonly kind: GraphProblemKind;
  readonly taskId?: string;
  readonly taskIndex?: number;
  readonly message: string;
  readonly fix: string;
}

/** How many pairs of clashing tasks one shared file may report before the rest are counted. */
const MAX_PAIRS_PER_FILE = 10;

/** Pure: every problem of the graph; an empty list means the Builder can run it. */
export function validateTaskGraph(graph: TaskGraph): GraphProblem[] {
  const { tasks } = graph;
  if (tasks.length === 0) {
    return [{ kind: 'empty-graph', message: 'the task graph has no tasks', fix: 'add at least one task (TASK-001)' }];
  }
  const problems: GraphProblem[] = [];
  const index = indexGraph(graph);

  tasks.forEach((task, i) => {
    const first = index.indexOf.get(task.id)!;
    if (first !== i) {
      problems.push({
        kind: 'duplicate-id',
        taskId: task.id,
        taskIndex: i,
        message: `${task.id} is used by two tasks: "${tasks[first]!.title}" (task ${first + 1} in the list) and "${task.title}" (task ${i + 1})`,
        fix: `give "${task.title}" an id of its own (the next free one is ${nextFreeId(graph)}) and update the depends_on lists that mean it`,
      });
    }
  });

  tasks.forEach((task, i) => {
    for (const dep of task.depends_on) {
      if (index.indexOf.has(dep)) continue;
      problems.push({
        kind: 'unknown-dependency',
        taskId: task.id,
        taskIndex: i,
        message: `${task.id} depends on ${dep}, which is not in the graph`,
        fix: `add ${dep} as a task, or remove it from the dependencies of ${task.id}`,
      });
    }
  });

  for (const cycle of findCycles(index)) {
    const ids = cycle.map((i) => tasks[i]!.id);
    const head = cycle[0]!;
    const self = cycle.length === 2;
    problems.push({
      kind: 'cycle',
      taskId: ids[0],
      taskIndex: head,
      message: self ? `${ids[0]} depends on itself` : `the tasks depend on each other in a cycle: ${ids.join(' → ')} (each depends on the next), so none of them can start`,
      fix: self ? `remove ${ids[0]} from its own dependencies` : `remove one of these dependencies, e.g. ${ids[0]} from the dependencies of ${ids[ids.length - 2]}`,
    });
  }

  tasks.forEach((task, i) => {
    if (task.acceptance_criteria.length === 0) {
      problems.push({
        kind: 'no-acceptance-criteria',
        taskId: task.id,
        taskIndex: i,
        message: `${task.id} has no acceptance criteria`,
        fix: `add at least one criterion a reviewer can check to ${task.id}`,
      });
    }
  });
  tasks.forEach((task, i) => {
    if (task.output_files.length === 0) {
      problems.push({
        kind: 'no-output-files',
        taskId: task.id,
        taskIndex: i,
        message: `${task.id} lists no output files`,
        fix: `list the project files ${task.id} creates or changes`,
      });
    }
  });

  problems.push(...fileConflicts(graph, index));
  return problems;
}

/** Tasks that write the same file although neither waits for the other. */
function fileConflicts(graph: TaskGraph, index: GraphIndex): GraphProblem[] {
  const writers = new Map<string, number[]>();
  graph.tasks.forEach((task, i) => {
    for (const file of task.output_files) {
      const list = writers.get(file);
      if (!list) writers.set(file, [i]);
      else if (list[list.length - 1] !== i) list.push(i); // a file listed twice by one task counts once
    }
  });
  const position = topologicalPositions(index);
  const dependsOn = reachability(index, position);
  const problems: GraphProblem[] = [];
  writers.forEach((list, file) => {
    if (list.length < 2) return;
    // The usual case: the writers of a file form a chain. Then each one waiting for the one
    // before it (in dependency order) orders every pair, by transitivity.
    if (position) {
      const chain = [...list].sort((a, b) => position[a]! - position[b]!);
      if (chain.every((task, k) => k === 0 || dependsOn(task, chain[k - 1]!))) return;
    }
    let reported = 0;
    let more = 0;
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const first = list[a]!;
        const second = list[b]!;
        if (graph.tasks[first]!.id === graph.tasks[second]!.id) continue;
        if (ordered(first, second)) continue;
        if (reported === MAX_PAIRS_PER_FILE) {
          more++;
          continue;
        }
        reported++;
        const x = graph.tasks[first]!.id;
        const y = graph.tasks[second]!.id;
        problems.push({
          kind: 'parallel-file-conflict',
          taskId: y,
          taskIndex: second,
          message: `${x} and ${y} both write ${file}, and neither depends on the other, so they may run at the same time`,
          fix: `make ${y} depend on ${x} (or the other way round), or give the change to ${file} to one of them`,
        });
      }
    }
    if (more > 0) {
      problems.push({
        kind: 'parallel-file-conflict',
        message: `${more} more pairs of tasks write ${file} without depending on each other`,
        fix: `order the tasks that write ${file} one after another through depends_on`,
      });
    }
  });
  return problems;

  function ordered(a: number, b: number): boolean {
    // Only the later task (in dependency order) can depend on the earlier one.
    if (position) return position[a]! < position[b]! ? dependsOn(b, a) : dependsOn(a, b);
    return dependsOn(a, b) || dependsOn(b, a);
  }
}

/** The lowest TASK-nnn id after the highest one in use. */
export function nextFreeId(graph: TaskGraph): string {
  let highest = 0;
  for (const task of graph.tasks) {
    const n = Number(/^TASK-(\d+)$/.exec(task.id)?.[1] ?? 0);
    if (n > highest) highest = n;
  }
  return `TASK-${String(highest + 1).padStart(3, '0')}`;
}
