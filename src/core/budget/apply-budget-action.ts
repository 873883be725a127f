import { errorMessage } from '../errors.js';
import { entry, type EntryInput } from '../transcript.js';
import type { BudgetAction } from './budget-view.js';
import { formatUsd } from './cost.js';
import type { BudgetLedger } from './ledger.js';

/**
 * Carries out `!budget set N` or `!budget extend N` on the session's ledger and says what
 * changed. The session calls this from its one result switch; the command itself stays pure.
 */
export function applyBudgetAction(ledger: BudgetLedger, action: BudgetAction): EntryInput[] {
  const before = ledger.budgetUsd;
  try {
    if (action.kind === 'set') ledger.setBudget(action.usd);
    else ledger.extend(action.usd);
  } catch (error) {
    return [entry.error(`The budget was not changed: ${errorMessage(error)}.`)];
  }
  const after = ledger.snapshot();
  const budget = formatUsd(after.budgetUsd ?? 0);
  const what =
    action.kind === 'set'
      ? `Budget set to ${budget}${before === null ? '' : ` (was ${formatUsd(before)})`}.`
      : `Budget raised by ${formatUsd(action.usd)} to ${budget}.`;
  const state = `${formatUsd(after.spentUsd)} spent, ${formatUsd(after.remainingUsd ?? 0)} left.`;
  switch (after.tier) {
    case 'ok':
      return [entry.success(`${what} ${state}`)];
    case 'warning':
      return [entry.warning(`${what} ${state} That is already 80% or more of the budget.`)];
    case 'exhausted':
      return [entry.warning(`${what} ${state} Nothing of it is left, so model calls stay stopped until the budget is raised above what is spent.`)];
  }
}
