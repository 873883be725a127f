import { runCommand, type CommandRunner } from '../sandbox/process-runner.js';
import { parseGitLogPatch, type AddedLine } from './git-log-parse.js';

/**
 * The lines every commit of the project added, read with `git log -p` through the process
 * runner (the one module that spawns processes), so history is scanned with the same
 * time limit, output cap and scrubbed environment as any other command.
 */

export interface GitHistoryOptions {
  readonly runner?: CommandRunner;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
  readonly maxOutputBytes?: number;
  readonly signal?: AbortSignal;
}

/** The added lines, or why history could not be read. `truncated` means the middle of a very long log was not seen. */
export type GitHistory =
  | { readonly kind: 'read'; readonly lines: AddedLine[]; readonly commits: number; readonly truncated: boolean }
  | { readonly kind: 'unavailable'; readonly reason: string };

const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/**
 * Settings that would change the shape of the patch are pinned on the command line
 * (prefixes, colours, external diff drivers, signatures). `--relative` keeps paths relative
 * to the project folder and limits the log to it when the folder sits inside a larger repository.
 */
export const GIT_LOG_COMMAND =
  'git -c core.quotepath=false -c log.showSignature=false -c color.ui=never log --all -p -U0 --relative ' +
  '--no-color --no-ext-diff --no-textconv --no-renames --src-prefix=a/ --dst-prefix=b/ --format=commit%x20%H';

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((line) => line.trim() !== '')?.trim() ?? '';
}

/** Reads every added line of the project's history; never throws. */
export async function readGitHistory(root: string, options: GitHistoryOptions = {}): Promise<GitHistory> {
  const run = options.runner ?? runCommand;
  const base = {
    cwd: root,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };

  const probe = await run({ ...base, command: 'git rev-parse --is-inside-work-tree', timeoutMs: 15_000, maxOutputBytes: 64 * 1024 });
  if (probe.spawnError !== undefined || probe.exitCode === 127) {
    return { kind: 'unavailable', reason: `git could not run (${probe.spawnError ?? (firstLine(probe.stderr) || 'not found')})` };
  }
  if (probe.exitCode !== 0 || probe.stdout.trim() !== 'true') {
    const said = firstLine(probe.stderr);
    return { kind: 'unavailable', reason: `not a git repository${said ? ` (${said})` : ''}` };
  }

  const log = await run({
    ...base,
    command: GIT_LOG_COMMAND,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
  });
  if (log.timedOut) return { kind: 'unavailable', reason: `git log did not finish within ${Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s` };
  if (log.aborted) return { kind: 'unavailable', reason: 'stopped before git log finished' };
  if (log.exitCode !== 0) {
    const said = firstLine(log.stderr);
    if (/does not have any commits yet/i.test(log.stderr)) return { kind: 'read', lines: [], commits: 0, truncated: false };
    return { kind: 'unavailable', reason: `git log failed (exit ${String(log.exitCode)}${said ? `: ${said}` : ''})` };
  }
  const commits = log.stdout.match(/^commit [0-9a-f]{40}$/gm)?.length ?? 0;
  return { kind: 'read', lines: parseGitLogPatch(log.stdout), commits, truncated: log.truncated };
}
