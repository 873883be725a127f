import type { TaskGraph } from './task.js';

/**
 * The graph as index arrays, built once per call so validation and batching stay linear on
 * thousands of tasks. When an id is used twice, dependencies on it resolve to its first task.
 */
export interface GraphIndex {
  readonly size: number;
  readonly indexOf: ReadonlyMap<string, number>;
  /** For each task, the indexes of the known tasks it depends on (no repeats). */
  readonly deps: readonly (readonly number[])[];
  /** For each task, the indexes of the tasks that depend on it. */
  readonly dependents: readonly (readonly number[])[];
}

export function indexGraph(graph: TaskGraph): GraphIndex {
  const indexOf = new Map<string, number>();
  graph.tasks.forEach((task, i) => {
    if (!indexOf.has(task.id)) indexOf.set(task.id, i);
  });
  const dependents: number[][] = graph.tasks.map(() => []);
  const deps = graph.tasks.map((task, i) => {
    const known: number[] = [];
    for (const id of task.depends_on) {
      const j = indexOf.get(id);
      if (j !== undefined && !known.includes(j)) {
        known.push(j);
        dependents[j]!.push(i);
      }
    }
    return known;
  });
  return { size: graph.tasks.length, indexOf, deps, dependents };
}

/**
 * Strongly connected components that form cycles (two or more tasks, or one task that depends
 * on itself), each as one concrete cycle path in dependency order: a → b → ... → a, where each
 * task depends on the next. Tarjan's algorithm, iterative so long chains cannot overflow the stack.
 */
export function findCycles(index: GraphIndex): number[][] {
  const { size, deps } = index;
  const order = new Int32Array(size).fill(-1);
  const low = new Int32Array(size);
  const onStack = new Uint8Array(size);
  const stack: number[] = [];
  const cycles: number[][] = [];
  let counter = 0;
  for (let root = 0; root < size; root++) {
    if (order[root] !== -1) continue;
    const frames: { node: number; next: number }[] = [{ node: root, next: 0 }];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const edges = deps[frame.node]!;
      if (frame.next < edges.length) {
        const to = edges[frame.next++]!;
        if (order[to] === -1) {
          order[to] = low[to] = counter++;
          stack.push(to);
          onStack[to] = 1;
          frames.push({ node: to, next: 0 });
        } else if (onStack[to] === 1) {
          low[frame.node] = Math.min(low[frame.node]!, order[to]!);
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
      if (low[frame.node] !== order[frame.node]) continue;
      const component: number[] = [];
      let member: number;
      do {
        member = stack.pop()!;
        onStack[member] = 0;
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1 || deps[frame.node]!.includes(frame.node)) cycles.push(cyclePath(component, deps));
    }
  }
  return cycles.sort((a, b) => a[0]! - b[0]!);
}

/** One cycle through the component, starting at its first task in list order. */
function cyclePath(component: readonly number[], deps: readonly (readonly number[])[]): number[] {
  const members = new Set(component);
  const start = Math.min(...component);
  if (deps[start]!.includes(start)) return [start, start];
  // Breadth-first from start's dependencies back to start, inside the component: the shortest cycle through it.
  const previous = new Map<number, number>();
  const queue: number[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const next of deps[node]!) {
      if (!members.has(next)) continue;
      if (next === start) {
        const between: number[] = [];
        for (let at = node; at !== start; at = previous.get(at)!) between.push(at);
        return [start, ...between.reverse(), start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/**
 * Each task's position in a dependency-first order (Kahn), or undefined when the graph has a
 * cycle. A task always comes after everything it depends on.
 */
export function topologicalPositions(index: GraphIndex): Int32Array | undefined {
  const waiting = new Int32Array(index.size);
  const queue: number[] = [];
  for (let i = 0; i < index.size; i++) {
    waiting[i] = index.deps[i]!.length;
    if (waiting[i] === 0) queue.push(i);
  }
  const position = new Int32Array(index.size);
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    position[node] = head;
    for (const next of index.dependents[node]!) {
      waiting[next]!--;
      if (waiting[next] === 0) queue.push(next);
    }
  }
  return queue.length === index.size ? position : undefined;
}

/**
 * Whether task `from` depends on task `to`, directly or through others. With positions (an
 * acyclic graph) the walk skips every task placed before `to`, which cannot lead to it, so
 * asking about two neighbours in a chain costs a step or two; without, it walks everything
 * below `from` once and keeps the answer for later questions about the same task.
 */
export function reachability(index: GraphIndex, position?: Int32Array): (from: number, to: number) => boolean {
  if (position) {
    const mark = new Int32Array(index.size);
    let stamp = 0;
    return (from, to) => {
      stamp++;
      const floor = position[to]!;
      const stack = [from];
      while (stack.length > 0) {
        const node = stack.pop()!;
        for (const next of index.deps[node]!) {
          if (next === to) return true;
          if (mark[next] === stamp || position[next]! < floor) continue;
          mark[next] = stamp;
          stack.push(next);
        }
      }
      return false;
    };
  }
  const reached = new Map<number, Uint8Array>();
  return (from, to) => {
    let seen = reached.get(from);
    if (!seen) {
      seen = new Uint8Array(index.size);
      const stack = [...index.deps[from]!];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (seen[node] === 1) continue;
        seen[node] = 1;
        for (const next of index.deps[node]!) if (seen[next] === 0) stack.push(next);
      }
      reached.set(from, seen);
    }
    return seen[to] === 1;
  };
}
