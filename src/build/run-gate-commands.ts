import { receiptFromRun, receiptPassed, type Receipt } from '../core/build/receipts.js';
import type { GateCommand } from '../core/build/gate-commands.js';
import { runCommand, type CommandRunner } from '../sandbox/process-runner.js';

/*
 * Runs the project's gate commands through the one process runner and turns each run into
 * a receipt. The exit codes in the receipts are the processes' own; nothing here takes an
 * agent's word for anything.
 */

/** Limits and ports of one gate run. */
export interface RunGateOptions {
  /** Time limit of each command. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Output kept per command (head and tail); the receipt keeps the tail. Default 1 MiB. */
  readonly maxOutputBytes?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The process runner; tests may pass a fake. */
  readonly runner?: CommandRunner;
  /** Clock for the receipts' `at`. */
  readonly now?: () => Date;
}

const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

/**
 * Runs `commands` in `projectDir` one after another and stops at the first that fails (or
 * times out, or is aborted): later gates would only repeat the news. Returns a receipt per
 * command that ran, in order. Never throws for a failing command; that is what receipts are for.
 */
export async function runGateCommands(projectDir: string, commands: readonly GateCommand[], options: RunGateOptions): Promise<Receipt[]> {
  const run = options.runner ?? runCommand;
  const now = options.now ?? (() => new Date());
  const receipts: Receipt[] = [];
  for (const gate of commands) {
    if (options.signal?.aborted) break;
    const result = await run({
      command: gate.command,
      cwd: projectDir,
      timeoutMs: options.timeoutMs,
      maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      ...(options.env ? { env: options.env } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const receipt = receiptFromRun(gate, result, now().toISOString());
    receipts.push(receipt);
    if (!receiptPassed(receipt)) break;
  }
  return receipts;
}
