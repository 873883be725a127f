import { z } from 'zod';
import type { StopReason, Usage } from '../provider/types.js';

/**
 * A UTC instant as `Date.prototype.toISOString` writes it (fraction optional). Shared with the
 * log reader's fast path so both accept exactly the same times.
 */
export const ISO_UTC_TIME = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?Z$/;

/** Longest session, stage, agent, task, model or stop reason a record may carry. */
export const MAX_LABEL_LENGTH = 200;

const label = z.string().min(1).max(MAX_LABEL_LENGTH);
const tokens = z.int().nonnegative();

/** The budget tiers, in the order they are reached. */
export const BUDGET_TIERS = ['ok', 'warning', 'exhausted'] as const;

/**
 * One model call, one JSON line of the telemetry log. The keys are snake_case because the log
 * is read by people and other tools; `appendTelemetry` writes them in this order. `stage` and
 * `stop_reason` are plain labels rather than enums so that a log written by an older or newer
 * CodeSleuth still adds up instead of dropping lines that cost money.
 */
export const telemetryRecordSchema = z
  .object({
    time: z.string().regex(ISO_UTC_TIME, 'expected a UTC time such as 2026-11-23T16:30:00.000Z'),
    session: label,
    stage: label,
    agent: label,
    task: label.optional(),
    model: label,
    input_tokens: tokens,
    output_tokens: tokens,
    cache_read_tokens: tokens,
    cache_write_tokens: tokens,
    cost_usd: z.number().finite().nonnegative(),
    duration_ms: z.int().nonnegative(),
    stop_reason: label,
    budget_tier: z.enum(BUDGET_TIERS),
  })
  .strict();

export type TelemetryRecord = z.infer<typeof telemetryRecordSchema>;

/** The field order of a written line; the log reader's fast path expects exactly this. */
export const TELEMETRY_FIELDS = [
  'time',
  'session',
  'stage',
  'agent',
  'task',
  'model',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cost_usd',
  'duration_ms',
  'stop_reason',
  'budget_tier',
] as const satisfies readonly (keyof TelemetryRecord)[];

/** One finished call in the session's own vocabulary, before it becomes a log line. */
export interface FinishedCall {
  readonly at: Date;
  readonly session: string;
  readonly stage: string;
  readonly agent: string;
  readonly task?: string;
  readonly model: string;
  readonly usage: Usage;
  /** From `BudgetLedger.record`, so the log and the ledger agree to the nano-dollar. */
  readonly costUsd: number;
  readonly durationMs: number;
  readonly stopReason: StopReason;
  readonly tier: TelemetryRecord['budget_tier'];
}

/** Pure: the telemetry record of a finished call (Usage's camelCase to the log's snake_case). */
export function toTelemetryRecord(call: FinishedCall): TelemetryRecord {
  return {
    time: call.at.toISOString(),
    session: call.session,
    stage: call.stage,
    agent: call.agent,
    ...(call.task === undefined ? {} : { task: call.task }),
    model: call.model,
    input_tokens: call.usage.inputTokens,
    output_tokens: call.usage.outputTokens,
    cache_read_tokens: call.usage.cacheReadTokens,
    cache_write_tokens: call.usage.cacheWriteTokens,
    cost_usd: call.costUsd,
    duration_ms: Math.max(0, Math.round(call.durationMs)),
    stop_reason: call.stopReason,
    budget_tier: call.tier,
  };
}
