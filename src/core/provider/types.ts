/**
 * Our own model-provider vocabulary. The agent loop speaks only these types; an adapter
 * (src/providers/anthropic) translates them to and from one vendor's SDK. Pure: no SDK,
 * no I/O.
 */

/** Plain text written by the person, an agent prompt or the model. */
export interface TextBlock {
  readonly type: 'text';
  readonly text: string;
}

/** The model asks to run a tool; `id` ties the later result back to this call. */
export interface ToolUseBlock {
  readonly type: 'tool_use';
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
}

/** What a tool run returned to the model; `isError` marks a failed run the model should read. */
export interface ToolResultBlock {
  readonly type: 'tool_result';
  readonly toolUseId: string;
  readonly content: string;
  readonly isError: boolean;
}

/** One piece of a chat message. */
export type ContentBlock = TextBlock | ToolUseBlock | ToolResultBlock;

/** One turn of the conversation sent to the model. */
export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: readonly ContentBlock[];
}

/** A tool the model may call; `inputSchema` is JSON Schema (an object schema). */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
}

/**
 * One block of the system prompt. `cache: true` marks it part of the stable prefix
 * (agent prompt, long-lived artifacts); put cacheable blocks before volatile ones.
 */
export interface SystemBlock {
  readonly text: string;
  readonly cache?: boolean;
}

/** Everything one model call needs. `agent` (e.g. 'discovery') labels the call for routing and logs. */
export interface ModelRequest {
  readonly model: string;
  readonly system: readonly SystemBlock[];
  readonly tools: readonly ToolSpec[];
  readonly messages: readonly ChatMessage[];
  readonly maxTokens: number;
  readonly agent: string;
  readonly task?: string;
  readonly signal?: AbortSignal;
}

/** Token accounting of one call, as the provider bills it. */
export interface Usage {
  /** Input tokens neither read from nor written to the prompt cache. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
}

/** Why the model stopped; 'unknown' covers reasons newer than this code. */
export type StopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'stop_sequence'
  | 'pause_turn'
  | 'refusal'
  | 'unknown';

/** A piece of streamed text for the current attempt. */
export interface TextDeltaEvent {
  readonly type: 'text_delta';
  readonly text: string;
}

/**
 * A complete tool call. Emitted only once its input is fully assembled and the message
 * finished streaming, so an attempt that breaks off never yields a half or duplicate call.
 */
export interface ToolUseEvent {
  readonly type: 'tool_use';
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
}

/**
 * The current attempt broke (rate limit, overload, dropped stream) and another follows
 * after `delayMs`. Everything streamed by the broken attempt is void; `discardedText` says
 * whether any text deltas were already shown and must be cleared. `attempt` is the 1-based
 * number of the attempt about to start (2 for the first retry).
 */
export interface RetryEvent {
  readonly type: 'retry';
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
  readonly discardedText: boolean;
}

/** The final assistant message of a successful attempt; always the last event. */
export interface MessageEndEvent {
  readonly type: 'message_end';
  readonly stopReason: StopReason;
  readonly usage: Usage;
  readonly content: readonly ContentBlock[];
}

/** What a provider stream yields, in order: deltas and retries, then one message_end. */
export type ProviderEvent = TextDeltaEvent | ToolUseEvent | RetryEvent | MessageEndEvent;

/**
 * The port the agent loop calls. `stream` throws a `ProviderError` when the call cannot
 * succeed (after its own retries); it never returns without a `message_end`.
 */
export interface ModelProvider {
  stream(request: ModelRequest): AsyncIterable<ProviderEvent>;
  countTokens?(request: ModelRequest): Promise<number>;
}
