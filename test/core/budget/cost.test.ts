import { describe, expect, it } from 'vitest';
import { costNanosOf, costOf, formatUsd, groupDigits, worstCaseNanos } from '../../../src/core/budget/cost.js';
import { HAIKU, SONNET, usage } from './prices.js';

describe('costOf', () => {
  it.each([
    ['a million uncached input tokens', usage(1_000_000, 0), 3],
    ['a million output tokens', usage(0, 1_000_000), 15],
    ['a million cache reads', usage(0, 0, 1_000_000), 0.3],
    ['a million cache writes (5 minutes)', usage(0, 0, 0, 1_000_000), 3.75],
  ])('prices %s on Sonnet', (_what, u, usd) => {
    expect(costOf(u, SONNET)).toBe(usd);
  });

  it('adds the four kinds of token, each at its own rate', () => {
    // 1,200 × $3 + 350 × $15 + 50,000 × $0.30 + 2,000 × $3.75 per million
    expect(costOf(usage(1_200, 350, 50_000, 2_000), SONNET)).toBe(0.03135);
    expect(costNanosOf(usage(1_200, 350, 50_000, 2_000), SONNET)).toBe(31_350_000);
  });

  it('is exact for a single cheap token', () => {
    expect(costNanosOf(usage(0, 0, 1, 0), HAIKU)).toBe(100);
    expect(costOf(usage(0, 0, 1, 0), HAIKU)).toBe(1e-7);
  });

  it('a cached prompt costs less than the same prompt uncached', () => {
    expect(costOf(usage(1_000, 100, 99_000, 0), SONNET)).toBeLessThan(costOf(usage(100_000, 100), SONNET));
  });

  it('rejects token counts that are not whole numbers ≥ 0', () => {
    expect(() => costOf(usage(-1, 0), SONNET)).toThrow(RangeError);
    expect(() => costOf(usage(1.5, 0), SONNET)).toThrow(RangeError);
    expect(() => costOf(usage(0, Number.NaN), SONNET)).toThrow(RangeError);
  });
});

describe('worstCaseNanos', () => {
  it('prices every input token as a cache write, the dearest input rate, plus all output', () => {
    expect(worstCaseNanos(1_000, 100, SONNET)).toBe(1_000 * 3_750 + 100 * 15_000);
  });
});

describe('formatUsd', () => {
  it.each([
    [0, '$0.00'],
    [0.004, '$0.0040'],
    [0.03135, '$0.0314'],
    [1, '$1.00'],
    [12.5, '$12.50'],
    [1234.5, '$1,234.50'],
  ])('%d → %s', (usd, text) => {
    expect(formatUsd(usd)).toBe(text);
  });

  it('groups digits without a locale', () => {
    expect(groupDigits(1234567)).toBe('1,234,567');
    expect(groupDigits(999)).toBe('999');
  });
});
