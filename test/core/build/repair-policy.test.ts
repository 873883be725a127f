import { describe, expect, it } from 'vitest';
import { MAX_REPAIR_ATTEMPTS, nextAfterGateFailure, type GateRun } from '../../../src/core/build/repair-policy.js';
import { failing, receipt } from './build-fixtures.js';

const lint = receipt({ gate: 'lint', command: 'npm run lint' });
const failedRun: GateRun = [lint, failing()];
const runs = (n: number): GateRun[] => Array.from({ length: n }, () => failedRun);

describe('nextAfterGateFailure', () => {
  it.each([
    [1, { kind: 'retry', attempt: 1 }],
    [2, { kind: 'retry', attempt: 2 }],
    [5, { kind: 'retry', attempt: 5 }],
    [6, { kind: 'blocked' }],
    [9, { kind: 'blocked' }],
  ])('after %d failing gate runs (the first is the Builder’s own) → %j', (count, expected) => {
    expect(nextAfterGateFailure(runs(count))).toMatchObject(expected);
  });

  it('blocks after exactly five failed repairs, with the last receipts', () => {
    expect(MAX_REPAIR_ATTEMPTS).toBe(5);
    const last: GateRun = [lint, failing({ outputTail: 'the very last failure' })];
    const decision = nextAfterGateFailure([...runs(5), last]);
    expect(decision).toEqual({
      kind: 'blocked',
      reason: 'the gates still fail after 5 repair attempts: test (`npm test`) ended with exit 1',
      lastReceipts: last,
    });
  });

  it('honours another limit', () => {
    expect(nextAfterGateFailure(runs(2), { maxAttempts: 1 }).kind).toBe('blocked');
    expect(nextAfterGateFailure(runs(1), { maxAttempts: 0 }).kind).toBe('blocked');
  });

  it('feeds back the failing gate, what passed, the attempt and the tail of its output', () => {
    const decision = nextAfterGateFailure(runs(2));
    expect(decision.kind).toBe('retry');
    if (decision.kind !== 'retry') return;
    expect(decision.feedback.split('\n')).toEqual([
      'The gate `test` failed: `npm test` ended with exit 1.',
      'Passed before it: lint.',
      'This is repair attempt 2 of 5; after the last one the task is BLOCKED for a person to decide.',
      '',
      'The last lines of its output (the runtime ran the command itself):',
      '',
      '```',
      'not ok 1 - adds',
      '  expected 3, got 4',
      '```',
      '',
      'Find the cause in the code, fix it, run the failing command yourself to check, then report. Do not weaken or skip the check.',
    ]);
  });

  it('points a timeout at hangs, and fences output that holds backticks', () => {
    const decision = nextAfterGateFailure([[failing({ exitCode: null, timedOut: true, outputTail: 'waiting ```' })]]);
    if (decision.kind !== 'retry') throw new Error('expected a retry');
    expect(decision.feedback).toContain('The gate `test` failed: `npm test` timed out.');
    expect(decision.feedback).toContain('No gate passed before it.');
    expect(decision.feedback).toContain('````\nwaiting ```\n````');
    expect(decision.feedback).toContain('did not finish in time');
  });

  it.each([
    ['no runs', []],
    ['a passing last run', [[receipt()]]],
  ])('refuses %s (a caller bug, not a build state)', (_title, input) => {
    expect(() => nextAfterGateFailure(input)).toThrow(RangeError);
  });
});
