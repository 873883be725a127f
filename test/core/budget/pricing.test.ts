import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupPrice, pricingFileSchema, type PricingFile } from '../../../src/core/budget/pricing.js';

const shipped = path.resolve(import.meta.dirname, '..', '..', '..', 'config', 'pricing.json');

async function loadShipped(): Promise<PricingFile> {
  const parsed = pricingFileSchema.safeParse(JSON.parse(await readFile(shipped, 'utf8')));
  if (!parsed.success) throw new Error(parsed.error.message);
  return parsed.data;
}

describe('config/pricing.json', () => {
  it('is valid and dated', async () => {
    const pricing = await loadShipped();
    expect(pricing.pricesAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(pricing.models.length).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ['claude-sonnet-4-6', 'claude-sonnet-4', { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 }],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4', { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 }],
    ['claude-sonnet-4-0', 'claude-sonnet-4', { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 }],
    ['Claude-Sonnet-4-6', 'claude-sonnet-4', { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 }],
    ['claude-opus-4-6', 'claude-opus-4', { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 }],
    ['claude-opus-4-5-20251101', 'claude-opus-4', { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 }],
    ['claude-opus-4-1', 'claude-opus-4-1', { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 }],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1', { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 }],
    ['claude-opus-4-20250514', 'claude-opus-4-20250514', { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 }],
    ['claude-opus-4-10', 'claude-opus-4', { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 }],
    ['claude-haiku-4-5', 'claude-haiku-4', { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 }],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4', { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 }],
  ])('prices %s by the %s family', async (model, prefix, rates) => {
    const found = lookupPrice(await loadShipped(), model);
    expect(found.kind).toBe('ok');
    if (found.kind !== 'ok') return;
    expect(found.matchedPrefix).toBe(prefix);
    expect(found.price.usdPerMillionTokens).toEqual(rates);
    expect(found.price.contextWindow).toBe(200_000);
  });

  it.each(['gpt-4o', 'claude-3-7-sonnet-latest', 'claude-sonnet-40', 'claude-sonnet', ''])('refuses to guess a price for %j', async (model) => {
    const found = lookupPrice(await loadShipped(), model);
    expect(found.kind).toBe('unknown');
    if (found.kind !== 'unknown') return;
    expect(found.message).toMatch(/add it to config\/pricing\.json/i);
    expect(found.message).toContain(`"${model}"`);
  });
});

describe('pricingFileSchema', () => {
  const base = {
    pricesAsOf: '2026-11-23',
    source: 'test',
    currency: 'USD',
    unit: 'per million tokens',
    models: [{ family: 'x', prefixes: ['claude-x-1'], usdPerMillionTokens: { input: 1, output: 2, cacheWrite: 1.25, cacheRead: 0.1 }, contextWindow: 1000 }],
  };
  const problemsOf = (value: unknown) => {
    const parsed = pricingFileSchema.safeParse(value);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts a minimal table', () => {
    expect(problemsOf(base)).toEqual([]);
  });

  it('names the field that is wrong', () => {
    const model = base.models[0]!;
    expect(problemsOf({ ...base, models: [{ ...model, usdPerMillionTokens: { ...model.usdPerMillionTokens, output: -1 } }] }).join()).toContain(
      'models.0.usdPerMillionTokens.output',
    );
    expect(problemsOf({ ...base, models: [{ ...model, usdPerMillionTokens: { ...model.usdPerMillionTokens, input: 0.0001 } }] }).join()).toContain(
      'at most three decimals',
    );
    expect(problemsOf({ ...base, models: [model, { ...model, family: 'y' }] }).join()).toContain('listed twice');
    expect(problemsOf({ ...base, models: [{ ...model, surprise: 1 }] }).join()).toMatch(/surprise/);
    expect(problemsOf({ ...base, currency: 'EUR' }).join()).toContain('currency');
  });
});
