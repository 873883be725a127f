import type { SimpleGit, SimpleGitOptions } from 'simple-git';
import { classifyGitFailure } from '../core/git/classify-failure.js';
import { gitOk, type GitResult } from '../core/git/git-results.js';
import { errorMessage } from '../core/errors.js';

/**
 * The one place CodeSleuth starts git (through simple-git). Every call gets a controlled
 * environment: git's own variables from the caller's environment are dropped (a GIT_DIR or
 * GIT_INDEX_FILE left by a hook must not redirect us), except those in KEPT_GIT_VARIABLES;
 * messages are in English so failures can be classified; no prompt, no optional index
 * writes (`git status` must not touch the person's index). Hooks inherit this environment,
 * so nothing here may change what a hook's own git commands mean (hence no
 * GIT_LITERAL_PATHSPECS: paths are made literal one by one, see pathspecArgs).
 */

/** How git runs for one port. */
export interface GitRunnerOptions {
  /** Base environment; defaults to this process's. Tests point HOME elsewhere through it. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A git process silent for this long is killed. */
  readonly idleTimeoutMs?: number;
}

/** One git invocation's raw outcome. Never thrown. */
export interface GitRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when git could not be started. */
  readonly spawnError?: string;
}

/** Extra settings for one invocation. */
export interface GitCallOptions {
  /** Variables added to the environment (GIT_INDEX_FILE, ...). */
  readonly env?: Readonly<Record<string, string>>;
  /** `-c key=value` settings (the fallback identity). */
  readonly config?: readonly string[];
}

/** Runs git in a directory. */
export interface GitRunner {
  /** The raw outcome, whatever the exit code. */
  exec(cwd: string, args: readonly string[], options?: GitCallOptions): Promise<GitRun>;
  /** stdout on success; a classified error otherwise. */
  run(cwd: string, args: readonly string[], options?: GitCallOptions): Promise<GitResult<string>>;
}

/** Variables a person or CI sets on purpose and that cannot redirect git: identity, and skipping /etc/gitconfig. */
const KEPT_GIT_VARIABLES = new Set(['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'GIT_CONFIG_NOSYSTEM']);

/** Variables simple-git refuses to pass (they can make git run other programs). */
const GUARDED = new Set(['editor', 'visual', 'pager', 'prefix', 'ssh_askpass']);

const FIXED_ENV: Readonly<Record<string, string>> = {
  LC_MESSAGES: 'C',
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0',
};

// Generous: a commit hook may run a test suite without printing anything.
const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60_000;

/** The environment git runs with (see the module comment). Exported for tests. */
export function gitEnvironment(base: Readonly<Record<string, string | undefined>>, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower.startsWith('git') && !KEPT_GIT_VARIABLES.has(name)) continue;
    if (GUARDED.has(lower)) continue;
    env[name] = value;
  }
  // LC_ALL would override LC_MESSAGES; keep its character set for hooks, drop its language.
  if (env.LC_ALL !== undefined) {
    env.LC_CTYPE ??= env.LC_ALL;
    delete env.LC_ALL;
  }
  return { ...env, ...FIXED_ENV, ...extra };
}

type SimpleGitFactory = (options: Partial<SimpleGitOptions>) => SimpleGit;
interface Loaded {
  readonly simpleGit: SimpleGitFactory;
  readonly failure: (run: GitRun) => Error;
}
let loaded: Promise<Loaded> | undefined;

/** simple-git is loaded on first use, so CodeSleuth's first prompt does not wait for it. */
function load(): Promise<Loaded> {
  loaded ??= import('simple-git').then(({ simpleGit, GitError }) => {
    // A GitError subclass passes through simple-git untouched, carrying the exit code.
    class GitExit extends GitError {
      constructor(readonly run: GitRun) {
        super(undefined, run.stderr || run.spawnError || `git exited with ${run.exitCode}`);
      }
    }
    return { simpleGit, failure: (run: GitRun) => new GitExit(run) };
  });
  return loaded;
}

/** A runner over simple-git with the environment above. */
export function createGitRunner(options: GitRunnerOptions = {}): GitRunner {
  const base = options.env ?? process.env;
  const exec = async (cwd: string, args: readonly string[], call: GitCallOptions = {}): Promise<GitRun> => {
    const { simpleGit, failure } = await load();
    const env = gitEnvironment(base, call.env);
    let instance: SimpleGit;
    try {
      instance = simpleGit({
        baseDir: cwd,
        config: [...(call.config ?? [])],
        trimmed: false,
        allowEnvironment: Object.keys(env).filter((name) => name.toLowerCase().startsWith('git')),
        timeout: { block: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS },
        errors: (error, result) => {
          if (result.exitCode === 0 && error === undefined) return undefined;
          const stderr = Buffer.concat(result.stdErr).toString('utf8');
          const spawnFailed = error !== undefined && /ENOENT|EACCES|spawn/.test(`${errorMessage(error)}\n${stderr}`) && result.exitCode <= 0;
          return failure({
            exitCode: result.exitCode,
            stdout: Buffer.concat(result.stdOut).toString('utf8'),
            stderr: spawnFailed ? '' : stderr,
            ...(spawnFailed ? { spawnError: errorMessage(error) } : {}),
          });
        },
      }).env(env);
    } catch (error) {
      // simple-git refuses a directory that does not exist before it starts git.
      return { exitCode: 128, stdout: '', stderr: `fatal: not a git repository: ${errorMessage(error)}\n` };
    }
    try {
      const stdout = await instance.raw([...args]);
      return { exitCode: 0, stdout, stderr: '' };
    } catch (error) {
      if (error !== null && typeof error === 'object' && 'run' in error) return (error as { run: GitRun }).run;
      return { exitCode: -1, stdout: '', stderr: errorMessage(error) };
    }
  };
  return {
    exec,
    async run(cwd, args, call) {
      const result = await exec(cwd, args, call);
      if (result.exitCode === 0) return gitOk(result.stdout);
      const failure = classifyGitFailure({
        command: `git ${args.find((arg) => !arg.startsWith('-')) ?? ''}`.trim(),
        cwd,
        exitCode: result.exitCode,
        stderr: result.stderr.length > 0 ? result.stderr : result.stdout,
        ...(result.spawnError !== undefined ? { spawnError: result.spawnError } : {}),
      });
      return { ok: false, error: failure };
    },
  };
}
