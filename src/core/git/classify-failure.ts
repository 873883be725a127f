import type { GitError } from './git-results.js';
import { filesInGitMessage } from './parse-git-output.js';

/**
 * Turns git's own complaint into a typed error with a sentence a person can act on. Pure:
 * the caller ran git (with LC_MESSAGES=C so the words are English) and passes its stderr.
 */

/** One failed git invocation, as the runner saw it. */
export interface FailedGit {
  /** `git commit`, `git worktree add`, ... (the subcommand, for the message). */
  readonly command: string;
  /** The directory git ran in. */
  readonly cwd: string;
  readonly exitCode: number;
  readonly stderr: string;
  /** Set when git could not be started at all. */
  readonly spawnError?: string;
}

/** Drops git's "hint:" lines and blank lines; keeps what it said went wrong. */
export function gitDetail(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => line.trim().length > 0 && !line.startsWith('hint:'))
    .join('\n')
    .trim();
}

/** The typed error for a failed git invocation. */
export function classifyGitFailure(failure: FailedGit): GitError {
  const { stderr, cwd, command } = failure;
  const detail = gitDetail(stderr);
  const withDetail = detail.length > 0 ? { detail } : {};
  if (failure.spawnError !== undefined) {
    return {
      kind: 'git-missing',
      message: 'git could not be started; it is not installed or not on PATH.',
      hint: 'Install git (https://git-scm.com/downloads) and make sure `git --version` works in this terminal.',
      detail: failure.spawnError,
    };
  }
  if (/not a git repository/i.test(stderr)) {
    return { kind: 'not-a-repo', message: `${cwd} is not inside a git repository.`, hint: 'Run `git init` there, or choose the folder of an existing repository.', ...withDetail };
  }
  const owner = /detected dubious ownership in repository at '([^']+)'/.exec(stderr);
  if (owner) {
    return {
      kind: 'unsafe-repository',
      message: `git refuses to work in ${owner[1]} because it belongs to another user.`,
      hint: `If you trust this folder, run: git config --global --add safe.directory '${owner[1]}'`,
      ...withDetail,
    };
  }
  const lock = /Unable to create '([^']+\.lock)': File exists/.exec(stderr);
  if (lock) {
    return {
      kind: 'locked',
      message: 'Another git process is working in this repository.',
      hint: `Wait for it to finish. If no git is running (it crashed), delete ${lock[1]} and try again.`,
      ...withDetail,
    };
  }
  if (/would be overwritten by|untracked working tree files would be (overwritten|removed)/.test(stderr)) {
    const files = filesInGitMessage(stderr);
    return {
      kind: 'uncommitted-changes',
      message: `\`${command}\` would overwrite uncommitted changes${files.length > 0 ? ` in ${files.join(', ')}` : ''}.`,
      hint: 'Commit those files, or let CodeSleuth snapshot them first, then try again.',
      files,
      ...withDetail,
    };
  }
  const branch = /a branch named '([^']+)' already exists/.exec(stderr);
  if (branch) {
    return { kind: 'branch-exists', message: `A branch named ${branch[1]} already exists.`, hint: 'Pick another name, or remove the old branch first.', ...withDetail };
  }
  const existing = /'([^']+)' already exists/.exec(stderr);
  if (existing) {
    return { kind: 'path-exists', message: `${existing[1]} already exists.`, hint: 'Choose an empty or new directory.', ...withDetail };
  }
  if (/unknown revision|bad revision|not a valid object name|Needed a single revision|invalid reference|not a commit|not something we can merge/i.test(stderr)) {
    return { kind: 'unknown-revision', message: `\`${command}\`: git does not know that commit or branch.`, hint: 'Check the name with `git log --oneline` or `git branch`.', ...withDetail };
  }
  return {
    kind: 'git-failed',
    message: `\`${command}\` failed in ${cwd}${detail.length > 0 ? `: ${firstLine(detail)}` : ` (exit code ${failure.exitCode})`}.`,
    ...withDetail,
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.replace(/^(fatal|error): /, '');
}
