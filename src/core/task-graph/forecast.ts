import { SIZE_ESTIMATES, TASK_SIZES, type SizeEstimate, type TaskGraph, type TaskSize } from './task.js';

/** A model's price in USD per million tokens; a plain object so this module needs no pricing code. */
export interface TokenPrice {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
}

/** What building the graph is expected to take, shown before the person confirms `!build`. */
export interface Forecast {
  /** Tasks still to build (every task not DONE). */
  readonly taskCount: number;
  /** DONE tasks, left out of the estimate. */
  readonly doneCount: number;
  readonly bySize: Readonly<Record<TaskSize, number>>;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly usd: number;
}

/**
 * Pure: tokens and cost from the tasks' sizes. DONE tasks cost nothing more; STALE, BLOCKED
 * and IN-PROGRESS ones are counted whole, since they will run (again).
 */
export function forecast(graph: TaskGraph, price: TokenPrice, sizes: Readonly<Record<TaskSize, SizeEstimate>> = SIZE_ESTIMATES): Forecast {
  const bySize: Record<TaskSize, number> = { S: 0, M: 0, L: 0, XL: 0 };
  let doneCount = 0;
  for (const task of graph.tasks) {
    if (task.status === 'DONE') doneCount++;
    else bySize[task.size]++;
  }
  let inputTokens = 0;
  let outputTokens = 0;
  for (const size of TASK_SIZES) {
    inputTokens += bySize[size] * sizes[size].inputTokens;
    outputTokens += bySize[size] * sizes[size].outputTokens;
  }
  const usd = (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000;
  return { taskCount: graph.tasks.length - doneCount, doneCount, bySize, inputTokens, outputTokens, usd };
}

/** `1.2M`, `350k`, `900` */
export function formatTokens(tokens: number): string {
  if (tokens >= 1_000_000) return `${trimZero((tokens / 1_000_000).toFixed(1))}M`;
  if (tokens >= 1_000) return `${trimZero((tokens / 1_000).toFixed(1))}k`;
  return String(tokens);
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/**
 * Pure: the lines the person reads before confirming `!build`, e.g.
 * "12 tasks to build (3 S, 6 M, 3 L) · 1 already DONE"
 * "estimated 2.6M input + 258k output tokens ≈ $11.67 at $3/$15 per million tokens"
 */
export function renderForecast(f: Forecast, price: TokenPrice, budget?: { readonly budgetUsd: number | null; readonly remainingUsd: number | null }): string {
  const sizes = TASK_SIZES.filter((s) => f.bySize[s] > 0).map((s) => `${f.bySize[s]} ${s}`);
  const head = `${f.taskCount} ${f.taskCount === 1 ? 'task' : 'tasks'} to build${sizes.length > 0 ? ` (${sizes.join(', ')})` : ''}`;
  const done = f.doneCount > 0 ? ` · ${f.doneCount} already DONE` : '';
  const cost = `estimated ${formatTokens(f.inputTokens)} input + ${formatTokens(f.outputTokens)} output tokens ≈ $${f.usd.toFixed(2)} at $${price.inputPerMTok}/$${price.outputPerMTok} per million tokens`;
  return `${head}${done}\n${cost}\nThe estimate comes from the task sizes, not from a measurement. ${capLine(f.usd, budget)}`;
}

/** What stops the real spend: the cap and what is left of it, or that there is none. */
function capLine(estimateUsd: number, budget: { readonly budgetUsd: number | null; readonly remainingUsd: number | null } | undefined): string {
  if (budget === undefined || budget.budgetUsd === null || budget.remainingUsd === null) {
    return 'No budget is set, so nothing caps the spend: type !budget set N (US dollars) first to set one.';
  }
  const left = `$${budget.remainingUsd.toFixed(2)} of the $${budget.budgetUsd.toFixed(2)} budget is left`;
  return estimateUsd > budget.remainingUsd
    ? `${left}, less than the estimate: the build stops when it runs out, until !budget extend N.`
    : `${left}; no call is sent that would cross it.`;
}
