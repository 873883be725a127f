import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import { ProviderError, type ProviderErrorKind } from '../../core/provider/provider-error.js';
import { MalformedStreamError } from './stream-assembler.js';

/*
 * Turns whatever the SDK (or fetch under it) throws into a ProviderError a person can act on.
 * Messages never include the API key: we do not copy request data, and anything taken from a
 * response is passed through `redact` in case a proxy echoes the key back.
 */

/** What the mapper needs to know about the call that failed. */
export interface ErrorContext {
  readonly apiKey: string;
  readonly signal?: AbortSignal | undefined;
  /** Where the call went, for network errors (never contains credentials). */
  readonly baseURL: string;
}

/** The stream ended without `message_stop`: the connection dropped mid-answer. */
export class IncompleteStreamError extends Error {
  constructor() {
    super('the response stream ended before the message was complete');
    this.name = 'IncompleteStreamError';
  }
}

/** The text shown when no API key is configured; names the variable and the key-free demo. */
export function missingKeyMessage(): string {
  return (
    'No Anthropic API key found. Set ANTHROPIC_API_KEY in your environment ' +
    '(export ANTHROPIC_API_KEY=...) to use the real model, or start CodeSleuth with --demo ' +
    'to try the pipeline on scripted answers without a key.'
  );
}

/** The error `stream` throws when the key is missing; never crashes the caller. */
export function missingKeyError(): ProviderError {
  return new ProviderError('auth', missingKeyMessage(), {
    hint: 'Set ANTHROPIC_API_KEY, or run with --demo.',
    retryable: false,
  });
}

/** Replaces every occurrence of the key (if any) in text taken from outside. */
export function redact(text: string, apiKey: string): string {
  return apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
}

/** Reads `retry-after-ms` / `retry-after` (seconds or HTTP date) into milliseconds. */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (raw === null || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function kindForStatus(status: number | undefined, type: string | null): ProviderErrorKind {
  const authTypes = ['authentication_error', 'permission_error', 'billing_error'];
  if (status === 401 || status === 402 || status === 403 || (type !== null && authTypes.includes(type))) return 'auth';
  if (status === 429 || type === 'rate_limit_error') return 'rate_limit';
  if (status === 529 || type === 'overloaded_error') return 'overloaded';
  if (status === 408 || type === 'timeout_error') return 'network';
  if ((status !== undefined && status >= 500) || type === 'api_error') return 'server';
  if (status === undefined) return 'server'; // an `event: error` inside a stream without a known type
  return 'bad_request';
}

const LEADS: Readonly<Record<ProviderErrorKind, string>> = {
  auth: 'The Anthropic API refused the credentials',
  rate_limit: 'The Anthropic API rate limit was reached',
  overloaded: 'The Anthropic API is overloaded',
  server: 'The Anthropic API had an internal error',
  network: 'The connection to the Anthropic API failed',
  aborted: 'The model call was cancelled',
  bad_request: 'The Anthropic API rejected the request',
};

function fromApiError(error: APIError, context: ErrorContext): ProviderError {
  const kind = kindForStatus(error.status, error.type);
  const label = [error.status, error.type].filter((part) => part !== undefined && part !== null).join(' ');
  const detail = error.apiMessage === null ? '' : `: ${redact(error.apiMessage, context.apiKey)}`;
  const hint =
    error.status === 402 || error.type === 'billing_error'
      ? 'Check the billing status of the Anthropic account that owns ANTHROPIC_API_KEY.'
      : error.status === 403
        ? 'The key lacks access to this model; pick another model in the config or use another key.'
        : undefined;
  const wait = retryAfterMs(error.headers);
  return new ProviderError(kind, `${LEADS[kind]}${label === '' ? '' : ` (${label})`}${detail}`, {
    ...(hint === undefined ? {} : { hint }),
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(wait === undefined ? {} : { retryAfterMs: wait }),
    ...(error.requestID ? { requestId: error.requestID } : {}),
  });
}

/** True for the errors fetch raises when a response body is cut off (undici: "terminated"). */
function isBrokenBody(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = error.cause as { code?: unknown } | undefined;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  return (
    error.message === 'terminated' ||
    code.startsWith('UND_ERR') ||
    ['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT'].includes(code) ||
    error instanceof SyntaxError // a half-received event that failed to parse
  );
}

/** Maps anything thrown during a call to a ProviderError (aborts first: they win over noise). */
export function toProviderError(error: unknown, context: ErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const abortError = error instanceof APIUserAbortError || (error instanceof Error && error.name === 'AbortError');
  if (context.signal?.aborted === true || abortError) {
    return new ProviderError('aborted', LEADS.aborted + '.', { retryable: false });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError('network', `The Anthropic API at ${context.baseURL} did not answer in time.`);
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${redact(error.cause.message, context.apiKey)}` : '';
    return new ProviderError('network', `Could not reach the Anthropic API at ${context.baseURL}${cause}.`);
  }
  if (error instanceof APIError) return fromApiError(error, context);
  if (error instanceof IncompleteStreamError || isBrokenBody(error)) {
    return new ProviderError('network', 'The answer stream from the Anthropic API broke off mid-way.');
  }
  if (error instanceof MalformedStreamError) {
    return new ProviderError('server', `The Anthropic API sent a malformed answer: ${error.message}.`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError('server', `Unexpected error during the model call: ${redact(message, context.apiKey)}`, {
    hint: 'This looks like a CodeSleuth bug; please report it with the steps that led here.',
    retryable: false,
  });
}
