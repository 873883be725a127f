import { describe, expect, it } from 'vitest';
import { summarise } from '../../../src/core/budget/summary.js';
import { telemetryRecordSchema, toTelemetryRecord } from '../../../src/core/budget/telemetry-record.js';
import { record } from './records.js';

describe('summarise', () => {
  it('adds up tokens, calls and cost per agent and in total', () => {
    const summary = summarise([
      record({ agent: 'planner', input_tokens: 100, output_tokens: 10, cache_read_tokens: 0, cache_write_tokens: 900, cost_usd: 0.5 }),
      record({ agent: 'builder', input_tokens: 50, output_tokens: 20, cache_read_tokens: 900, cache_write_tokens: 0, cost_usd: 0.25 }),
      record({ agent: 'builder', input_tokens: 50, output_tokens: 30, cache_read_tokens: 900, cache_write_tokens: 0, cost_usd: 0.5 }),
    ]);
    expect(summary.calls).toBe(3);
    expect(summary.tokens).toEqual({ input: 200, output: 60, cacheRead: 1_800, cacheWrite: 900 });
    expect(summary.costUsd).toBe(1.25);
    // 1,800 cache reads ÷ (200 input + 1,800 cache read + 900 cache write)
    expect(summary.cacheHitRatio).toBeCloseTo(1_800 / 2_900, 12);
    expect(summary.byAgent.map((a) => [a.agent, a.calls, a.costUsd, a.tokens.output])).toEqual([
      ['builder', 2, 0.75, 50],
      ['planner', 1, 0.5, 10],
    ]);
    expect(summary.byAgent[0]!.cacheHitRatio).toBeCloseTo(1_800 / 1_900, 12);
    expect(summary.byAgent[1]!.cacheHitRatio).toBe(0);
  });

  it('has no cache hit ratio before any input', () => {
    const empty = summarise([]);
    expect(empty).toEqual({ calls: 0, tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, costUsd: 0, cacheHitRatio: null, byAgent: [] });
  });

  it('sums cost without float drift', () => {
    // 1,000 × 0.1 in floating point is 99.9999999999986.
    expect(summarise(Array.from({ length: 1_000 }, () => record({ cost_usd: 0.1 }))).costUsd).toBe(100);
  });
});

describe('telemetryRecordSchema', () => {
  it('accepts a record with and without a task', () => {
    expect(telemetryRecordSchema.safeParse(record()).success).toBe(true);
    const { task: _task, ...withoutTask } = record();
    expect(telemetryRecordSchema.safeParse(withoutTask).success).toBe(true);
  });

  it.each([
    ['an unknown field', { ...record(), api_key: 'x' }],
    ['a local time', record({ time: '2026-11-23 16:30:00' })],
    ['a month 13', record({ time: '2026-13-01T00:00:00.000Z' })],
    ['negative tokens', record({ input_tokens: -1 })],
    ['fractional tokens', record({ output_tokens: 1.5 })],
    ['a negative cost', record({ cost_usd: -0.01 })],
    ['an unknown tier', { ...record(), budget_tier: 'fine' }],
    ['an empty agent', record({ agent: '' })],
    ['a 201-character model', record({ model: 'm'.repeat(201) })],
  ])('rejects %s', (_what, value) => {
    expect(telemetryRecordSchema.safeParse(value).success).toBe(false);
  });
});

describe('toTelemetryRecord', () => {
  it('turns a finished call into a valid record', () => {
    const r = toTelemetryRecord({
      at: new Date('2026-11-23T16:30:00.000Z'),
      session: 's-1',
      stage: 'building',
      agent: 'builder',
      model: 'claude-sonnet-4-6',
      usage: { inputTokens: 10, outputTokens: 20, cacheReadTokens: 30, cacheWriteTokens: 40 },
      costUsd: 0.00123,
      durationMs: 1234.6,
      stopReason: 'tool_use',
      tier: 'warning',
    });
    expect(telemetryRecordSchema.parse(r)).toEqual(r);
    expect(r).toMatchObject({ input_tokens: 10, output_tokens: 20, cache_read_tokens: 30, cache_write_tokens: 40, duration_ms: 1235, budget_tier: 'warning' });
    expect('task' in r).toBe(false);
  });
});
