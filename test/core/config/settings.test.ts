import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, resolveModel, settingsSchema } from '../../../src/core/config/settings.schema.js';

describe('settings', () => {
  it('accepts the shipped config/settings.json', () => {
    expect(settingsSchema.safeParse(JSON.parse(readFileSync('config/settings.json', 'utf8'))).success).toBe(true);
  });

  it('rejects unknown fields and bad values with their path', () => {
    const result = settingsSchema.safeParse({ max_workers: 0, colour: 'blue' });
    expect(result.success).toBe(false);
    if (result.success) return;
    const paths = result.error.issues.map((i) => i.path.join('.') || String((i as { keys?: string[] }).keys));
    expect(paths).toContain('max_workers');
  });

  it.each([
    [undefined, {}, undefined, 'claude-sonnet-4-6'],
    [undefined, {}, 'claude-opus-4-6', 'claude-opus-4-6'],
    [undefined, { builder: 'claude-haiku-4-5' }, 'claude-opus-4-6', 'claude-haiku-4-5'],
    ['claude-sonnet-5', { builder: 'claude-haiku-4-5' }, 'claude-opus-4-6', 'claude-sonnet-5'],
  ])('resolves the model (env %s, per agent %j, global %s) to %s', (env, perAgent, global, expected) => {
    const settings = { ...DEFAULT_SETTINGS, agent_models: perAgent as Record<string, string>, ...(global ? { model: global } : {}) };
    expect(resolveModel('builder', 'claude-sonnet-4-6', settings, env)).toBe(expected);
  });
});
