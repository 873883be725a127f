import type { Usage } from '../provider/types.js';
import { MAX_BUDGET_USD, costNanosOf, formatUsd, groupDigits, nanosToUsd, usdToNanos, worstCaseNanos } from './cost.js';
import type { ModelPrice } from './pricing.js';

/** How much of the budget is gone: under 80 %, from 80 %, or all of it. */
export type BudgetTier = 'ok' | 'warning' | 'exhausted';

/** Tokens and money of a group of calls (one agent, one stage, or all). */
export interface SpendTotals {
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly costUsd: number;
}

/** Totals with the agent or stage they belong to. */
export interface NamedTotals extends SpendTotals {
  readonly name: string;
}

/** The ledger as plain data, for rendering and for commands. */
export interface LedgerSnapshot {
  /** null: no budget; every call is allowed and only counted. */
  readonly budgetUsd: number | null;
  readonly spentUsd: number;
  /** Worst-case cost of calls allowed but not yet recorded. */
  readonly heldUsd: number;
  /** Budget minus spent (never below 0); null without a budget. */
  readonly remainingUsd: number | null;
  readonly tier: BudgetTier;
  readonly byAgent: readonly NamedTotals[];
  readonly byStage: readonly NamedTotals[];
}

/** What is known about a call before it is made. */
export interface CallProjection {
  /** Input tokens of the request: the provider's count if there is one, else an estimate. */
  readonly projectedInputTokens: number;
  /** The request's `maxTokens`: the most output it can be billed for. */
  readonly maxOutputTokens: number;
  readonly model: string;
  readonly price: ModelPrice;
}

/** Proof that an allowed call holds its worst case against the budget until recorded or released. */
export interface CallTicket {
  readonly id: number;
  readonly heldUsd: number;
}

/** The decision before a call. A refusal carries the sentence the person reads. */
export type CallCheck =
  | { readonly kind: 'allow'; readonly projectedUsd: number; readonly ticket: CallTicket }
  | { readonly kind: 'refuse'; readonly projectedUsd: number; readonly remainingUsd: number; readonly message: string };

/** One finished call, as the provider billed it. */
export interface SpentCall {
  readonly agent: string;
  readonly stage: string;
  readonly usage: Usage;
  readonly price: ModelPrice;
}

interface Tally {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costNanos: number;
}

function checkBudgetUsd(usd: number): void {
  if (!Number.isFinite(usd) || usd <= 0 || usd > MAX_BUDGET_USD) {
    throw new RangeError(`a budget must be more than $0 and at most ${formatUsd(MAX_BUDGET_USD)}, got ${usd}`);
  }
}

function tierOf(spentNanos: number, budgetNanos: number | null): BudgetTier {
  if (budgetNanos === null) return 'ok';
  if (spentNanos >= budgetNanos) return 'exhausted';
  // Integer comparison: 5 × spent ≥ 4 × budget is "at least 80 %" with no rounding.
  return spentNanos * 5 >= budgetNanos * 4 ? 'warning' : 'ok';
}

function addTo(map: Map<string, Tally>, key: string, usage: Usage, costNanos: number): void {
  let tally = map.get(key);
  if (!tally) {
    tally = { calls: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costNanos: 0 };
    map.set(key, tally);
  }
  tally.calls += 1;
  tally.inputTokens += usage.inputTokens;
  tally.outputTokens += usage.outputTokens;
  tally.cacheReadTokens += usage.cacheReadTokens;
  tally.cacheWriteTokens += usage.cacheWriteTokens;
  tally.costNanos += costNanos;
}

function named(map: Map<string, Tally>): NamedTotals[] {
  return [...map]
    .map(([name, t]) => ({
      name,
      calls: t.calls,
      inputTokens: t.inputTokens,
      outputTokens: t.outputTokens,
      cacheReadTokens: t.cacheReadTokens,
      cacheWriteTokens: t.cacheWriteTokens,
      costUsd: nanosToUsd(t.costNanos),
    }))
    .sort((a, b) => b.costUsd - a.costUsd || a.name.localeCompare(b.name));
}

/**
 * The session's spending: an optional cap in USD, what was spent, per agent and per stage.
 * Pure and synchronous; the session owns the one instance and feeds it every billed call.
 *
 * The cap holds on every path the ledger sees: each call is priced at its worst case before it
 * is made, and that worst case stays held while the call runs, so calls running side by side
 * cannot together pass the cap. Every allowed ticket must end in `record` or `release`.
 */
export class BudgetLedger {
  private budgetNanos: number | null;
  private spentNanos = 0;
  private readonly holds = new Map<number, number>();
  private nextTicket = 1;
  private readonly agents = new Map<string, Tally>();
  private readonly stages = new Map<string, Tally>();

  constructor(options: { readonly budgetUsd?: number | null } = {}) {
    const budget = options.budgetUsd ?? null;
    if (budget !== null) checkBudgetUsd(budget);
    this.budgetNanos = budget === null ? null : usdToNanos(budget);
  }

  get budgetUsd(): number | null {
    return this.budgetNanos === null ? null : nanosToUsd(this.budgetNanos);
  }

  get spentUsd(): number {
    return nanosToUsd(this.spentNanos);
  }

  /** The tier for an amount spent (the ledger's own spending when omitted). */
  tier(spentUsd?: number): BudgetTier {
    return tierOf(spentUsd === undefined ? this.spentNanos : usdToNanos(spentUsd), this.budgetNanos);
  }

  /**
   * Allows a call only if its worst case fits in what is left after spending and the holds of
   * calls still running; an allowed call holds its worst case until `record` or `release`.
   */
  checkBeforeCall(call: CallProjection): CallCheck {
    const projected = worstCaseNanos(call.projectedInputTokens, call.maxOutputTokens, call.price);
    const projectedUsd = nanosToUsd(projected);
    if (this.budgetNanos !== null) {
      const held = this.heldNanos();
      const available = Math.max(0, this.budgetNanos - this.spentNanos - held);
      if (projected > available) {
        return { kind: 'refuse', projectedUsd, remainingUsd: nanosToUsd(available), message: this.refusal(call, projected, available, held) };
      }
    }
    const ticket: CallTicket = { id: this.nextTicket++, heldUsd: projectedUsd };
    this.holds.set(ticket.id, projected);
    return { kind: 'allow', projectedUsd, ticket };
  }

  /** Adds a billed call and frees its ticket's hold; returns its cost and the tier after it. */
  record(call: SpentCall, ticket?: CallTicket): { readonly costUsd: number; readonly tier: BudgetTier } {
    const cost = costNanosOf(call.usage, call.price);
    if (ticket) this.holds.delete(ticket.id);
    this.spentNanos += cost;
    addTo(this.agents, call.agent, call.usage, cost);
    addTo(this.stages, call.stage, call.usage, cost);
    return { costUsd: nanosToUsd(cost), tier: this.tier() };
  }

  /** Frees the hold of an allowed call that was not billed (it failed before the provider charged). */
  release(ticket: CallTicket): void {
    this.holds.delete(ticket.id);
  }

  /** Sets the cap (null removes it). A cap below what is spent leaves the tier exhausted. */
  setBudget(usd: number | null): void {
    if (usd !== null) checkBudgetUsd(usd);
    this.budgetNanos = usd === null ? null : usdToNanos(usd);
  }

  /** Raises the cap by `usd`; there must be a cap to raise. */
  extend(usd: number): void {
    if (this.budgetNanos === null) throw new Error('there is no budget to extend; set one first');
    if (!Number.isFinite(usd) || usd <= 0) throw new RangeError(`an extension must be more than $0, got ${usd}`);
    const next = this.budgetNanos + usdToNanos(usd);
    checkBudgetUsd(nanosToUsd(next));
    this.budgetNanos = next;
  }

  snapshot(): LedgerSnapshot {
    return {
      budgetUsd: this.budgetUsd,
      spentUsd: this.spentUsd,
      heldUsd: nanosToUsd(this.heldNanos()),
      remainingUsd: this.budgetNanos === null ? null : nanosToUsd(Math.max(0, this.budgetNanos - this.spentNanos)),
      tier: this.tier(),
      byAgent: named(this.agents),
      byStage: named(this.stages),
    };
  }

  private heldNanos(): number {
    let sum = 0;
    for (const nanos of this.holds.values()) sum += nanos;
    return sum;
  }

  private refusal(call: CallProjection, projected: number, available: number, held: number): string {
    const budget = this.budgetNanos ?? 0;
    const state =
      this.spentNanos >= budget
        ? `The budget of ${formatUsd(nanosToUsd(budget))} is used up (${formatUsd(nanosToUsd(this.spentNanos))} spent).`
        : `Only ${formatUsd(nanosToUsd(available))} of the ${formatUsd(nanosToUsd(budget))} budget is left` +
          (held > 0 ? ` (${formatUsd(nanosToUsd(held))} is held for calls still running).` : '.');
    // What an extension must add for this call to fit, in whole cents rounded up.
    const shortBy = Math.ceil((projected - (budget - this.spentNanos - held)) / 10_000_000) / 100;
    return (
      `Stopped before calling ${call.model}: the call could cost up to ${formatUsd(nanosToUsd(projected))} ` +
      `(${groupDigits(call.projectedInputTokens)} input tokens at the dearest input rate and up to ${groupDigits(call.maxOutputTokens)} output tokens). ` +
      `${state} Nothing was sent. Type !budget extend ${Math.max(0.01, shortBy).toFixed(2)} (or more) to continue, or !budget to see where the money went.`
    );
  }
}
