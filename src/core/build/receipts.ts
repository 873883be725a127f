import { fencedBlock, inlineCode } from '../verdicts/markdown.js';
import type { GateCommand } from './gate-commands.js';

/*
 * A receipt is the runtime's own record of one gate command it ran: the exit code comes from
 * the process, never from an agent's account of it. A task is DONE only when every gate
 * command has a passing receipt from the latest run.
 */

/** Lines of output a receipt keeps (the end, where failures are reported). */
export const RECEIPT_TAIL_LINES = 40;
/** Characters a receipt's tail keeps at most, so one minified line cannot flood a prompt. */
export const RECEIPT_TAIL_CHARS = 8_000;

/** One gate command the runtime ran, and how it ended. */
export interface Receipt {
  /** The gate's name (`lint`, `typecheck`, `test`, `build` or a person's own). */
  readonly gate: string;
  readonly command: string;
  /** null when the process was ended by a signal (timeout, abort) or never started. */
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  /** SHA-256 of the whole collected output, so a report can be matched to the run. */
  readonly outputSha256: string;
  /** The last RECEIPT_TAIL_LINES lines of the output. */
  readonly outputTail: string;
  /** When the command finished, ISO 8601. */
  readonly at: string;
}

/** What the process runner reports that a receipt needs (a subset of RunCommandResult). */
export interface GateRunResult {
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly aborted?: boolean;
  readonly durationMs: number;
  readonly output: string;
  readonly outputSha256: string;
  readonly spawnError?: string;
}

/** The last `lines` lines of `output` (a final newline does not count as a line), capped in characters. */
export function outputTail(output: string, lines = RECEIPT_TAIL_LINES, maxChars = RECEIPT_TAIL_CHARS): string {
  const all = output.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  const tail = all.slice(-lines).join('\n');
  return tail.length <= maxChars ? tail : `…${tail.slice(tail.length - maxChars + 1)}`;
}

/** Pure: the receipt of one finished run. */
export function receiptFromRun(gate: GateCommand, result: GateRunResult, at: string): Receipt {
  const notes: string[] = [];
  if (result.spawnError !== undefined) notes.push(`[codesleuth: the command could not start: ${result.spawnError}]`);
  if (result.aborted === true) notes.push('[codesleuth: the run was stopped (aborted)]');
  const tail = outputTail(result.output);
  return {
    gate: gate.name,
    command: gate.command,
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    durationMs: result.durationMs,
    outputSha256: result.outputSha256,
    outputTail: [tail, ...notes].filter((line) => line !== '').join('\n'),
    at,
  };
}

/** Whether one receipt shows its command succeeded. */
export function receiptPassed(receipt: Receipt): boolean {
  return receipt.exitCode === 0 && !receipt.timedOut;
}

/**
 * Pure: whether the receipts prove the gates pass. No receipt proves nothing, so an empty
 * list fails. With `commands`, every command needs a passing receipt (a run that stopped at
 * the first failure leaves later gates without one).
 */
export function receiptsPass(receipts: readonly Receipt[], commands?: readonly GateCommand[]): boolean {
  if (receipts.length === 0 || !receipts.every(receiptPassed)) return false;
  if (commands === undefined) return true;
  return commands.every((c) => receipts.some((r) => r.gate === c.name && r.command === c.command));
}

/** The first receipt that failed, if any. */
export function firstFailure(receipts: readonly Receipt[]): Receipt | undefined {
  return receipts.find((r) => !receiptPassed(r));
}

/** `exit 0`, `exit 1`, `timed out`, or `no exit code (...)`, for summary lines. */
export function describeExit(receipt: Receipt): string {
  if (receipt.timedOut) return 'timed out';
  if (receipt.exitCode === null) return 'no exit code (killed by a signal, or it never started)';
  return `exit ${receipt.exitCode}`;
}

/** The end of a sentence about a run: `ended with exit 1`, `timed out`, `ended without an exit code (...)`. */
export function howItEnded(receipt: Receipt): string {
  if (receipt.timedOut) return 'timed out';
  if (receipt.exitCode === null) return 'ended without an exit code (killed by a signal, or it never started)';
  return `ended with exit ${receipt.exitCode}`;
}

/** `850 ms`, `12.3 s`, `2 min 5 s` */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** How much renderReceiptSummary shows. */
export interface ReceiptSummaryOptions {
  /** The gates that should have run; those without a receipt are listed as not run. */
  readonly commands?: readonly GateCommand[];
  /** Append the failing receipt's output tail as a fenced block (BUILD_REPORT.md; not a commit body). */
  readonly includeFailureTail?: boolean;
}

/**
 * Pure: the receipts as plain lines for a commit body or BUILD_REPORT.md, e.g.
 * `Gates: PASS (3 of 3)` then `- test: npm test → exit 0 in 4.2 s (sha256 1a2b3c4d5e6f)`.
 */
export function renderReceiptSummary(receipts: readonly Receipt[], options: ReceiptSummaryOptions = {}): string {
  const { commands } = options;
  const pass = receiptsPass(receipts, commands);
  const expected = commands?.length ?? receipts.length;
  const passed = receipts.filter(receiptPassed).length;
  const lines = [`Gates: ${pass ? 'PASS' : 'FAIL'} (${passed} of ${expected} passed)`];
  for (const r of receipts) {
    lines.push(`- ${r.gate}: ${inlineCode(r.command)} → ${describeExit(r)} in ${formatDuration(r.durationMs)} (sha256 ${r.outputSha256.slice(0, 12)}, ${r.at})`);
  }
  for (const c of commands ?? []) {
    if (!receipts.some((r) => r.gate === c.name)) lines.push(`- ${c.name}: ${inlineCode(c.command)} → not run (an earlier gate failed)`);
  }
  const failure = firstFailure(receipts);
  if (options.includeFailureTail === true && failure !== undefined) {
    lines.push('', `Last lines of ${failure.gate}:`, '', fencedBlock(failure.outputTail === '' ? '(no output)' : failure.outputTail));
  }
  return lines.join('\n');
}
