import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  outputTail,
  receiptFromRun,
  receiptsPass,
  renderReceiptSummary,
} from '../../../src/core/build/receipts.js';
import { failing, receipt } from './build-fixtures.js';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n');

describe('outputTail', () => {
  it.each([
    ['short output whole', 'a\nb\n', 'a\nb'],
    ['empty output', '', ''],
    ['CRLF line ends', 'a\r\nb\r\n', 'a\nb'],
    ['the last 40 of 100 lines', `${lines(100)}\n`, Array.from({ length: 40 }, (_, i) => `line ${i + 61}`).join('\n')],
  ])('%s', (_title, output, tail) => {
    expect(outputTail(output)).toBe(tail);
  });

  it('caps a tail of huge lines in characters, keeping the end', () => {
    const tail = outputTail(`${'x'.repeat(20_000)}\nTHE END`, 40, 100);
    expect(tail).toHaveLength(100);
    expect(tail.startsWith('…')).toBe(true);
    expect(tail.endsWith('\nTHE END')).toBe(true);
  });
});

describe('receiptFromRun', () => {
  const gate = { name: 'test', command: 'npm test' };
  const run = { exitCode: 1, timedOut: false, durationMs: 42, output: `${lines(50)}\n`, outputSha256: 'f'.repeat(64) };

  it('keeps the exit code, hash and the tail of the output', () => {
    expect(receiptFromRun(gate, run, '2025-01-01T00:00:00.000Z')).toEqual({
      gate: 'test',
      command: 'npm test',
      exitCode: 1,
      timedOut: false,
      durationMs: 42,
      outputSha256: 'f'.repeat(64),
      outputTail: Array.from({ length: 40 }, (_, i) => `line ${i + 11}`).join('\n'),
      at: '2025-01-01T00:00:00.000Z',
    });
  });

  it('says when the command could not start or was aborted', () => {
    const r = receiptFromRun(gate, { ...run, exitCode: null, output: '', spawnError: 'ENOENT', aborted: true }, 'now');
    expect(r.exitCode).toBeNull();
    expect(r.outputTail).toBe('[codesleuth: the command could not start: ENOENT]\n[codesleuth: the run was stopped (aborted)]');
  });
});

describe('receiptsPass', () => {
  const lint = { name: 'lint', command: 'npm run lint' };
  const test = { name: 'test', command: 'npm test' };
  it.each([
    ['no receipts prove nothing', [], undefined, false],
    ['one passing receipt', [receipt()], undefined, true],
    ['a failing exit code', [receipt({ gate: 'lint', command: 'npm run lint' }), failing()], undefined, false],
    ['a timeout, whatever the code', [receipt({ timedOut: true })], undefined, false],
    ['no exit code (signal)', [receipt({ exitCode: null })], undefined, false],
    ['every expected gate passed', [receipt({ gate: 'lint', command: 'npm run lint' }), receipt()], [lint, test], true],
    ['an expected gate never ran', [receipt({ gate: 'lint', command: 'npm run lint' })], [lint, test], false],
    ['the receipt is for another command', [receipt({ gate: 'lint', command: 'true' }), receipt()], [lint, test], false],
  ] as const)('%s → %s', (_title, receipts, commands, pass) => {
    expect(receiptsPass(receipts, commands)).toBe(pass);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [4_210, '4.2 s'],
    [125_000, '2 min 5 s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('renderReceiptSummary', () => {
  const commands = [
    { name: 'lint', command: 'npm run lint' },
    { name: 'test', command: 'npm test' },
    { name: 'build', command: 'npm run build' },
  ];

  it('one line per gate for a commit body', () => {
    const text = renderReceiptSummary([receipt({ gate: 'lint', command: 'npm run lint', durationMs: 300 }), receipt(), receipt({ gate: 'build', command: 'npm run build', durationMs: 65_000 })], { commands });
    expect(text).toBe(
      [
        'Gates: PASS (3 of 3 passed)',
        '- lint: `npm run lint` → exit 0 in 300 ms (sha256 aaaaaaaaaaaa, 2025-01-02T03:04:05.000Z)',
        '- test: `npm test` → exit 0 in 1.2 s (sha256 aaaaaaaaaaaa, 2025-01-02T03:04:05.000Z)',
        '- build: `npm run build` → exit 0 in 1 min 5 s (sha256 aaaaaaaaaaaa, 2025-01-02T03:04:05.000Z)',
      ].join('\n'),
    );
  });

  it('lists the gates a failure kept from running, and the failing tail for a report', () => {
    const text = renderReceiptSummary([receipt({ gate: 'lint', command: 'npm run lint' }), failing()], { commands, includeFailureTail: true });
    expect(text.split('\n')).toEqual([
      'Gates: FAIL (1 of 3 passed)',
      '- lint: `npm run lint` → exit 0 in 1.2 s (sha256 aaaaaaaaaaaa, 2025-01-02T03:04:05.000Z)',
      '- test: `npm test` → exit 1 in 1.2 s (sha256 bbbbbbbbbbbb, 2025-01-02T03:04:05.000Z)',
      '- build: `npm run build` → not run (an earlier gate failed)',
      '',
      'Last lines of test:',
      '',
      '```',
      'not ok 1 - adds',
      '  expected 3, got 4',
      '```',
    ]);
  });

  it('says timed out rather than a code', () => {
    expect(renderReceiptSummary([receipt({ exitCode: null, timedOut: true })])).toContain('→ timed out in');
  });
});
