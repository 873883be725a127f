import Anthropic from '@anthropic-ai/sdk';
import { ProviderError } from '../../core/provider/provider-error.js';
import type { ModelProvider, ModelRequest, ProviderEvent } from '../../core/provider/types.js';
import {
  IncompleteStreamError,
  missingKeyError,
  toProviderError,
  type ErrorContext,
} from './error-mapping.js';
import { requestHeaders, toApiPrompt } from './request-mapping.js';
import {
  MAX_RETRY_AFTER_MS,
  defaultSleep,
  normalizeRetry,
  retryDelayMs,
  type RetryOptions,
  type Sleep,
} from './retry-policy.js';
import { StreamAssembler } from './stream-assembler.js';

/*
 * The real provider: the official SDK with its own retries off, streaming every call. This
 * module only loads the SDK; it does nothing on import, so the composition root can
 * `await import()` it when a key is present and skip it in --demo mode.
 */

/** Everything the Anthropic provider needs; no field is read from the environment here. */
export interface AnthropicProviderOptions {
  /** May be missing: the provider then fails each call with a readable 'auth' error. */
  readonly apiKey: string | undefined;
  /** e.g. the fake server's URL; defaults to the SDK's (ANTHROPIC_BASE_URL or api.anthropic.com). */
  readonly baseURL?: string;
  /** A fetch to use instead of the global one. */
  readonly fetch?: typeof globalThis.fetch;
  readonly retry: RetryOptions;
  /** Injected by tests to skip real waiting. */
  readonly sleep?: Sleep;
  /** Per-request timeout; the SDK default (10 minutes) otherwise. */
  readonly timeoutMs?: number;
}

/** A ModelProvider that can always count tokens. */
export interface AnthropicProvider extends ModelProvider {
  countTokens(request: ModelRequest): Promise<number>;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new ProviderError('aborted', 'The model call was cancelled.', { retryable: false });
}

function gaveUp(last: ProviderError, attempts: number): ProviderError {
  return new ProviderError(
    last.kind,
    `The model call failed ${attempts} time${attempts === 1 ? '' : 's'}; giving up. Last error: ${last.message}`,
    {
      hint: last.hint,
      attempts,
      ...(last.status === undefined ? {} : { status: last.status }),
      ...(last.requestId === undefined ? {} : { requestId: last.requestId }),
    },
  );
}

function tooLongToWait(last: ProviderError, waitMs: number): ProviderError {
  const seconds = Math.ceil(waitMs / 1000);
  return new ProviderError(last.kind, `${last.message}. The API asked to wait ${seconds}s before retrying.`, {
    hint: `Wait about ${seconds} seconds, then run the step again.`,
    retryAfterMs: waitMs,
    ...(last.status === undefined ? {} : { status: last.status }),
  });
}

/** Creates the Anthropic-backed ModelProvider. Never throws, even without a key. */
export function createAnthropicProvider(options: AnthropicProviderOptions): AnthropicProvider {
  const apiKey = options.apiKey?.trim() ?? '';
  if (apiKey === '') {
    return {
      // A stream that fails before its first event, so callers handle it like any other failure.
      async *stream(): AsyncIterable<ProviderEvent> {
        throw missingKeyError();
      },
      countTokens: () => Promise.reject(missingKeyError()),
    };
  }
  const retry = normalizeRetry(options.retry);
  const sleep = options.sleep ?? defaultSleep;
  const client = new Anthropic({
    apiKey,
    authToken: null, // never let an ANTHROPIC_AUTH_TOKEN in the environment ride along
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    maxRetries: 0, // we retry ourselves, with events the UI can show
    logLevel: 'off', // the SDK logs to the console, which would tear the Ink UI; errors are thrown anyway
  });
  const contextFor = (request: ModelRequest): ErrorContext => ({
    apiKey,
    signal: request.signal,
    baseURL: client.baseURL,
  });

  async function* stream(request: ModelRequest): AsyncIterable<ProviderEvent> {
    const params = { ...toApiPrompt(request), max_tokens: request.maxTokens, stream: true as const };
    const requestOptions = {
      headers: requestHeaders(request),
      maxRetries: 0,
      ...(request.signal ? { signal: request.signal } : {}),
    };
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(request.signal);
      const assembler = new StreamAssembler();
      let failure: ProviderError;
      try {
        const events = await client.messages.create(params, requestOptions);
        for await (const event of events) {
          // Bytes already buffered keep flowing after an abort; stop at the next event.
          throwIfAborted(request.signal);
          for (const out of assembler.accept(event)) yield out;
        }
        throwIfAborted(request.signal);
        // The SDK ends quietly when our signal aborts it; a missing message_stop is a break.
        if (!assembler.complete) throw new IncompleteStreamError();
        yield assembler.end();
        return;
      } catch (error) {
        failure = toProviderError(error, contextFor(request));
      }
      if (!failure.retryable) throw failure;
      if (attempt >= retry.maxAttempts) throw gaveUp(failure, attempt);
      const asked = failure.retryAfterMs;
      if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) throw tooLongToWait(failure, asked);
      const delayMs = retryDelayMs(attempt, retry, asked);
      yield {
        type: 'retry',
        attempt: attempt + 1,
        delayMs,
        reason: failure.message,
        discardedText: assembler.textEmitted,
      };
      try {
        throwIfAborted(request.signal);
        await sleep(delayMs, request.signal);
      } catch (error) {
        throw toProviderError(error, contextFor(request));
      }
    }
  }

  async function countTokens(request: ModelRequest): Promise<number> {
    throwIfAborted(request.signal);
    try {
      const result = await client.messages.countTokens(toApiPrompt(request), {
        headers: requestHeaders(request),
        maxRetries: 0,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return result.input_tokens;
    } catch (error) {
      throw toProviderError(error, contextFor(request));
    }
  }

  return { stream, countTokens };
}
