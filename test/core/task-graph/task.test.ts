import { describe, expect, it } from 'vitest';
import { isNormalBlock, normalizeBlock } from '../../../src/core/documents/text-fields.js';
import { isCanonicalTask, outputFileProblem, taskSchema } from '../../../src/core/task-graph/task.js';
import { random, randomGraph, task } from './graph-fixtures.js';

describe('isCanonicalTask (the parser\'s fast path)', () => {
  it('agrees with the schema: canonical means zod returns the very same task', () => {
    const rand = random(7);
    const mutations: ((t: Record<string, unknown>) => void)[] = [
      () => undefined,
      (t) => (t.title = ` ${String(t.title)}`),
      (t) => (t.title = String(t.title).replace(' ', '  ')),
      (t) => (t.title = String(t.title).replace(' ', '\u00a0')),
      (t) => (t.title = ''),
      (t) => (t.description = `${String(t.description)}  `),
      (t) => (t.description = `\n${String(t.description)}`),
      (t) => (t.description = `${String(t.description)}\r\nmore`),
      (t) => (t.description = `${String(t.description)}\n# heading`),
      (t) => (t.description = `${String(t.description)}\n\`\`\`\nopen fence`),
      (t) => (t.acceptance_criteria = ['two  spaces']),
      (t) => (t.output_files = ['/abs.ts']),
      (t) => (t.output_files = ['a/../b.ts']),
      (t) => (t.output_files = [' a.ts']),
      (t) => (t.depends_on = ['TASK-1']),
      (t) => (t.size = 'XXL'),
      (t) => (t.status = 'DONE!'),
      // The same fields with id last: zod would reorder them, so the row is not the task as it is.
      (t) => {
        const { id, ...rest } = t;
        for (const key of Object.keys(t)) delete t[key];
        Object.assign(t, rest, { id });
      },
    ];
    for (const base of randomGraph(rand, 60).tasks) {
      for (const mutate of mutations) {
        const raw: Record<string, unknown> = structuredClone(base);
        mutate(raw);
        const parsed = taskSchema.safeParse(raw);
        const canonical = isCanonicalTask(raw);
        if (canonical) expect(parsed.success && parsed.data).toEqual(raw);
        else expect(parsed.success && JSON.stringify(parsed.data) === JSON.stringify(raw)).toBe(false);
      }
    }
  });

  it('accepts an ordinary task', () => {
    expect(isCanonicalTask({ ...task('TASK-001') })).toBe(true);
  });

  it('matches normalizeBlock exactly on tricky blocks', () => {
    const samples = ['a', 'a  ', ' a', 'a\n\nb', 'a\n  \nb', 'a\n', '\na', 'a\r\nb', 'a\rb', '   ', '', 'a\t\nb', 'a\u00a0', '  indented\ncode'];
    for (const sample of samples) expect(isNormalBlock(sample), JSON.stringify(sample)).toBe(sample !== '' && normalizeBlock(sample) === sample);
  });

  it('explains why an output file is refused', () => {
    expect(outputFileProblem('src/a.ts')).toBeUndefined();
    expect(outputFileProblem('C:\\x.ts')).toBe('"C:\\x.ts" is absolute; give the path relative to the project folder');
    expect(outputFileProblem('src/../../etc')).toBe('"src/../../etc" leaves the project folder ("..")');
    expect(outputFileProblem('notes..md')).toBeUndefined();
  });
});
