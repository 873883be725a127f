import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { errorMessage } from '../core/errors.js';
import { killProcessTree, trackProcessGroup } from './process-group.js';
import { OutputCollector } from './output-collector.js';
import { sandboxEnv } from './scrub-env.js';

/**
 * The only module in CodeSleuth that spawns processes (the git module aside, which goes
 * through simple-git). Callers decide whether a command may run (core/policy `assess`);
 * this module only runs it safely: scrubbed environment, no stdin, its own process group,
 * a hard time limit, bounded memory for output.
 */

/** What to run and within which limits. */
export interface RunCommandOptions {
  /** A shell command line, run with `bash -c` (or `sh -c` where bash is missing). */
  command: string;
  cwd: string;
  timeoutMs: number;
  /** Cap for each of stdout, stderr and the interleaved output (head + tail kept). */
  maxOutputBytes: number;
  /** Base environment, scrubbed before use; defaults to this process's environment. */
  env?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  /** Time between SIGTERM and SIGKILL when stopping the process group. */
  killGraceMs?: number;
}

/** How it went. Never thrown: a command that could not start has `spawnError`. */
export interface RunCommandResult {
  /** null when the command was ended by a signal or never started. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  output: string;
  outputSha256: string;
  truncated: boolean;
  spawnError?: string;
}

/** The port tools use, so tests can fake it. */
export type CommandRunner = (options: RunCommandOptions) => Promise<RunCommandResult>;

const DEFAULT_KILL_GRACE_MS = 2_000;

let cachedShell: string | undefined;
function shellPath(): string {
  cachedShell ??= ['/bin/bash', '/usr/bin/bash', '/bin/sh'].find((candidate) => existsSync(candidate)) ?? 'sh';
  return cachedShell;
}

/**
 * Runs one command line. The whole process group is killed on timeout or abort (SIGTERM,
 * then SIGKILL after the grace period), and once the command itself exits any process it
 * left behind in its group is killed too, so `server &` cannot outlive the call or keep
 * its output pipe open.
 */
export async function runCommand(options: RunCommandOptions): Promise<RunCommandResult> {
  const started = performance.now();
  const collector = new OutputCollector(options.maxOutputBytes);
  const done = (fields: Partial<RunCommandResult>): RunCommandResult => ({
    exitCode: null,
    signal: null,
    timedOut: false,
    aborted: false,
    ...collector.finish(),
    ...fields,
    durationMs: Math.round(performance.now() - started),
  });

  if (options.signal?.aborted) return done({ aborted: true });

  const isWindows = process.platform === 'win32';
  let child;
  try {
    const [file, args] = isWindows
      ? [process.env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', options.command]]
      : [shellPath(), ['-c', options.command]];
    child = execa(file, args, {
      cwd: options.cwd,
      env: sandboxEnv(options.env ?? process.env),
      extendEnv: false,
      detached: !isWindows,
      stdin: 'ignore',
      buffer: false,
      reject: false,
      stripFinalNewline: false,
      windowsVerbatimArguments: isWindows,
    });
  } catch (error) {
    collector.note(`could not start the command: ${errorMessage(error)}`);
    return done({ spawnError: errorMessage(error) });
  }

  const pid = child.pid;
  const untrack = pid === undefined ? () => {} : trackProcessGroup(pid);
  child.stdout?.on('data', (chunk: Buffer | string) => collector.push('stdout', chunk));
  child.stderr?.on('data', (chunk: Buffer | string) => collector.push('stderr', chunk));

  let timedOut = false;
  let aborted = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (pid === undefined || killTimer) return;
    killProcessTree(pid, 'SIGTERM');
    killTimer = setTimeout(() => killProcessTree(pid, 'SIGKILL'), options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
  };
  const timeout = setTimeout(() => {
    timedOut = true;
    stop();
  }, Math.max(1, options.timeoutMs));
  const onAbort = (): void => {
    aborted = true;
    stop();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // Leftovers in the group (`sleep 100 &`) would hold the pipes open; end them when the leader ends.
  child.once('exit', () => {
    if (pid !== undefined) killProcessTree(pid, 'SIGKILL');
  });

  const result = await child;
  clearTimeout(timeout);
  if (killTimer) clearTimeout(killTimer);
  options.signal?.removeEventListener('abort', onAbort);
  untrack();

  const neverStarted = result.failed && result.exitCode === undefined && result.signal === undefined && !timedOut && !aborted;
  if (neverStarted) {
    const message = result.originalMessage || result.shortMessage;
    collector.note(`could not start the command: ${message}`);
    return done({ spawnError: message });
  }
  return done({
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    timedOut,
    aborted,
  });
}
