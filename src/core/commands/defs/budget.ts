import { MAX_BUDGET_USD, formatUsd } from '../../budget/cost.js';
import { renderBudget } from '../../budget/render-budget.js';
import { entry } from '../../transcript.js';
import type { CommandDefinition, CommandResult } from '../types.js';

/** One cent: smaller amounts are almost certainly a typo. */
const MIN_USD = 0.01;

const USAGE = '!budget | !budget set N | !budget extend N   (N in US dollars, e.g. 5 or 12.50)';

/** Reads a dollar amount as a person types it: `5`, `12.50`, `$7`. Anything else is undefined. */
export function parseUsd(text: string): number | undefined {
  const match = /^\$?(\d+(?:\.\d+)?|\.\d+)$/.exec(text.trim());
  if (!match?.[1]) return undefined;
  const usd = Number(match[1]);
  return Number.isFinite(usd) && usd >= MIN_USD && usd <= MAX_BUDGET_USD ? usd : undefined;
}

function failure(text: string): CommandResult {
  return { kind: 'message', failed: true, entries: [entry.error(text)] };
}

/**
 * `!budget`: what this session has spent, per agent, against its cap; `!budget set N` sets the
 * cap to N US dollars, `!budget extend N` raises it by N. The session applies the change.
 */
export const budgetCommand: CommandDefinition = {
  name: 'budget',
  aliases: [],
  availability: { kind: 'always' },
  summary: 'Show spending per agent against the session budget; set or raise the budget',
  usage: USAGE,
  run(ctx) {
    const [verb = '', amount, ...rest] = ctx.args.trim().split(/\s+/).filter(Boolean);
    const view = ctx.budget;
    if (verb === '' || verb.toLowerCase() === 'show') {
      if (amount !== undefined) return failure(`!budget show takes no amount. Usage: ${USAGE}`);
      if (!view) return failure('Spending is not tracked in this session, so there is nothing to show.');
      const all = view.project;
      const history = all
        ? `\nAll sessions of this project: ${all.summary.calls} calls, ${formatUsd(all.summary.costUsd)} (${all.file}${all.invalidLines > 0 ? `; ${all.invalidLines} unreadable lines skipped` : ''}).`
        : '';
      const text = `${renderBudget(view.summary, view.ledger, view.contextUse)}${history}`;
      const tone = view.ledger.tier === 'ok' ? entry.info(text) : entry.warning(text);
      return { kind: 'message', entries: [tone] };
    }
    const kind = verb.toLowerCase();
    if (kind !== 'set' && kind !== 'extend') {
      return failure(`!budget does not know "${verb}". Usage: ${USAGE}`);
    }
    if (amount === undefined) return failure(`!budget ${kind} needs an amount in US dollars, e.g. !budget ${kind} 5. Usage: ${USAGE}`);
    if (rest.length > 0) return failure(`!budget ${kind} takes one amount, got "${[amount, ...rest].join(' ')}". Usage: ${USAGE}`);
    const usd = parseUsd(amount);
    if (usd === undefined) {
      return failure(
        `"${amount}" is not an amount !budget ${kind} accepts: give a number of US dollars from $0.01 to ${formatUsd(MAX_BUDGET_USD)}, such as 5 or 12.50.`,
      );
    }
    if (kind === 'extend' && view && view.ledger.budgetUsd === null) {
      return failure(`There is no budget to extend yet. Type !budget set ${amount} to set one.`);
    }
    return { kind: 'budget', action: { kind, usd } };
  },
};
