import type { ModelPrice } from '../../../src/core/budget/pricing.js';

/** Sonnet 4.x list prices, the same as config/pricing.json; fixed here so tests do not read files. */
export const SONNET: ModelPrice = {
  family: 'claude-sonnet-4',
  prefixes: ['claude-sonnet-4'],
  usdPerMillionTokens: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  contextWindow: 200_000,
};

export const HAIKU: ModelPrice = {
  family: 'claude-haiku-4',
  prefixes: ['claude-haiku-4'],
  usdPerMillionTokens: { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
  contextWindow: 200_000,
};

export const usage = (inputTokens: number, outputTokens: number, cacheReadTokens = 0, cacheWriteTokens = 0) => ({
  inputTokens,
  outputTokens,
  cacheReadTokens,
  cacheWriteTokens,
});
