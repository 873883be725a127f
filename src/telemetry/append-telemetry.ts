import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { NANOS_PER_USD } from '../core/budget/cost.js';
import { TELEMETRY_FIELDS, telemetryRecordSchema, type TelemetryRecord } from '../core/budget/telemetry-record.js';
import { formatProblems, zodProblems } from '../core/validation.js';
import { containsSecret, redactSecrets } from './api-key-guard.js';

/** Options for appendTelemetry. */
export interface AppendOptions {
  /** Exact secret values to keep out of the log too (the configured API key, a proxy token). */
  readonly secrets?: readonly string[];
}

/** What appendTelemetry did; `redactedFields` names fields whose text held a key. */
export interface AppendOutcome {
  readonly redactedFields: readonly string[];
}

const STRING_FIELDS = ['time', 'session', 'stage', 'agent', 'task', 'model', 'stop_reason'] as const;

/** Directories already created by this process; saves a mkdir per call. */
const madeDirectories = new Set<string>();

/**
 * The line for a record: keys in the schema's order, no spaces, and cost_usd in whole
 * nano-dollars so it prints as a short exact decimal. This is the shape the log reader's fast
 * path expects; anything else is still read, only more slowly.
 */
export function toTelemetryLine(record: TelemetryRecord): string {
  const ordered: Record<string, unknown> = {};
  for (const field of TELEMETRY_FIELDS) {
    const value = field === 'cost_usd' ? Math.round(record.cost_usd * NANOS_PER_USD) / NANOS_PER_USD : record[field];
    if (value !== undefined) ordered[field] = value;
  }
  return `${JSON.stringify(ordered)}\n`;
}

/**
 * Appends one record as one JSON line with a single append (O_APPEND) write, so concurrent
 * calls never interleave inside a line; creates the parent directory; creates the file
 * readable by its owner only. Text that looks like an Anthropic API key, or equals one of
 * `options.secrets`, is replaced by [REDACTED] before anything is written, and the finished
 * line is checked again: a line that would still hold a key is refused (throws).
 * A record that does not match the schema throws (it is a bug in the caller).
 */
export async function appendTelemetry(file: string, record: TelemetryRecord, options: AppendOptions = {}): Promise<AppendOutcome> {
  const secrets = options.secrets ?? [];
  const redactedFields: string[] = [];
  const clean: Record<string, unknown> = { ...record };
  for (const field of STRING_FIELDS) {
    const value = record[field];
    if (typeof value === 'string' && containsSecret(value, secrets)) {
      clean[field] = redactSecrets(value, secrets);
      redactedFields.push(field);
    }
  }
  const parsed = telemetryRecordSchema.safeParse(clean);
  if (!parsed.success) {
    throw new Error(`refusing to write an invalid telemetry record:\n${formatProblems(zodProblems(file, parsed.error))}`);
  }
  const line = toTelemetryLine(parsed.data);
  if (containsSecret(line, secrets)) throw new Error('refusing to write a telemetry line that still holds an API key');

  const directory = path.dirname(file);
  if (!madeDirectories.has(directory)) {
    await mkdir(directory, { recursive: true });
    madeDirectories.add(directory);
  }
  // One appendFile of the whole line: a line is at most a few KB (every label is capped at
  // MAX_LABEL_LENGTH), far below the size at which Node splits a write.
  try {
    await appendFile(file, line, { encoding: 'utf8', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // The directory was removed since this process made it: make it again, once.
    await mkdir(directory, { recursive: true });
    await appendFile(file, line, { encoding: 'utf8', mode: 0o600 });
  }
  return { redactedFields };
}
