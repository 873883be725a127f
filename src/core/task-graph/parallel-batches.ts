import { indexGraph, type GraphIndex } from './graph-index.js';
import type { TaskGraph } from './task.js';

/**
 * Which tasks can run together. Batch n+1 starts when batch n is done; the tasks of one batch
 * neither depend on each other nor write the same file. `unscheduled` holds the tasks that can
 * never start: those in a dependency cycle, those waiting on an unknown id, and everything
 * that waits on them.
 */
export interface BatchPlan {
  readonly batches: readonly (readonly string[])[];
  readonly unscheduled: readonly string[];
}

/**
 * Pure: topological layers (a task's layer is the longest chain of dependencies below it), each
 * layer split further, in list order, so no two tasks of a batch share an output file.
 * Status is not considered: the plan is the whole graph, DONE tasks included.
 */
export function parallelBatches(graph: TaskGraph, index: GraphIndex = indexGraph(graph)): BatchPlan {
  const { tasks } = graph;
  const layer = new Int32Array(tasks.length).fill(-1);
  const waiting = new Int32Array(tasks.length);
  const blocked = new Uint8Array(tasks.length);
  tasks.forEach((task, i) => {
    waiting[i] = index.deps[i]!.length;
    if (task.depends_on.some((id) => !index.indexOf.has(id))) blocked[i] = 1;
  });
  // Kahn's algorithm; a blocked task still releases nothing, so its dependents stay unscheduled.
  const queue: number[] = [];
  tasks.forEach((_, i) => {
    if (waiting[i] === 0 && blocked[i] === 0) {
      layer[i] = 0;
      queue.push(i);
    }
  });
  let deepest = -1;
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    deepest = Math.max(deepest, layer[node]!);
    for (const next of index.dependents[node]!) {
      layer[next] = Math.max(layer[next]!, layer[node]! + 1);
      waiting[next]!--;
      if (waiting[next] === 0 && blocked[next] === 0) queue.push(next);
    }
  }
  const scheduled = new Uint8Array(tasks.length);
  for (const node of queue) scheduled[node] = 1;

  const layers: number[][] = Array.from({ length: deepest + 1 }, () => []);
  tasks.forEach((_, i) => {
    if (scheduled[i] === 1) layers[layer[i]!]!.push(i);
  });
  const batches: string[][] = [];
  for (const members of layers) batches.push(...splitByFiles(graph, members));
  const unscheduled = tasks.filter((_, i) => scheduled[i] === 0).map((t) => t.id);
  return { batches, unscheduled };
}

/** First fit, in list order: each task goes to the first sub-batch that writes none of its files. */
function splitByFiles(graph: TaskGraph, members: readonly number[]): string[][] {
  const groups: { ids: string[]; files: Set<string> }[] = [];
  for (const i of members) {
    const task = graph.tasks[i]!;
    let group = groups.find((g) => task.output_files.every((f) => !g.files.has(f)));
    if (!group) {
      group = { ids: [], files: new Set() };
      groups.push(group);
    }
    group.ids.push(task.id);
    for (const file of task.output_files) group.files.add(file);
  }
  return groups.map((g) => g.ids);
}
