import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { IncompleteStreamError, redact, retryAfterMs, toProviderError } from '../../../src/providers/anthropic/error-mapping.js';
import { normalizeRetry, retryDelayMs } from '../../../src/providers/anthropic/retry-policy.js';

const context = { apiKey: 'sk-ant-secret-key-000', baseURL: 'http://127.0.0.1:1' };
const apiError = (status: number, type: string, message = 'nope', headers: Record<string, string> = {}) =>
  APIError.generate(status, { type: 'error', error: { type, message } }, undefined, new Headers(headers));

describe('error mapping', () => {
  it.each([
    [400, 'invalid_request_error', 'bad_request', false],
    [401, 'authentication_error', 'auth', false],
    [403, 'permission_error', 'auth', false],
    [404, 'not_found_error', 'bad_request', false],
    [429, 'rate_limit_error', 'rate_limit', true],
    [500, 'api_error', 'server', true],
    [503, 'api_error', 'server', true],
    [529, 'overloaded_error', 'overloaded', true],
  ] as const)('maps HTTP %i %s to kind %s (retryable: %s)', (status, type, kind, retryable) => {
    const error = toProviderError(apiError(status, type), context);
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(retryable);
    expect(error.status).toBe(status);
    expect(error.message).toContain(`(${status} ${type}): nope`);
  });

  it('maps an error event inside a stream (no status) by its type', () => {
    const error = new APIError(undefined, { type: 'error', error: { type: 'overloaded_error', message: 'busy' } }, undefined, undefined, 'overloaded_error');
    expect(toProviderError(error, context).kind).toBe('overloaded');
  });

  it('maps aborts, connection failures and broken streams', () => {
    expect(toProviderError(new APIUserAbortError(), context).kind).toBe('aborted');
    const aborted = new AbortController();
    aborted.abort();
    expect(toProviderError(new Error('whatever'), { ...context, signal: aborted.signal }).kind).toBe('aborted');
    const refused = toProviderError(new APIConnectionError({ cause: new Error('connect ECONNREFUSED') }), context);
    expect([refused.kind, refused.retryable]).toEqual(['network', true]);
    expect(refused.message).toContain('http://127.0.0.1:1');
    expect(toProviderError(new IncompleteStreamError(), context).kind).toBe('network');
    expect(toProviderError(new TypeError('terminated'), context).kind).toBe('network');
  });

  it('treats unknown errors as bugs, not as something to retry', () => {
    const error = toProviderError(new RangeError('oops'), context);
    expect([error.kind, error.retryable]).toEqual(['server', false]);
  });

  it('redacts the key if a response echoes it', () => {
    const error = toProviderError(apiError(400, 'invalid_request_error', `bad key ${context.apiKey}`), context);
    expect(error.message).not.toContain(context.apiKey);
    expect(error.message).toContain('[redacted]');
    expect(redact('no key here', context.apiKey)).toBe('no key here');
  });

  it('reads retry-after in seconds, milliseconds and as a date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2_000);
    expect(retryAfterMs(new Headers({ 'retry-after': '0.5' }))).toBe(500);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), now)).toBe(3_000);
    expect(retryAfterMs(new Headers({}))).toBeUndefined();
    expect(toProviderError(apiError(429, 'rate_limit_error', 'slow down', { 'retry-after': '4' }), context).retryAfterMs).toBe(4_000);
  });
});

describe('retry policy', () => {
  const options = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 350 };
  it('doubles the delay up to the cap, and lets retry-after win', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, options, undefined))).toEqual([100, 200, 350, 350]);
    expect(retryDelayMs(1, options, 2_000)).toBe(2_000);
  });
  it('clamps nonsense options from config', () => {
    expect(normalizeRetry({ maxAttempts: 0, baseDelayMs: -5, maxDelayMs: -1 })).toEqual({ maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 });
  });
});
