import { TASK_SIZES, TASK_STATUSES, taskSchema, type Task, type TaskGraph } from '../../../src/core/task-graph/task.js';

/** A valid task with sensible defaults; override what a test is about. */
export function task(id: string, overrides: Partial<Task> = {}): Task {
  return {
    id,
    title: `Work for ${id}`,
    description: `Implement ${id}.`,
    acceptance_criteria: [`${id} works`],
    output_files: [`src/${id.toLowerCase()}.ts`],
    depends_on: [],
    size: 'M',
    status: 'PENDING',
    ...overrides,
  };
}

export function graph(...tasks: Task[]): TaskGraph {
  return { tasks };
}

export function id(n: number): string {
  return `TASK-${String(n).padStart(3, '0')}`;
}

/** A small seeded generator (mulberry32), so a failing property run can be repeated. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['add', 'the', 'list', 'API', 'store', 'user', 'pipe|bar', 'back\\slash', '`code`', 'ünïcödé', '*stars*', '_under_', 'a:b', '#hash', '—', '<tag>', '[link](x)', '100%', 'x\\|y', '->'];

/** Lines a description may hold: lists, tables, fenced code with "#" lines inside, indented text. */
const BLOCK_LINES = ['- a bullet', '* another', '1. numbered', '| a | b |', '    indented code', '> quoted', 'plain words', '#hashtag-not-heading'];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

/** Random words, some with characters Markdown cares about. */
export function words(rand: () => number, min: number, max: number): string {
  const count = min + Math.floor(rand() * (max - min + 1));
  return Array.from({ length: count }, () => pick(rand, WORDS)).join(rand() < 0.1 ? '   ' : ' ');
}

/** A random block of prose: paragraphs, list and table lines, fenced code, stray spaces, CRLF. */
export function block(rand: () => number): string {
  const lines: string[] = [words(rand, 1, 8)];
  const extra = Math.floor(rand() * 5);
  for (let i = 0; i < extra; i++) {
    const roll = rand();
    if (roll < 0.2) lines.push('');
    else if (roll < 0.3) lines.push('```', '## not a heading inside code', '```');
    else if (roll < 0.6) lines.push(pick(rand, BLOCK_LINES));
    else lines.push(words(rand, 1, 10) + (rand() < 0.2 ? '   ' : ''));
  }
  return lines.join(rand() < 0.2 ? '\r\n' : '\n');
}

/**
 * A random graph, normalised by the task schema as the tool would store it. Dependencies may
 * point anywhere, unknown ids and cycles included: parsing must not lose them either.
 */
export function randomGraph(rand: () => number, size: number): TaskGraph {
  const tasks: Task[] = [];
  for (let n = 1; n <= size; n++) {
    const deps = new Set<string>();
    const depCount = Math.floor(rand() * 4);
    for (let d = 0; d < depCount; d++) deps.add(id(1 + Math.floor(rand() * (size + 2))));
    const files = Array.from({ length: Math.floor(rand() * 4) }, () => `src/${pick(rand, ['a', 'b|c', 'd e', 'ü', 'x\\y'])}/${Math.floor(rand() * 20)}.ts`);
    tasks.push(
      taskSchema.parse({
        id: id(n),
        title: words(rand, 1, 6),
        description: block(rand),
        acceptance_criteria: Array.from({ length: Math.floor(rand() * 4) }, () => words(rand, 1, 7)),
        output_files: [...new Set(files)],
        depends_on: [...deps],
        size: pick(rand, TASK_SIZES),
        status: pick(rand, TASK_STATUSES),
      }),
    );
  }
  return { tasks };
}
