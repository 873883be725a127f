import { setTimeout as delay } from 'node:timers/promises';

/** How the provider retries failed calls (the SDK's own retries are turned off). */
export interface RetryOptions {
  /** Total attempts including the first; 1 disables retrying. */
  readonly maxAttempts: number;
  /** Back-off before the first retry; doubles each time. */
  readonly baseDelayMs: number;
  /** Ceiling of the exponential back-off (a server's retry-after is honoured as given). */
  readonly maxDelayMs: number;
}

/** Waits `ms`; rejects (with an AbortError) as soon as `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * A server asking us to wait longer than this is not waited for inside one call: the
 * person is told to come back instead of watching a frozen spinner.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/** The real sleep, abortable. */
export const defaultSleep: Sleep = async (ms, signal) => {
  await delay(ms, undefined, signal === undefined ? {} : { signal });
};

/** Clamps options from config into usable numbers. */
export function normalizeRetry(options: RetryOptions): RetryOptions {
  const maxAttempts = Number.isFinite(options.maxAttempts) ? Math.max(1, Math.floor(options.maxAttempts)) : 1;
  const baseDelayMs = Math.max(0, options.baseDelayMs);
  return { maxAttempts, baseDelayMs, maxDelayMs: Math.max(baseDelayMs, options.maxDelayMs) };
}

/**
 * Delay before retrying after attempt number `failedAttempt` (1-based) failed. A server
 * `retry-after` wins; otherwise exponential back-off with a cap. No jitter: there is one
 * client per person, so there is no herd to spread, and tests stay deterministic.
 */
export function retryDelayMs(failedAttempt: number, options: RetryOptions, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const exponential = options.baseDelayMs * 2 ** Math.max(0, failedAttempt - 1);
  return Math.min(options.maxDelayMs, exponential);
}
