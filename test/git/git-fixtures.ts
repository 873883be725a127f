import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { GitResult } from '../../src/core/git/git-results.js';
import type { GitPort } from '../../src/core/git/ports.js';
import { createGitPort } from '../../src/git/git-port.js';

/**
 * Real repositories in temp folders, made with plain git. Every test gets its own HOME
 * (no global config, so no identity) and never reads the machine's /etc/gitconfig.
 */

export interface Sandbox {
  readonly root: string;
  /** An empty HOME for git. */
  readonly home: string;
  readonly env: Record<string, string | undefined>;
  readonly port: GitPort;
  /** Runs plain git (identity given on the command line, never written to config). */
  git(cwd: string, ...args: string[]): string;
  /** Makes a repository at root/<name> with one commit (unless `empty`). */
  repo(name?: string, options?: { empty?: boolean }): Promise<string>;
  cleanup(): Promise<void>;
}

export async function makeSandbox(now?: () => Date): Promise<Sandbox> {
  const root = await mkdtemp(path.join(tmpdir(), 'codesleuth-git-test-'));
  const home = path.join(root, 'home');
  await mkdir(home);
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.toUpperCase().startsWith('GIT')) env[name] = value;
  Object.assign(env, { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' });
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.com', '-c', 'init.defaultBranch=main', ...args], {
      cwd,
      env: env as NodeJS.ProcessEnv,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const port = createGitPort({ env, ...(now ? { now } : {}) });
  return {
    root,
    home,
    env,
    port,
    git,
    async repo(name = 'repo', options = {}) {
      const dir = path.join(root, name);
      await mkdir(dir, { recursive: true });
      git(dir, 'init', '-q');
      if (!options.empty) {
        await writeFile(path.join(dir, 'README.md'), '# project\n');
        git(dir, 'add', '-A');
        git(dir, 'commit', '-q', '-m', 'initial');
      }
      return dir;
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** The value of a successful result; fails the test with the error otherwise. */
export function ok<T>(result: GitResult<T>): T {
  if (!result.ok) expect.fail(`expected success, got ${result.error.kind}: ${result.error.message}${result.error.detail ? `\n${result.error.detail}` : ''}`);
  return result.value;
}

/** The error of a failed result; fails the test if it succeeded. */
export function failure<T>(result: GitResult<T>) {
  if (result.ok) expect.fail(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}

export async function write(dir: string, file: string, text: string | Buffer): Promise<void> {
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), text);
}

export async function read(dir: string, file: string): Promise<string> {
  return readFile(path.join(dir, file), 'utf8');
}

export async function exists(dir: string, file: string): Promise<boolean> {
  return stat(path.join(dir, file)).then(
    () => true,
    () => false,
  );
}

/** Every file under `dir` except .git, with its bytes (hex), sorted: a byte-for-byte picture. */
export async function treeBytes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (sub: string) => {
    for (const entry of await readdir(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (rel === '.git') continue;
      if (entry.isDirectory()) await walk(rel);
      else out[rel] = (await readFile(path.join(dir, rel))).toString('hex');
    }
  };
  await walk('');
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
