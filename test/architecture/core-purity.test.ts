import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = path.resolve(import.meta.dirname, '..', '..', 'src', 'core');
const FORBIDDEN = [
  'ink',
  'react',
  'ink-text-input',
  'node:fs',
  'fs',
  'fs/promises',
  'node:fs/promises',
  'fs-extra',
  'node:child_process',
  'child_process',
  'execa',
  'simple-git',
  '@anthropic-ai/sdk',
  'tiktoken',
  'node:http',
  'node:net',
];

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : Promise.resolve(/\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []))),
  );
  return nested.flat();
}

describe('src/core', () => {
  it('imports no UI, file system, process, network or SDK module', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(CORE)) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const specifier = match[1]!;
        if (FORBIDDEN.some((f) => specifier === f || specifier.startsWith(`${f}/`))) {
          offenders.push(`${path.relative(CORE, file)} imports ${specifier}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
