import { fencedBlock, inlineCode } from '../verdicts/markdown.js';
import { firstFailure, howItEnded, receiptPassed, type Receipt } from './receipts.js';

/*
 * What happens after the gates fail. The task goes back to the Builder with the failing
 * command's output, a bounded number of times; then it is BLOCKED and the person decides.
 * The bound is code, not a line in a prompt, so a model cannot talk its way past it.
 */

/** Repair attempts after the first failing run before the task is BLOCKED. */
export const MAX_REPAIR_ATTEMPTS = 5;

/** The receipts of one gate run (one pass over the gate commands, stopped at the first failure). */
export type GateRun = readonly Receipt[];

/** The next step for a task whose latest gate run failed. */
export type RepairDecision =
  /** Send the task back to the Builder with `feedback`; this will be repair attempt `attempt` of `maxAttempts`. */
  | { readonly kind: 'retry'; readonly attempt: number; readonly maxAttempts: number; readonly feedback: string }
  /** Stop: every repair attempt failed. `lastReceipts` are those of the final run, for the report. */
  | { readonly kind: 'blocked'; readonly reason: string; readonly lastReceipts: GateRun };

/** The repair loop's limit; a project may set another. */
export interface RepairPolicy {
  readonly maxAttempts?: number;
}

/**
 * Pure. `runs` are the task's gate runs so far, oldest first: the first comes from the
 * Builder's own attempt, every later one from a repair. The latest must have failed.
 * With `maxAttempts` (5) the sixth failing run, the fifth failed repair, blocks the task.
 */
export function nextAfterGateFailure(runs: readonly GateRun[], policy: RepairPolicy = {}): RepairDecision {
  const maxAttempts = policy.maxAttempts ?? MAX_REPAIR_ATTEMPTS;
  const last = runs[runs.length - 1];
  const failing = last === undefined ? undefined : firstFailure(last);
  if (last === undefined || failing === undefined) {
    // A caller bug, not a build state: only a failed run may ask what to do about failure.
    throw new RangeError('nextAfterGateFailure needs at least one gate run whose last run has a failing receipt');
  }
  const repairsDone = runs.length - 1;
  if (repairsDone >= maxAttempts) {
    return {
      kind: 'blocked',
      reason: `the gates still fail after ${repairsDone} repair attempt${repairsDone === 1 ? '' : 's'}: ${failing.gate} (${inlineCode(failing.command)}) ${howItEnded(failing)}`,
      lastReceipts: last,
    };
  }
  const attempt = repairsDone + 1;
  return { kind: 'retry', attempt, maxAttempts, feedback: repairFeedback(last, failing, attempt, maxAttempts) };
}

/** The message the Builder reads: which gate failed, what passed, the end of the output, what to do. */
export function repairFeedback(run: GateRun, failing: Receipt, attempt: number, maxAttempts: number): string {
  const passed = run.filter(receiptPassed).map((r) => r.gate);
  const lines = [
    `The gate ${inlineCode(failing.gate)} failed: ${inlineCode(failing.command)} ${howItEnded(failing)}.`,
    passed.length === 0 ? 'No gate passed before it.' : `Passed before it: ${passed.join(', ')}.`,
    `This is repair attempt ${attempt} of ${maxAttempts}; after the last one the task is BLOCKED for a person to decide.`,
    '',
    `The last lines of its output (the runtime ran the command itself):`,
    '',
    fencedBlock(failing.outputTail === '' ? '(no output)' : failing.outputTail),
    '',
    failing.timedOut
      ? 'The command did not finish in time: look for a hang (a server left running, a watch mode, an endless loop) before anything else.'
      : 'Find the cause in the code, fix it, run the failing command yourself to check, then report. Do not weaken or skip the check.',
  ];
  return lines.join('\n');
}
