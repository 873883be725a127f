import { describe, expect, it } from 'vitest';
import { applyBudgetAction } from '../../../src/core/budget/apply-budget-action.js';
import type { BudgetView } from '../../../src/core/budget/budget-view.js';
import { BudgetLedger } from '../../../src/core/budget/ledger.js';
import { summarise } from '../../../src/core/budget/summary.js';
import { budgetCommand, parseUsd } from '../../../src/core/commands/defs/budget.js';
import { CommandRegistry } from '../../../src/core/commands/registry.js';
import { SONNET, usage } from './prices.js';
import { record } from './records.js';

const registry = new CommandRegistry();

function view(budgetUsd: number | null, spentInputTokens = 0): BudgetView {
  const ledger = new BudgetLedger({ budgetUsd });
  if (spentInputTokens > 0) ledger.record({ agent: 'builder', stage: 'building', usage: usage(spentInputTokens, 0), price: SONNET });
  return { summary: summarise([record()]), ledger: ledger.snapshot() };
}

const run = (args: string, budget: BudgetView | null = view(5)) => budgetCommand.run(budget ? { args, registry, budget } : { args, registry });

function failureText(result: ReturnType<typeof run>): string {
  if (result.kind !== 'message' || !result.failed) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result.entries.map((e) => e.text).join('\n');
}

describe('!budget', () => {
  it.each(['', 'show', '  SHOW '])('%j shows the budget table', (args) => {
    const result = run(args);
    expect(result.kind).toBe('message');
    if (result.kind !== 'message') return;
    expect(result.failed).toBeUndefined();
    expect(result.entries[0]!.tone).toBe('info');
    expect(result.entries[0]!.text).toContain('Budget: $0.00 of $5.00 spent');
    expect(result.entries[0]!.text).toContain('│ builder');
  });

  it('shows a budget at 80 % or more in the warning tone', () => {
    const result = run('', view(5, 1_400_000)); // $4.20
    if (result.kind !== 'message') throw new Error('expected a message');
    expect(result.entries[0]!.tone).toBe('warning');
  });

  it('says so when the session does not track spending', () => {
    expect(failureText(run('', null))).toContain('not tracked');
  });

  it.each([
    ['set 5', { kind: 'set', usd: 5 }],
    ['set $12.50', { kind: 'set', usd: 12.5 }],
    ['SET 0.01', { kind: 'set', usd: 0.01 }],
    ['extend 2.5', { kind: 'extend', usd: 2.5 }],
    ['extend   .75', { kind: 'extend', usd: 0.75 }],
  ])('%j asks the session to change the budget', (args, action) => {
    expect(run(args)).toEqual({ kind: 'budget', action });
  });

  it.each([
    ['set', 'needs an amount'],
    ['extend', 'needs an amount'],
    ['set abc', '"abc" is not an amount'],
    ['set -1', '"-1" is not an amount'],
    ['set 0', '"0" is not an amount'],
    ['set 0.001', '"0.001" is not an amount'],
    ['set 1e3', '"1e3" is not an amount'],
    ['set NaN', '"NaN" is not an amount'],
    ['set Infinity', '"Infinity" is not an amount'],
    ['set 5,00', '"5,00" is not an amount'],
    ['set 2000000', '"2000000" is not an amount'],
    ['set 5 6', 'takes one amount'],
    ['raise 5', 'does not know "raise"'],
    ['show 5', 'takes no amount'],
  ])('%j is refused: %s', (args, message) => {
    const text = failureText(run(args));
    expect(text).toContain(message);
    expect(text).toMatch(/Usage|US dollars/);
  });

  it('cannot extend a budget that was never set', () => {
    expect(failureText(run('extend 5', view(null)))).toContain('!budget set 5');
  });

  it('reads dollar amounts the way people type them', () => {
    expect(parseUsd('$7')).toBe(7);
    expect(parseUsd(' 3.333 ')).toBe(3.333);
    expect(parseUsd('-0')).toBeUndefined();
    expect(parseUsd('0x10')).toBeUndefined();
  });
});

describe('applyBudgetAction', () => {
  it('sets, then extends, and says what changed', () => {
    const ledger = new BudgetLedger();
    expect(applyBudgetAction(ledger, { kind: 'set', usd: 5 })).toEqual([{ tone: 'success', text: 'Budget set to $5.00. $0.00 spent, $5.00 left.' }]);
    expect(applyBudgetAction(ledger, { kind: 'extend', usd: 2.5 })[0]!.text).toBe('Budget raised by $2.50 to $7.50. $0.00 spent, $7.50 left.');
    expect(applyBudgetAction(ledger, { kind: 'set', usd: 3 })[0]!.text).toContain('(was $7.50)');
  });

  it('warns when the new budget is already mostly or wholly spent', () => {
    const ledger = new BudgetLedger();
    ledger.record({ agent: 'builder', stage: 'building', usage: usage(1_000_000, 0), price: SONNET }); // $3
    expect(applyBudgetAction(ledger, { kind: 'set', usd: 3.5 })[0]).toMatchObject({ tone: 'warning', text: expect.stringContaining('80% or more') });
    expect(applyBudgetAction(ledger, { kind: 'set', usd: 2 })[0]).toMatchObject({ tone: 'warning', text: expect.stringContaining('model calls stay stopped') });
  });

  it('reports a change the ledger refuses instead of throwing', () => {
    expect(applyBudgetAction(new BudgetLedger(), { kind: 'extend', usd: 5 })[0]).toMatchObject({ tone: 'error', text: expect.stringContaining('no budget to extend') });
  });
});
