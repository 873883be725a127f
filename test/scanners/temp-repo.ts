import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Planted secrets and dangerous lines are assembled at run time, so this repository never
 * holds a credential-shaped string or a dangerous call that a scan of CodeSleuth itself
 * would report (test/scanners/self-scan.test.ts checks that).
 */
export const PLANTED = {
  /** AWS access key id shape: AKIA + 16 of [0-9A-Z]. Obviously not a real key. */
  awsKeyId: ['AKIA', 'TESTONLY', '77777777'].join(''),
  githubToken: ['ghp', '_', 'T'.repeat(36)].join(''),
  evalOnRequest: ['ev', 'al(req.body.code)'].join(''),
} as const;

/** A throw-away project folder; git commands run with a fixed identity and no user config. */
export interface TempRepo {
  readonly root: string;
  write(relative: string, content: string | Buffer): Promise<void>;
  git(...args: string[]): string;
  /** Stages everything and commits; returns the new commit's full SHA. */
  commit(message: string): string;
  cleanup(): Promise<void>;
}

const GIT_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

export async function createTempRepo(options: { git?: boolean } = {}): Promise<TempRepo> {
  const base = await realpath(await mkdtemp(path.join(tmpdir(), 'codesleuth-scan-')));
  const root = path.join(base, 'project');
  await mkdir(root);
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
      cwd: root,
      env: { ...process.env, ...GIT_ENV },
      encoding: 'utf8',
    }).trim();
  if (options.git !== false) git('init', '-q');
  return {
    root,
    async write(relative, content) {
      const file = path.join(root, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
    },
    git,
    commit(message) {
      git('add', '-A');
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}
