import type { TelemetryRecord } from '../../../src/core/budget/telemetry-record.js';

/** A valid record; override any field. */
export function record(overrides: Partial<TelemetryRecord> = {}): TelemetryRecord {
  return {
    time: '2026-11-23T16:30:00.000Z',
    session: 's-1',
    stage: 'building',
    agent: 'builder',
    task: 'T-1',
    model: 'claude-sonnet-4-6',
    input_tokens: 1_000,
    output_tokens: 200,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: 0.006,
    duration_ms: 1_500,
    stop_reason: 'end_turn',
    budget_tier: 'ok',
    ...overrides,
  };
}
