import { describe, expect, it } from 'vitest';
import { contextUseOf } from '../../../src/core/budget/budget-view.js';
import { BudgetLedger } from '../../../src/core/budget/ledger.js';
import { renderBudget, renderBudgetStatus } from '../../../src/core/budget/render-budget.js';
import { summarise } from '../../../src/core/budget/summary.js';
import { SONNET, usage } from './prices.js';
import { record } from './records.js';

const summary = summarise([
  record({ agent: 'planner', input_tokens: 12_000, output_tokens: 3_000, cache_read_tokens: 0, cache_write_tokens: 8_000, cost_usd: 0.111 }),
  record({ agent: 'builder', input_tokens: 2_000, output_tokens: 9_000, cache_read_tokens: 150_000, cache_write_tokens: 0, cost_usd: 0.186 }),
]);

function ledgerAt(budgetUsd: number | null, spend: number): BudgetLedger {
  const ledger = new BudgetLedger({ budgetUsd });
  // A $1-per-million price makes the spend an exact number of tokens.
  const dollarPerMillion = { ...SONNET, usdPerMillionTokens: { ...SONNET.usdPerMillionTokens, input: 1 } };
  if (spend > 0) ledger.record({ agent: 'builder', stage: 'building', usage: usage(spend * 1_000_000, 0), price: dollarPerMillion });
  return ledger;
}

describe('renderBudget', () => {
  it('shows the cap, a row per agent, the total, the cache hit ratio and spending per stage', () => {
    const text = renderBudget(summary, ledgerAt(5, 1.5).snapshot());
    expect(text).toContain('Budget: $1.50 of $5.00 spent (30.0%), $3.50 left.');
    const lines = text.split('\n');
    const header = lines.find((l) => l.includes('Agent'))!;
    for (const column of ['Calls', 'Input', 'Output', 'Cache read', 'Cache write', 'Cache hits', 'Cost']) expect(header).toContain(column);
    const builder = lines.find((l) => l.includes('builder'))!;
    expect(builder).toMatch(/│ builder\s+│ 1\s+│ 2,000\s+│ 9,000\s+│ 150,000\s+│ 0\s+│ 98\.7%\s+│ \$0\.1860\s+│/);
    const total = lines.find((l) => l.includes('Total'))!;
    expect(total).toMatch(/│ Total\s+│ 2\s+│ 14,000\s+│ 12,000\s+│ 150,000\s+│ 8,000\s+│ 87\.2%\s+│ \$0\.2970\s+│/);
    // builder costs more, so it comes first
    expect(lines.indexOf(builder)).toBeLessThan(lines.findIndex((l) => l.includes('planner')));
    expect(text).toContain('Cache hit ratio: 87.2% of input tokens were read from the prompt cache.');
    expect(text).toContain('By stage: building $1.50');
  });

  it('warns from 80 % and says calls stop at 100 %', () => {
    expect(renderBudget(summary, ledgerAt(5, 4).snapshot())).toContain('Warning: 80% or more of the budget is spent');
    const exhausted = renderBudget(summary, ledgerAt(5, 5).snapshot());
    expect(exhausted).toContain('$0.00 left');
    expect(exhausted).toContain('no further model call will be made');
  });

  it('says when there is no cap', () => {
    expect(renderBudget(summary, ledgerAt(null, 1).snapshot())).toContain('Budget: none set; $1.00 spent this session. Set a cap with !budget set N');
  });

  it('says when there were no calls', () => {
    const text = renderBudget(summarise([]), new BudgetLedger({ budgetUsd: 5 }).snapshot());
    expect(text).toContain('No model calls yet.');
    expect(text).not.toContain('Cache hit ratio');
  });

  it('shows how full the context is and warns when nearly full', () => {
    const use = contextUseOf('builder', 'claude-sonnet-4-6', 45_120, SONNET);
    expect(use.percent).toBe(22.6);
    const text = renderBudget(summary, ledgerAt(5, 1).snapshot(), use);
    expect(text).toContain('Context: builder on claude-sonnet-4-6 uses about 45,120 of 200,000 tokens (22.6%, estimated).');
    expect(text).not.toContain('nearly full');
    expect(renderBudget(summary, ledgerAt(5, 1).snapshot(), contextUseOf('builder', 'claude-sonnet-4-6', 170_000, SONNET))).toContain(
      'The context is nearly full',
    );
  });
});

describe('renderBudgetStatus', () => {
  it.each([
    [null, 0, 'budget: not set'],
    [null, 1, 'budget: not set ($1.00 spent)'],
    [5, 1.2, 'budget: $1.20 of $5.00 (24%)'],
    [5, 4, 'budget: $4.00 of $5.00 (80%)'],
    [5, 5, 'budget: used up ($5.00 of $5.00)'],
  ])('budget %s, spent %d → %s', (budget, spent, text) => {
    expect(renderBudgetStatus(ledgerAt(budget, spent).snapshot())).toBe(text);
  });
});
