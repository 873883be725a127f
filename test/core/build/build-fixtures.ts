import type { Receipt } from '../../../src/core/build/receipts.js';

/** A receipt with sensible defaults (a passing `npm test`); override what a test is about. */
export function receipt(overrides: Partial<Receipt> = {}): Receipt {
  return {
    gate: 'test',
    command: 'npm test',
    exitCode: 0,
    timedOut: false,
    durationMs: 1_200,
    outputSha256: 'a'.repeat(64),
    outputTail: 'ok',
    at: '2025-01-02T03:04:05.000Z',
    ...overrides,
  };
}

export function failing(overrides: Partial<Receipt> = {}): Receipt {
  return receipt({ exitCode: 1, outputTail: 'not ok 1 - adds\n  expected 3, got 4', outputSha256: 'b'.repeat(64), ...overrides });
}
