import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadGateCommands } from '../../src/build/load-gate-commands.js';
import { runGateCommands } from '../../src/build/run-gate-commands.js';
import { receiptsPass, renderReceiptSummary } from '../../src/core/build/receipts.js';
import { nextAfterGateFailure } from '../../src/core/build/repair-policy.js';

/*
 * A real Node project on disk with a real `node --test` suite, run through npm and the
 * process runner: the receipts carry the exit codes the processes returned.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'codesleuth-gates-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SLOW = 120_000; // npm and node start-up on a busy machine
const OPTIONS = { timeoutMs: 60_000 };

async function writeProject(files: Record<string, string>): Promise<void> {
  const pkg = {
    name: 'gate-fixture',
    version: '1.0.0',
    private: true,
    type: 'module',
    scripts: {
      lint: 'node lint.mjs',
      test: 'node --test',
      build: 'node build.mjs',
      start: 'node src/sum.mjs',
    },
  };
  await mkdir(path.join(dir, 'src'), { recursive: true });
  await mkdir(path.join(dir, 'test'), { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  await writeFile(path.join(dir, 'lint.mjs'), "console.log('lint: 0 problems');\n");
  await writeFile(path.join(dir, 'build.mjs'), "import { writeFileSync } from 'node:fs';\nwriteFileSync('built.txt', 'ok');\nconsole.log('built');\n");
  await writeFile(path.join(dir, 'src', 'sum.mjs'), 'export function sum(a, b) {\n  return a + b;\n}\n');
  await writeFile(
    path.join(dir, 'test', 'sum.test.mjs'),
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.mjs';\n\ntest('adds two numbers', () => {\n  assert.equal(sum(2, 3), 5);\n});\n",
  );
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
}

const FAILING_TEST =
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.mjs';\n\ntest('adds negative numbers', () => {\n  assert.equal(sum(-2, -3), -6, 'sum of negatives is off');\n});\n";

describe('runGateCommands on a real project', () => {
  it(
    'detects the gates from package.json and receipts three passing runs',
    async () => {
      await writeProject({});
      const detected = await loadGateCommands(dir);
      expect(detected.commands).toEqual([
        { name: 'lint', command: 'npm run lint' },
        { name: 'test', command: 'npm test' },
        { name: 'build', command: 'npm run build' },
      ]);
      const receipts = await runGateCommands(dir, detected.commands, OPTIONS);
      expect(receipts.map((r) => [r.gate, r.exitCode, r.timedOut])).toEqual([
        ['lint', 0, false],
        ['test', 0, false],
        ['build', 0, false],
      ]);
      expect(receiptsPass(receipts, detected.commands)).toBe(true);
      expect(receipts[0]!.outputTail).toContain('lint: 0 problems');
      expect(receipts[1]!.outputTail).toMatch(/# pass 1/);
      expect(receipts[1]!.outputTail).toMatch(/# fail 0/);
      for (const r of receipts) {
        expect(r.outputSha256).toMatch(/^[0-9a-f]{64}$/);
        expect(r.durationMs).toBeGreaterThan(0);
        expect(Number.isNaN(Date.parse(r.at))).toBe(false);
      }
      expect(renderReceiptSummary(receipts, { commands: detected.commands })).toMatch(/^Gates: PASS \(3 of 3 passed\)\n- lint: `npm run lint` → exit 0 in /);
    },
    SLOW,
  );

  it(
    'stops at a failing node --test suite with its real exit code, and the tail feeds the repair',
    async () => {
      await writeProject({ 'test/negative.test.mjs': FAILING_TEST });
      const { commands } = await loadGateCommands(dir);
      const receipts = await runGateCommands(dir, commands, OPTIONS);
      expect(receipts.map((r) => [r.gate, r.exitCode])).toEqual([
        ['lint', 0],
        ['test', 1],
      ]);
      expect(receiptsPass(receipts, commands)).toBe(false);
      const tail = receipts[1]!.outputTail;
      expect(tail).toMatch(/# pass 1/);
      expect(tail).toMatch(/# fail 1/);
      expect(tail.split('\n').length).toBeLessThanOrEqual(40);
      const decision = nextAfterGateFailure([receipts]);
      expect(decision.kind).toBe('retry');
      if (decision.kind !== 'retry') return;
      expect(decision.feedback).toContain('The gate `test` failed: `npm test` ended with exit 1.');
      expect(decision.feedback).toContain('sum of negatives is off');
      expect(renderReceiptSummary(receipts, { commands })).toContain('- build: `npm run build` → not run (an earlier gate failed)');
    },
    SLOW,
  );

  it(
    'records a gate that hangs as timed out, without an exit code',
    async () => {
      await writeProject({});
      const receipts = await runGateCommands(
        dir,
        [
          { name: 'hang', command: 'node -e "setTimeout(() => {}, 60000)"' },
          { name: 'never', command: 'node -e "0"' },
        ],
        { timeoutMs: 1_000 },
      );
      expect(receipts).toHaveLength(1);
      expect(receipts[0]).toMatchObject({ gate: 'hang', exitCode: null, timedOut: true });
    },
    SLOW,
  );

  it('runs nothing once the signal is aborted', async () => {
    await writeProject({});
    const controller = new AbortController();
    controller.abort();
    expect(await runGateCommands(dir, [{ name: 'lint', command: 'npm run lint' }], { ...OPTIONS, signal: controller.signal })).toEqual([]);
  });

  it('uses the clock and runner it is given', async () => {
    const calls: string[] = [];
    const receipts = await runGateCommands(dir, [{ name: 'a', command: 'x' }], {
      timeoutMs: 5,
      now: () => new Date('2025-05-05T05:05:05.000Z'),
      runner: async (o) => {
        calls.push(`${o.command} in ${o.cwd} ≤${o.timeoutMs}ms`);
        return { exitCode: 3, signal: null, timedOut: false, aborted: false, durationMs: 7, stdout: '', stderr: 'bad\n', output: 'bad\n', outputSha256: 'c'.repeat(64), truncated: false };
      },
    });
    expect(calls).toEqual([`x in ${dir} ≤5ms`]);
    expect(receipts).toEqual([{ gate: 'a', command: 'x', exitCode: 3, timedOut: false, durationMs: 7, outputSha256: 'c'.repeat(64), outputTail: 'bad', at: '2025-05-05T05:05:05.000Z' }]);
  });
});

describe('loadGateCommands', () => {
  it.each([
    ['package.json that is not JSON', '{ "scripts": ', /package\.json is not valid JSON .*type !gates set test <command>/],
    ['scripts of the wrong shape', '{ "scripts": { "test": 1 } }', /package\.json is not what was expected:\n- scripts\.test:/],
  ])('reports %s as a problem, not a throw', async (_title, text, problem) => {
    if (text !== undefined) await writeFile(path.join(dir, 'package.json'), text);
    const result = await loadGateCommands(dir);
    expect(result.commands).toEqual([]);
    expect(result.problem).toMatch(problem);
  });
});

describe('loadGateCommands beyond package.json', () => {
  it('says what it looked for and what to type when the project has no file it knows', async () => {
    await writeFile(path.join(dir, 'README.md'), '# x\n');
    const result = await loadGateCommands(dir);
    expect(result.commands).toEqual([]);
    expect(result.notes.join('\n')).toContain('type !gates set test <command>');
  });

  it('reads a Go module and a Makefile with its own test target', async () => {
    await writeFile(path.join(dir, 'go.mod'), 'module example.com/x\n');
    await writeFile(path.join(dir, 'Makefile'), 'test:\n\tgo test -race ./...\n');
    const result = await loadGateCommands(dir);
    expect(result.commands).toEqual([
      { name: 'test', command: 'make test' },
      { name: 'build', command: 'go build ./...' },
    ]);
    expect(result.sources).toEqual({ test: 'Makefile target "test"', build: 'go.mod' });
  });

  it('uses pytest when a requirements file names it and tests/ holds Python', async () => {
    await mkdir(path.join(dir, 'tests'));
    await writeFile(path.join(dir, 'tests', 'test_sums.py'), 'def test_x():\n    assert True\n');
    await writeFile(path.join(dir, 'requirements-dev.txt'), 'pytest>=8\n');
    expect((await loadGateCommands(dir)).commands).toEqual([{ name: 'test', command: 'python3 -m pytest' }]);
  });

  it('uses unittest when pyproject.toml does not name pytest', async () => {
    await writeFile(path.join(dir, 'pyproject.toml'), '[project]\nname = "sums"\n');
    const result = await loadGateCommands(dir);
    expect(result.commands).toEqual([{ name: 'test', command: 'python3 -m unittest discover' }]);
    expect(result.sources).toEqual({ test: 'pyproject.toml (pytest is not named, so unittest)' });
  });

  it('keeps package.json first when it has gate scripts, and falls back to the other files when it has none', async () => {
    await writeFile(path.join(dir, 'Cargo.toml'), '[package]\nname = "x"\n');
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'node --test' } }));
    const first = await loadGateCommands(dir);
    expect(first.commands).toEqual([{ name: 'test', command: 'npm test' }]);
    expect(first.sources).toEqual({ test: 'package.json script "test": node --test' });
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'node .' } }));
    expect((await loadGateCommands(dir)).commands).toEqual([
      { name: 'test', command: 'cargo test' },
      { name: 'build', command: 'cargo build' },
    ]);
  });
});
