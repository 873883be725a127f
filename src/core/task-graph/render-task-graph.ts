import { NONE_MARK } from '../documents/markdown.js';
import { renderTableLines } from '../documents/markdown-table.js';
import { indexGraph, type GraphIndex } from './graph-index.js';
import { parallelBatches } from './parallel-batches.js';
import { TASK_SIZES, TASK_STATUSES, type Task, type TaskGraph } from './task.js';

/*
 * TASK-GRAPH.md. The table and the "### TASK-nnn" sections are the data and are read back;
 * the dependency view and the parallel batches are derived, rewritten on every render and
 * ignored by the parser, so a hand edit there cannot disagree with the table.
 *
 *   # Task graph
 *   ## Tasks              | ID | Title | Size | Status | Depends on | Output files |
 *   ## Dependency view    a tree in a text block: each task, then the tasks that wait for it
 *   ## Parallel batches   "1. TASK-001, TASK-002" per batch
 *   ## Task details       "### TASK-001", description, "#### Acceptance criteria", "- " list
 */

export const TASK_GRAPH_FILE = 'TASK-GRAPH.md';

/** What an empty Depends on or Output files cell holds. */
export const EMPTY_CELL = '—';

/** Deeper subtrees restart as their own tree below, so a long chain does not indent without end. */
const MAX_TREE_DEPTH = 8;

const NOTE =
  '<!-- Written by CodeSleuth from the write_task_graph tool. You may edit it by hand: the table (one row per task, ' +
  `rows in any order; Status one of ${TASK_STATUSES.join(', ')}; Size one of ${TASK_SIZES.join(', ')}; ` +
  '"—" for no dependencies) and the "### TASK-nnn" sections under "## Task details" are read back. ' +
  'The dependency view and the parallel batches are regenerated from them and ignored when the file is read. -->';

/** Pure: the graph as TASK-GRAPH.md. */
export function renderTaskGraph(graph: TaskGraph): string {
  const index = indexGraph(graph);
  const out: string[] = ['# Task graph', '', NOTE, '', '## Tasks', ''];
  // Plain loops and pushes: a 5,000-task file is ~75,000 lines, and spreading large arrays
  // into push() showed up in the benchmark.
  for (const line of renderTableLines(['ID', 'Title', 'Size', 'Status', 'Depends on', 'Output files'], graph.tasks.map(tableRow))) out.push(line);
  out.push('', '## Dependency view', '', 'Each task is followed, indented, by the tasks that wait for it.', '', '```text');
  for (const line of dependencyTree(graph, index)) out.push(line);
  out.push('```', '', '## Parallel batches', '', 'The tasks of one line can run at the same time; each line starts when the one above it is done.', '');
  const plan = parallelBatches(graph, index);
  plan.batches.forEach((batch, i) => out.push(`${i + 1}. ${batch.join(', ')}`));
  if (plan.batches.length === 0) out.push('_No task can start._');
  if (plan.unscheduled.length > 0) {
    out.push('', `Cannot be scheduled (a dependency cycle or an unknown dependency): ${plan.unscheduled.join(', ')}`);
  }
  out.push('', '## Task details', '');
  for (const task of graph.tasks) {
    const criteria = task.acceptance_criteria.length === 0 ? NONE_MARK : `- ${task.acceptance_criteria.join('\n- ')}`;
    out.push(`### ${task.id}\n\n${task.description}\n\n#### Acceptance criteria\n\n${criteria}\n`);
  }
  return out.join('\n');
}

function tableRow(t: Task): string[] {
  return [
    t.id,
    t.title,
    t.size,
    t.status,
    t.depends_on.length === 0 ? EMPTY_CELL : t.depends_on.join(', '),
    t.output_files.length === 0 ? EMPTY_CELL : t.output_files.map((f) => `\`${f}\``).join(', '),
  ];
}

function label(task: Task): string {
  return `${task.id} [${task.status}] ${task.title}`;
}

/**
 * The dependency tree: roots are the tasks that wait for nothing; under each task, the tasks
 * that depend on it. A task is drawn in full once; later mentions say "(above)", or "(below)"
 * when it was moved to a tree of its own for depth. Tasks no root reaches (a cycle, an unknown
 * dependency) start trees of their own at the end.
 */
export function dependencyTree(graph: TaskGraph, index: GraphIndex = indexGraph(graph)): string[] {
  const { tasks } = graph;
  if (tasks.length === 0) return ['(no tasks)'];
  const state = new Uint8Array(tasks.length); // 0 unseen, 1 drawn, 2 deferred to a tree below
  const roots: number[] = [];
  tasks.forEach((_, i) => {
    if (index.deps[i]!.length === 0) roots.push(i);
  });
  const lines: string[] = [];
  const drawTree = (root: number): void => {
    const stack: { node: number; prefix: string; connector: string; childPrefix: string; depth: number }[] = [
      { node: root, prefix: '', connector: '', childPrefix: '', depth: 0 },
    ];
    while (stack.length > 0) {
      const { node, prefix, connector, childPrefix, depth } = stack.pop()!;
      const task = tasks[node]!;
      const children = index.dependents[node]!;
      if (state[node] === 1 && depth > 0) {
        lines.push(`${prefix}${connector}${task.id} (above)`);
        continue;
      }
      if (depth >= MAX_TREE_DEPTH && children.length > 0) {
        if (state[node] === 0) {
          state[node] = 2;
          roots.push(node);
        }
        lines.push(`${prefix}${connector}${task.id} (below)`);
        continue;
      }
      state[node] = 1;
      lines.push(`${prefix}${connector}${label(task)}`);
      for (let c = children.length - 1; c >= 0; c--) {
        const last = c === children.length - 1;
        stack.push({ node: children[c]!, prefix: prefix + childPrefix, connector: last ? '└── ' : '├── ', childPrefix: last ? '    ' : '│   ', depth: depth + 1 });
      }
    }
  };
  for (let r = 0; r < roots.length; r++) {
    if (state[roots[r]!] !== 1) drawTree(roots[r]!);
  }
  const unreached = tasks.map((_, i) => i).filter((i) => state[i] !== 1);
  if (unreached.length > 0) lines.push('', 'Not reached from a task without dependencies (a cycle or an unknown dependency):');
  for (const node of unreached) if (state[node] !== 1) drawTree(node);
  return lines;
}
