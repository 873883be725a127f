import { lstat, mkdir, readFile, readdir, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import { effectiveGateCommands, type GateCommand } from '../core/build/gate-commands.js';
import { errorMessage } from '../core/errors.js';
import type { GitPort } from '../core/git/ports.js';
import { coveragePlanFor, parseCoveragePercent } from '../core/release/coverage.js';
import type { CleanRun, CoverageResult, ReleaseFiles } from '../core/release/release-checks.js';
import { VERSION_MANIFESTS, findReleaseFiles } from '../core/release/release-files.js';
import { projectPrefix } from '../core/build/task-files.js';
import type { ReleaseChecksPort } from '../core/session/release-port.js';
import { loadGateCommands } from '../build/load-gate-commands.js';
import { runGateCommands } from '../build/run-gate-commands.js';
import { runCommand, type CommandRunner } from '../sandbox/process-runner.js';
import { runSecurityScanners } from '../scanners/run-scanners.js';

/**
 * The release checks over a real project. The clean run checks out the build's commit (the tip
 * of its branch, else HEAD) into a fresh git
 * worktree outside the person's repository, so an uncommitted fix cannot make a committed
 * failure pass; the project's installed node_modules (never committed) is linked in, so the
 * checks need no network. The worktree and its branch are removed afterwards, whatever happened.
 */

export interface ReleaseChecksOptions {
  readonly git: GitPort;
  /** config/settings.json coverage_threshold, in percent. */
  readonly coverageThreshold: number;
  /** Time limit of each gate command and of the coverage run. */
  readonly timeoutMs?: number;
  readonly runner?: CommandRunner;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly now?: () => Date;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

async function readPackageJson(dir: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The release files of the committed project in the clean checkout: at the project's top, and
 * for a project below the repository's top, a README, licence or changelog of the repository
 * (named relative to the project, e.g. ../LICENSE) when the project has none of its own.
 */
async function releaseFilesIn(dir: string, top: string): Promise<ReleaseFiles> {
  const names = await readdir(dir);
  const manifest = VERSION_MANIFESTS.find((name) => names.includes(name));
  const text = manifest === undefined ? undefined : await readFile(path.join(dir, manifest), 'utf8').catch(() => '');
  const own = findReleaseFiles(names, manifest === undefined ? undefined : { name: manifest, text: text ?? '' });
  if (path.resolve(dir) === path.resolve(top)) return own;
  const repository = findReleaseFiles(await readdir(top), undefined);
  const up = (name: string | null) => (name === null ? null : path.relative(dir, path.join(top, name)).split(path.sep).join('/'));
  return { ...own, readme: own.readme ?? up(repository.readme), licence: own.licence ?? up(repository.licence), changelog: own.changelog ?? up(repository.changelog) };
}

/** The scanners and the clean-worktree run, as the session's ReleaseChecksPort. */
export function createReleaseChecks(options: ReleaseChecksOptions): ReleaseChecksPort {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const run = options.runner ?? runCommand;
  const now = options.now ?? (() => new Date());
  const envOption = options.env === undefined ? {} : { env: options.env };

  async function measureCoverage(dir: string, signal: AbortSignal | undefined): Promise<CoverageResult> {
    const threshold = options.coverageThreshold;
    const plan = coveragePlanFor(await readPackageJson(dir));
    if (plan.kind === 'unsupported') return { kind: 'not-measured', reason: plan.reason, threshold };
    const result = await run({ command: plan.command, cwd: dir, timeoutMs, maxOutputBytes: 4 * 1024 * 1024, ...envOption, ...(signal ? { signal } : {}) });
    if (result.spawnError !== undefined) return { kind: 'not-measured', reason: `\`${plan.command}\` could not start: ${result.spawnError}`, threshold };
    if (result.timedOut) return { kind: 'not-measured', reason: `\`${plan.command}\` did not finish within ${Math.round(timeoutMs / 1000)} s`, threshold };
    const percent = parseCoveragePercent(result.output);
    if (percent === undefined) {
      const exit = result.exitCode === 0 ? '' : ` (it exited with ${result.exitCode ?? 'a signal'})`;
      return { kind: 'not-measured', reason: `\`${plan.command}\` printed no "all files" coverage line${exit}`, threshold };
    }
    return { kind: 'measured', command: plan.command, percent, threshold };
  }

  return {
    async scan(projectPath, signal) {
      const result = await runSecurityScanners(projectPath, { ...envOption, ...(signal ? { signal } : {}) });
      return { findings: result.findings, notes: result.notes };
    },

    async cleanRun({ projectPath, branch: buildBranch, worktreeDir, gateCommands, signal }): Promise<CleanRun> {
      const notRun = { source: 'none' as const, commands: [] as GateCommand[], receipts: [] };
      const noCoverage = (reason: string): CoverageResult => ({ kind: 'not-measured', reason, threshold: options.coverageThreshold });
      const branch = `codesleuth/verify-${now().toISOString().replace(/[^0-9]/g, '').slice(0, 14)}`;
      try {
        await mkdir(path.dirname(worktreeDir), { recursive: true });
      } catch (error) {
        return { worktree: { ok: false, message: `could not create ${path.dirname(worktreeDir)}: ${errorMessage(error)}` }, gates: notRun, coverage: noCoverage('no clean worktree') };
      }
      // The build's commits are on its branch: verify its tip, wherever the person's checkout is now.
      const added = await options.git.addWorktree(projectPath, { branch, base: buildBranch ?? 'HEAD', dir: worktreeDir });
      if (!added.ok) {
        const message = `${added.error.message}${added.error.hint ? ` ${added.error.hint}` : ''}`;
        const which = buildBranch ? ` (the build's branch ${buildBranch}, recorded in HANDOFF.json, could not be checked out: if it was renamed or deleted, check out the branch with the build's commits and type !verify again)` : '';
        return { ...(buildBranch ? { branch: buildBranch } : {}), worktree: { ok: false, message: `${message}${which}` }, gates: notRun, coverage: noCoverage('no clean worktree') };
      }
      const top = added.value.dir;
      const commit = added.value.head ?? undefined;
      // The project may live below the repository's top; the checks run where it is in the checkout.
      const status = await options.git.status(projectPath);
      const here = status.ok ? status.value : undefined;
      const elsewhere = here !== undefined && commit !== undefined && here.head !== commit;
      const where = {
        ...(buildBranch ? { branch: buildBranch } : {}),
        ...(elsewhere ? { checkout: `${here.branch ?? 'a detached HEAD'} at ${here.head?.slice(0, 12) ?? 'no commit'}` } : {}),
      };
      const prefix = status.ok ? (projectPrefix(status.value.root, projectPath) ?? '') : '';
      const dir = path.join(top, prefix);
      const modules = path.join(dir, 'node_modules');
      let linked = false;
      let result: CleanRun;
      try {
        if ((await exists(path.join(projectPath, 'node_modules'))) && !(await exists(modules))) {
          await symlink(path.join(projectPath, 'node_modules'), modules, 'junction');
          linked = true;
        }
        const detected = await loadGateCommands(dir);
        const commands = effectiveGateCommands(detected, gateCommands);
        const receipts = commands.length === 0 ? [] : await runGateCommands(dir, commands, { timeoutMs, ...envOption, ...(signal ? { signal } : {}), now, ...(options.runner ? { runner: options.runner } : {}) });
        const coverage = await measureCoverage(dir, signal);
        const files = await releaseFilesIn(dir, top);
        result = {
          ...(commit ? { commit } : {}),
          ...where,
          worktree: { ok: true, message: `${buildBranch ?? 'HEAD'} ${commit?.slice(0, 12) ?? ''} checked out at ${dir}${linked ? " (the project's node_modules linked in)" : ''}` },
          gates: {
            source: gateCommands ? 'override' : commands.length > 0 ? 'detected' : 'none',
            commands: commands.map((c) => ({ name: c.name, command: c.command })),
            receipts,
            ...(detected.problem && !gateCommands ? { problem: detected.problem } : {}),
          },
          coverage,
          files,
        };
      } catch (error) {
        result = { ...(commit ? { commit } : {}), ...where, worktree: { ok: false, message: `the checks could not run in ${dir}: ${errorMessage(error)}` }, gates: notRun, coverage: noCoverage('the checks could not run') };
      }
      if (linked) await unlink(modules).catch(() => undefined);
      // The branch only marks the checkout; it and the worktree go, even if the tests left files behind.
      const removed = await options.git.removeWorktree(projectPath, top, { deleteBranch: true, force: true });
      const cleanup = removed.ok ? '; removed afterwards' : `; it could not be removed (${removed.error.message}): remove it with \`git worktree remove --force ${top}\``;
      return { ...result, worktree: { ...result.worktree, message: `${result.worktree.message}${cleanup}` } };
    },
  };
}
