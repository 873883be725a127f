import type { ProviderErrorKind } from '../provider/provider-error.js';
import type { ChatMessage, ModelProvider, StopReason, SystemBlock, Usage } from '../provider/types.js';
import type { ToolContext, ToolDefinition } from '../tools/types.js';
import type { StructuredToolSpec } from './structured-tools.js';

/*
 * The vocabulary of one agent run: the options it takes, the budget port it calls, the one
 * event union every consumer reads (Ink UI, headless mode, telemetry) and the outcome union.
 */

/** What is known about a model call before it is sent. */
export interface CallEstimate {
  readonly agent: string;
  readonly model: string;
  /** A deliberately high estimate of the request's input tokens (see request-size.ts). */
  readonly projectedInputTokens: number;
  /** The request's max_tokens: the most output the call can be billed for. */
  readonly maxOutputTokens: number;
}

/**
 * The budget's answer before a call. `hold` is whatever the guard wants back with the call's
 * result (e.g. the ledger's ticket holding the call's worst case); the loop never reads it.
 */
export type BudgetDecision<H = unknown> =
  | { readonly kind: 'allow'; readonly hold?: H }
  | { readonly kind: 'refuse'; readonly message: string };

/** One billed call, reported once its message ended. */
export interface CallRecord<H = unknown> {
  readonly agent: string;
  readonly task: string | undefined;
  readonly model: string;
  readonly usage: Usage;
  readonly durationMs: number;
  readonly stopReason: StopReason;
  readonly hold: H | undefined;
}

/** An allowed call that ended without a bill we know of (failed, aborted, or abandoned). */
export interface CallRelease<H = unknown> {
  readonly agent: string;
  readonly model: string;
  readonly hold: H | undefined;
  readonly reason: 'failed' | 'aborted';
}

/**
 * The budget port. The composition root implements it with the ledger and telemetry:
 * `beforeCall` runs before every request (a refusal means no request is sent), `afterCall`
 * records what the provider billed, `releaseCall` frees a hold when no bill arrived. A throw
 * from beforeCall or afterCall ends the run as 'failed' (kind 'internal').
 */
export interface BudgetGuard<H = unknown> {
  beforeCall(call: CallEstimate): BudgetDecision<H>;
  afterCall(call: CallRecord<H>): void | Promise<void>;
  /** Must not throw: it also runs while a consumer closes the run, when nothing can report it. */
  releaseCall?(call: CallRelease<H>): void;
}

/** The agent as the loop needs it; built from an AgentDefinition and composeSystemPrompt. */
export interface AgentRunSpec {
  /** Routes and labels the calls, e.g. 'discovery' (sent as x-codesleuth-agent). */
  readonly id: string;
  readonly model: string;
  readonly maxTokens: number;
  /** The most model requests this run may make; the loop stops itself there. */
  readonly maxTurns: number;
  readonly system: readonly SystemBlock[];
}

/** Everything one run needs. `messages` is copied, never changed. */
export interface RunAgentOptions<H = unknown> {
  readonly provider: ModelProvider;
  readonly agent: AgentRunSpec;
  /** The task id for logs and the ledger (the Builder's T3, ...). */
  readonly task?: string;
  /** File tools (possibly none), run through runTool. */
  readonly tools: readonly ToolDefinition[];
  /** Structured tools the loop validates and acts on itself. */
  readonly structuredTools: readonly StructuredToolSpec[];
  /** The conversation so far; must end with a user message (see conversation.ts). */
  readonly messages: readonly ChatMessage[];
  readonly toolContext: ToolContext;
  readonly budget: BudgetGuard<H>;
  readonly signal?: AbortSignal;
  /** Clock in milliseconds, for call durations. */
  readonly now?: () => number;
}

/** A model request is about to be made (turns count from 1 within a run). */
export interface TurnStartEvent {
  readonly type: 'turn_start';
  readonly turn: number;
}

/** Streamed model text. */
export interface AgentTextDeltaEvent {
  readonly type: 'text_delta';
  readonly text: string;
}

/** The provider retries the request; when `discardedText`, clear the text streamed this turn. */
export interface AgentRetryEvent {
  readonly type: 'retry';
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
  readonly discardedText: boolean;
}

/** The model called a tool (emitted just before it runs or is validated). */
export interface ToolCallEvent {
  readonly type: 'tool_call';
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
}

/**
 * A tool call's result. `display` is for the person; the model reads the full result.
 * `reused`: the id had already run, so its stored result was sent again and nothing re-ran.
 */
export interface ToolResultEvent {
  readonly type: 'tool_result';
  readonly id: string;
  readonly name: string;
  readonly display: string;
  readonly isError: boolean;
  readonly reused: boolean;
  readonly changedFiles?: readonly string[];
}

/** What one call was billed, once its message ended. */
export interface UsageEvent {
  readonly type: 'usage';
  readonly model: string;
  readonly usage: Usage;
  readonly durationMs: number;
  readonly stopReason: StopReason;
}

/** The turn's message ended and its tools ran. */
export interface TurnEndEvent {
  readonly type: 'turn_end';
  readonly turn: number;
  readonly stopReason: StopReason;
}

/** Something failed; the outcome that follows says what the run became. */
export interface AgentErrorEvent {
  readonly type: 'error';
  readonly message: string;
  readonly hint?: string;
}

/** The one event stream of an agent run. */
export type AgentEvent =
  | TurnStartEvent
  | AgentTextDeltaEvent
  | AgentRetryEvent
  | ToolCallEvent
  | ToolResultEvent
  | UsageEvent
  | TurnEndEvent
  | AgentErrorEvent;

/** Why a run failed: a provider error kind, a transcript the loop cannot continue, or a bug. */
export interface AgentFailure {
  readonly kind: ProviderErrorKind | 'transcript' | 'internal';
  readonly message: string;
  readonly hint?: string;
}

/**
 * How a run ended. `messages` is always the whole new transcript (input copy plus what this
 * run added), valid to send again: every tool call in it has its result, except the pending
 * pausing call of a 'question' (answer it with answerQuestion).
 */
export type AgentOutcome =
  /** A finishing structured tool was called with valid input; no further request was sent. */
  | {
      readonly kind: 'finished';
      readonly tool: string;
      readonly toolUseId: string;
      readonly input: unknown;
      readonly messages: readonly ChatMessage[];
    }
  /** A pausing tool (ask_user): pass the person's answer to answerQuestion, then run again. */
  | {
      readonly kind: 'question';
      readonly tool: string;
      readonly toolUseId: string;
      readonly question: string;
      readonly input: unknown;
      readonly messages: readonly ChatMessage[];
    }
  /** The model ended its turn with text and no tool call; the person's next line continues. */
  | { readonly kind: 'reply'; readonly text: string; readonly stopReason: StopReason; readonly messages: readonly ChatMessage[] }
  /** maxTurns requests were made and the model had not finished. */
  | { readonly kind: 'max_turns'; readonly turns: number; readonly messages: readonly ChatMessage[] }
  /** The budget refused the next call; that request was not sent. */
  | { readonly kind: 'budget_refused'; readonly message: string; readonly messages: readonly ChatMessage[] }
  | { readonly kind: 'aborted'; readonly messages: readonly ChatMessage[] }
  | { readonly kind: 'failed'; readonly error: AgentFailure; readonly messages: readonly ChatMessage[] };
