import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { transform } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/store/atomic-write.js';

let dir: string;
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file behind', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cs-atomic-'));
    const file = path.join(dir, 'HANDOFF.json');
    await writeFile(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['HANDOFF.json']);
  });

  it('creates missing parent directories', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cs-atomic-'));
    const file = path.join(dir, 'a', 'b', 'x.json');
    await writeFileAtomic(file, '{}');
    expect(await readFile(file, 'utf8')).toBe('{}');
  });

  it('never leaves a half file when the writer is killed mid-write', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cs-atomic-'));
    const file = path.join(dir, 'state.json');
    // The module, transpiled for a plain node child that is killed while it writes.
    const { code } = await transform(await readFile(path.resolve('src/store/atomic-write.ts'), 'utf8'), { loader: 'ts', format: 'esm' });
    const modulePath = path.join(dir, 'atomic-write.mjs');
    await writeFile(modulePath, code);
    // A writer that rewrites a large file in a loop, each version whole and self-checking.
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(modulePath)};
      let n = 0;
      for (;;) { n++; await writeFileAtomic(${JSON.stringify(file)}, JSON.stringify({ n, pad: 'x'.repeat(4_000_000) })); if (n === 1) console.log('first'); }
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { n: number; pad: string };
    expect(parsed.n).toBeGreaterThanOrEqual(1);
    expect(parsed.pad).toHaveLength(4_000_000);
  });
});
