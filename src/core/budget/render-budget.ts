import { renderTable } from '../render/table.js';
import type { ContextUse } from './budget-view.js';
import { formatUsd, groupDigits } from './cost.js';
import type { LedgerSnapshot } from './ledger.js';
import type { TelemetrySummary } from './summary.js';

/** Share of a context window from which the transcript warns that the agent is running out of room. */
export const CONTEXT_WARNING_PERCENT = 80;

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

function budgetLine(ledger: LedgerSnapshot): string {
  const held = ledger.heldUsd > 0 ? ` ${formatUsd(ledger.heldUsd)} is held for calls still running.` : '';
  if (ledger.budgetUsd === null) {
    return `Budget: none set; ${formatUsd(ledger.spentUsd)} spent this session. Set a cap with !budget set N (US dollars).${held}`;
  }
  const share = percent(ledger.spentUsd / ledger.budgetUsd);
  const head = `Budget: ${formatUsd(ledger.spentUsd)} of ${formatUsd(ledger.budgetUsd)} spent (${share}), ${formatUsd(ledger.remainingUsd ?? 0)} left.${held}`;
  switch (ledger.tier) {
    case 'ok':
      return head;
    case 'warning':
      return `${head}\nWarning: 80% or more of the budget is spent. !budget extend N raises it.`;
    case 'exhausted':
      return `${head}\nThe budget is used up: no further model call will be made until you type !budget extend N or !budget set N.`;
  }
}

function agentTable(summary: TelemetrySummary): string {
  if (summary.calls === 0) return 'No model calls yet.';
  const rows = summary.byAgent.map((a) => [
    a.agent,
    groupDigits(a.calls),
    groupDigits(a.tokens.input),
    groupDigits(a.tokens.output),
    groupDigits(a.tokens.cacheRead),
    groupDigits(a.tokens.cacheWrite),
    a.cacheHitRatio === null ? '—' : percent(a.cacheHitRatio),
    formatUsd(a.costUsd),
  ]);
  const t = summary.tokens;
  rows.push([
    'Total',
    groupDigits(summary.calls),
    groupDigits(t.input),
    groupDigits(t.output),
    groupDigits(t.cacheRead),
    groupDigits(t.cacheWrite),
    summary.cacheHitRatio === null ? '—' : percent(summary.cacheHitRatio),
    formatUsd(summary.costUsd),
  ]);
  return renderTable(
    [
      { header: 'Agent', maxWidth: 24 },
      { header: 'Calls' },
      { header: 'Input' },
      { header: 'Output' },
      { header: 'Cache read' },
      { header: 'Cache write' },
      { header: 'Cache hits' },
      { header: 'Cost' },
    ],
    rows,
  );
}

function stageLine(ledger: LedgerSnapshot): string | undefined {
  if (ledger.byStage.length === 0) return undefined;
  return `By stage: ${ledger.byStage.map((s) => `${s.name} ${formatUsd(s.costUsd)}`).join(' · ')}`;
}

function contextLine(use: ContextUse): string {
  const line = `Context: ${use.agent} on ${use.model} uses about ${groupDigits(use.estimatedTokens)} of ${groupDigits(use.window)} tokens (${use.percent.toFixed(1)}%, estimated).`;
  return use.percent >= CONTEXT_WARNING_PERCENT ? `${line}\nThe context is nearly full: the agent may lose older details or fail to fit its next request.` : line;
}

/**
 * Pure: what `!budget` prints. The cap and what is left, a table of tokens and cost per agent
 * with a total row, the cache hit ratio (cache reads ÷ all input tokens), spending per stage,
 * and how full the working agent's context is when known.
 */
export function renderBudget(summary: TelemetrySummary, ledger: LedgerSnapshot, contextUse?: ContextUse): string {
  const parts = [budgetLine(ledger), agentTable(summary)];
  if (summary.cacheHitRatio !== null) {
    parts.push(`Cache hit ratio: ${percent(summary.cacheHitRatio)} of input tokens were read from the prompt cache.`);
  }
  const stages = stageLine(ledger);
  if (stages) parts.push(stages);
  if (contextUse) parts.push(contextLine(contextUse));
  return parts.join('\n');
}

/** Pure: the status bar's budget cell, e.g. "budget: $1.20 of $5.00 (24%)". */
export function renderBudgetStatus(ledger: LedgerSnapshot): string {
  if (ledger.budgetUsd === null) return ledger.spentUsd > 0 ? `budget: not set (${formatUsd(ledger.spentUsd)} spent)` : 'budget: not set';
  if (ledger.tier === 'exhausted') return `budget: used up (${formatUsd(ledger.spentUsd)} of ${formatUsd(ledger.budgetUsd)})`;
  const share = Math.floor((ledger.spentUsd / ledger.budgetUsd) * 100);
  return `budget: ${formatUsd(ledger.spentUsd)} of ${formatUsd(ledger.budgetUsd)} (${share}%)`;
}
