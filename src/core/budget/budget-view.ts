import type { LedgerSnapshot } from './ledger.js';
import type { ModelPrice } from './pricing.js';
import type { TelemetrySummary } from './summary.js';

/** How full the current agent's context window is, by estimate. */
export interface ContextUse {
  readonly agent: string;
  readonly model: string;
  /** Estimated with a stand-in tokenizer (see estimateContextTokens); not the billed count. */
  readonly estimatedTokens: number;
  readonly window: number;
  /** estimatedTokens ÷ window × 100, rounded to one decimal. */
  readonly percent: number;
}

/**
 * What `!budget` reads from its command context: the session's summary of calls so far, the
 * ledger as data, and, while an agent is working, how full its context is.
 */
export interface BudgetView {
  readonly summary: TelemetrySummary;
  readonly ledger: LedgerSnapshot;
  readonly contextUse?: ContextUse;
  /** Every session of the open project, from its telemetry log (token_log.jsonl). */
  readonly project?: { readonly summary: TelemetrySummary; readonly invalidLines: number; readonly file: string };
}

/** A change to the cap the person asked for; the session applies it to its ledger. */
export type BudgetAction = { readonly kind: 'set'; readonly usd: number } | { readonly kind: 'extend'; readonly usd: number };

/** The command result `!budget set N` and `!budget extend N` return. */
export interface BudgetCommandResult {
  readonly kind: 'budget';
  readonly action: BudgetAction;
}

/** Pure: the context use of an agent's next request against its model's window. */
export function contextUseOf(agent: string, model: string, estimatedTokens: number, price: Pick<ModelPrice, 'contextWindow'>): ContextUse {
  const window = price.contextWindow;
  return { agent, model, estimatedTokens, window, percent: Math.round((estimatedTokens / window) * 1000) / 10 };
}
