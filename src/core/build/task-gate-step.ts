import { SET_HINT, type GateCommand } from './gate-commands.js';
import { firstFailure, receiptsPass, type Receipt } from './receipts.js';
import { nextAfterGateFailure, type GateRun } from './repair-policy.js';
import type { TaskRunEnding } from './task-result.js';
import type { ClockPort, GatesPort, TaskRunOptions } from './task-runner-ports.js';

/*
 * The runtime's own run of the gates after the Builder reports DONE: a model's word that the
 * tests pass counts for nothing, and a failure goes back to the Builder a bounded number of times.
 */

/** The receipt the runtime records when the project states no gate commands at all. */
export function noGatesReceipt(at: string): Receipt {
  const outputTail =
    'The project has no gate commands: none were found in its files (package.json scripts, Cargo.toml, go.mod, Python tests, Makefile targets) and the person set none. ' +
    `The person can type ${SET_HINT} (for example !gates set test node --test) so the runtime can check the work; a Node project can instead add a "test" script to package.json.`;
  return { gate: 'gates', command: '(none found)', exitCode: null, timedOut: false, durationMs: 0, outputSha256: '0'.repeat(64), outputTail, at };
}

/** How one gate run left the task: passed, back to the Builder with `feedback`, or stopped. */
export type GateStep =
  | { readonly kind: 'passed'; readonly commands: readonly GateCommand[]; readonly receipts: readonly Receipt[] }
  | { readonly kind: 'repair'; readonly feedback: string }
  | { readonly kind: 'end'; readonly ending: TaskRunEnding };

/**
 * Runs the gates once and appends the receipts to `gateRuns`. `failuresFrom`: the index in
 * `gateRuns` where the current streak of failures began (the gates last passed just before it).
 */
export async function runGateStep(
  ports: { readonly gates: GatesPort; readonly clock: ClockPort },
  options: Pick<TaskRunOptions, 'signal' | 'onPhase' | 'onReceipts' | 'repair'>,
  gateRuns: GateRun[],
  failuresFrom: number,
): Promise<GateStep> {
  if (options.signal?.aborted) return { kind: 'end', ending: { kind: 'aborted' } };
  const commands = await ports.gates.commands();
  options.onPhase?.({ kind: 'gates', commands: commands.map((c) => c.command) });
  const receipts = commands.length === 0 ? [noGatesReceipt(ports.clock.now().toISOString())] : [...(await ports.gates.run(commands))];
  gateRuns.push(receipts);
  options.onReceipts?.(receipts);
  if (receiptsPass(receipts, commands)) return { kind: 'passed', commands, receipts };
  if (firstFailure(receipts) === undefined) {
    // Nothing failed but not every gate ran: the run was stopped part-way.
    if (options.signal?.aborted) return { kind: 'end', ending: { kind: 'aborted' } };
    const missing = commands.filter((c) => !receipts.some((r) => r.gate === c.name)).map((c) => c.name);
    return { kind: 'end', ending: { kind: 'blocked', blocker: `the gate run stopped before ${missing.join(', ')} ran`, receipts } };
  }
  // The repair limit counts the failures since the gates last passed (a review fix starts afresh).
  const decision = nextAfterGateFailure(gateRuns.slice(failuresFrom), options.repair);
  if (decision.kind === 'blocked') return { kind: 'end', ending: { kind: 'blocked', blocker: decision.reason, receipts: decision.lastReceipts } };
  return { kind: 'repair', feedback: decision.feedback };
}
