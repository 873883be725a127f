import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadGateScripts, loadPackageScripts } from '../../src/build/load-gate-commands.js';

/* The gate scripts' bodies as read from a real package.json on disk. */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'codesleuth-gate-scripts-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const writePackage = (json: unknown) => writeFile(path.join(dir, 'package.json'), typeof json === 'string' ? json : JSON.stringify(json));

describe('loadGateScripts', () => {
  it('reads the bodies of the scripts the detected gates run, or those the person\'s commands run', async () => {
    await writePackage({ scripts: { lint: 'eslint .', test: 'node --test', start: 'node server.js', check: 'tsc --noEmit' } });
    expect(await loadGateScripts(dir)).toEqual({ lint: 'eslint .', test: 'node --test' });
    expect(await loadGateScripts(dir, [{ name: 'check', command: 'npm run check' }, { name: 'make', command: 'make all' }])).toEqual({ check: 'tsc --noEmit' });
  });

  it('is empty without a package.json, with one that is not JSON, or with scripts that are not strings', async () => {
    expect(await loadGateScripts(dir)).toEqual({});
    expect(await loadPackageScripts(dir)).toEqual({});
    await writePackage('{ "scripts": ');
    expect(await loadPackageScripts(dir)).toEqual({});
    await writePackage({ scripts: { test: 42 } });
    expect(await loadPackageScripts(dir)).toEqual({});
  });
});
