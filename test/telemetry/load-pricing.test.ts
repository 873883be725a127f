import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPricing } from '../../src/telemetry/load-pricing.js';

const installDir = path.resolve(import.meta.dirname, '..', '..');
let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'cs-pricing-'));
});
afterEach(async () => rm(home, { recursive: true, force: true }));

describe('loadPricing', () => {
  it('reads the shipped config/pricing.json when the home has none', async () => {
    const result = await loadPricing({ homeDir: home, installDir });
    expect(result.kind).toBe('ok');
    if (result.kind === 'ok') expect(result.value.models.some((m) => m.prefixes.includes('claude-sonnet-4'))).toBe(true);
  });

  it("prefers the home's copy, and reports what is wrong in it by field", async () => {
    await mkdir(path.join(home, 'config'), { recursive: true });
    const file = path.join(home, 'config', 'pricing.json');
    await writeFile(file, JSON.stringify({ pricesAsOf: '2026-11-23', source: 's', currency: 'USD', unit: 'per million tokens', models: [] }));
    const result = await loadPricing({ homeDir: home, installDir });
    expect(result).toMatchObject({ kind: 'invalid', file, problems: [{ field: 'models' }] });
  });
});
