import type { Usage } from '../provider/types.js';
import type { ModelPrice } from './pricing.js';

/**
 * Money is counted in whole nano-dollars (1e-9 USD) inside the budget code. Every listed rate
 * has at most three decimals per million tokens, so tokens × rate is an exact integer count of
 * nano-dollars; sums and the cap comparisons are then exact, where float dollars would let a
 * long session drift by a rounding error past a cap or short of the 80 % warning.
 * Number.MAX_SAFE_INTEGER nano-dollars is about nine million dollars.
 */
export const NANOS_PER_USD = 1_000_000_000;

/** The largest amount, in USD, a budget may be set to; keeps nano-dollar sums exact. */
export const MAX_BUDGET_USD = 1_000_000;

/** Nano-dollars per token for a rate given in USD per million tokens (0.3 → 300). */
function nanosPerToken(usdPerMillion: number): number {
  return Math.round(usdPerMillion * 1000);
}

function checkTokens(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number of tokens ≥ 0, got ${value}`);
}

/** Whole nano-dollars a call with this usage costs. */
export function costNanosOf(usage: Usage, price: ModelPrice): number {
  checkTokens('inputTokens', usage.inputTokens);
  checkTokens('outputTokens', usage.outputTokens);
  checkTokens('cacheReadTokens', usage.cacheReadTokens);
  checkTokens('cacheWriteTokens', usage.cacheWriteTokens);
  const rates = price.usdPerMillionTokens;
  return (
    usage.inputTokens * nanosPerToken(rates.input) +
    usage.outputTokens * nanosPerToken(rates.output) +
    usage.cacheReadTokens * nanosPerToken(rates.cacheRead) +
    usage.cacheWriteTokens * nanosPerToken(rates.cacheWrite)
  );
}

/**
 * What a call cost in USD: uncached input, output, cache reads and (5-minute) cache writes,
 * each at its own rate. Exact to the nano-dollar.
 */
export function costOf(usage: Usage, price: ModelPrice): number {
  return nanosToUsd(costNanosOf(usage, price));
}

/**
 * The most a call can cost before it is made: every input token at the dearest input rate
 * (a cache write costs 1.25× plain input, so "all uncached" is not the worst case when a
 * breakpoint is set) and every permitted output token.
 */
export function worstCaseNanos(projectedInputTokens: number, maxOutputTokens: number, price: ModelPrice): number {
  checkTokens('projectedInputTokens', projectedInputTokens);
  checkTokens('maxOutputTokens', maxOutputTokens);
  const rates = price.usdPerMillionTokens;
  const dearestInput = Math.max(rates.input, rates.cacheWrite, rates.cacheRead);
  return projectedInputTokens * nanosPerToken(dearestInput) + maxOutputTokens * nanosPerToken(rates.output);
}

export function nanosToUsd(nanos: number): number {
  return nanos / NANOS_PER_USD;
}

export function usdToNanos(usd: number): number {
  return Math.round(usd * NANOS_PER_USD);
}

/**
 * Dollars for people: cents from $1 up, four decimals below so that a $0.004 call does not
 * read as free. Deterministic (no locale).
 */
export function formatUsd(usd: number): string {
  const sign = usd < 0 ? '-' : '';
  const abs = Math.abs(usd);
  if (abs === 0) return '$0.00';
  return `${sign}$${abs >= 1 ? groupDigits(abs.toFixed(2)) : abs.toFixed(4)}`;
}

/** 1234567 → "1,234,567"; keeps any decimal part. Deterministic (no locale). */
export function groupDigits(value: number | string): string {
  const text = typeof value === 'number' ? String(value) : value;
  const [whole = '', fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}
