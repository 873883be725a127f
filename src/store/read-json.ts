import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import type { ReadResult } from '../core/session/ports.js';
import { zodProblems } from '../core/validation.js';

/**
 * Reads and validates a JSON file; every failure is a value naming the file (and the field),
 * and nothing is ever written back.
 */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S, shownAs = file): Promise<ReadResult<z.infer<S>>> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing', file: shownAs };
    return { kind: 'unreadable', file: shownAs, message: (error as Error).message };
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    return {
      kind: 'invalid',
      file: shownAs,
      problems: [{ file: shownAs, field: '(top level)', message: `is not valid JSON (${(error as Error).message})` }],
    };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) return { kind: 'invalid', file: shownAs, problems: zodProblems(shownAs, parsed.error) };
  return { kind: 'ok', file: shownAs, value: parsed.data };
}
