/** Why a model call failed, in terms a person can act on. */
export type ProviderErrorKind =
  | 'auth'
  | 'rate_limit'
  | 'overloaded'
  | 'server'
  | 'network'
  | 'aborted'
  | 'bad_request';

/** Kinds that may succeed if the same request is sent again a little later. */
const RETRYABLE_KINDS: ReadonlySet<ProviderErrorKind> = new Set([
  'rate_limit',
  'overloaded',
  'server',
  'network',
]);

/** True when a failure of this kind is worth retrying unchanged. */
export function isRetryableKind(kind: ProviderErrorKind): boolean {
  return RETRYABLE_KINDS.has(kind);
}

/** Options of a `ProviderError`; every field besides the message is optional. */
export interface ProviderErrorOptions {
  /** What the person should do next. Defaults to a hint for the kind. */
  readonly hint?: string;
  /** HTTP status, when the API answered. */
  readonly status?: number;
  /** Server-requested wait before retrying (from `retry-after`), in milliseconds. */
  readonly retryAfterMs?: number;
  /** Overrides the kind's default retryability (e.g. a malformed reply is not worth retrying). */
  readonly retryable?: boolean;
  /** How many attempts were made before giving up. */
  readonly attempts?: number;
  /** The provider's request id, for a support ticket. */
  readonly requestId?: string;
}

const DEFAULT_HINTS: Readonly<Record<ProviderErrorKind, string>> = {
  auth: 'Check ANTHROPIC_API_KEY (a valid key with access to the model), or run with --demo.',
  rate_limit: 'Wait a minute and retry, or lower the number of agents running at once.',
  overloaded: 'The API is busy; wait a minute and retry.',
  server: 'The API had an internal error; retry shortly.',
  network: 'Check your network connection (and ANTHROPIC_BASE_URL if set), then retry.',
  aborted: 'The call was cancelled; nothing to do.',
  bad_request: 'The request was rejected as invalid; this is likely a CodeSleuth bug, please report it.',
};

/**
 * A failed model call. `message` is a human sentence (never contains credentials),
 * `hint` says what to do, `kind` lets callers decide (retry, ask for a key, stop quietly).
 */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly hint: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;
  readonly attempts: number | undefined;
  readonly requestId: string | undefined;

  constructor(kind: ProviderErrorKind, message: string, options: ProviderErrorOptions = {}) {
    super(message);
    this.name = 'ProviderError';
    this.kind = kind;
    this.hint = options.hint ?? DEFAULT_HINTS[kind];
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = options.retryable ?? isRetryableKind(kind);
    this.attempts = options.attempts;
    this.requestId = options.requestId;
  }
}

/** Narrowing helper for `catch (e)` blocks. */
export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
