import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../core/errors.js';
import { FINDING_SEVERITIES } from '../core/security/finding.js';
import { npmAuditFindings, parseNpmAuditOutput } from '../core/security/npm-audit.js';
import { runCommand, type CommandRunner } from '../sandbox/process-runner.js';
import type { ScanResult } from './secrets-scanner.js';

/**
 * Known-vulnerable dependencies via `npm audit --json`, run through the process runner.
 * When the audit cannot run (not an npm project, no lockfile, npm missing, no network) the
 * result says so and why; it never passes silence off as a clean audit.
 */

export interface DepsScanOptions {
  readonly runner?: CommandRunner;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export const NPM_AUDIT_COMMAND = 'npm audit --json';
const DEFAULT_TIMEOUT_MS = 120_000;
const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json'] as const;
const OTHER_LOCKFILES: Readonly<Record<string, string>> = { 'yarn.lock': 'yarn npm audit', 'pnpm-lock.yaml': 'pnpm audit', 'bun.lockb': 'bun audit' };
const NETWORK_TROUBLE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network|socket|proxy|request to .* failed|audit endpoint|\b40[0-9]\b|\b5\d\d\b/i;

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

const notRun = (message: string): ScanResult => ({ findings: [], notes: [{ scanner: 'deps', ran: false, message }] });

/** Audits the npm dependencies of the project at `root`. */
export async function scanDependencies(root: string, options: DepsScanOptions = {}): Promise<ScanResult> {
  if (!(await exists(path.join(root, 'package.json')))) {
    return notRun('npm audit not run: no package.json, so this is not an npm project');
  }
  let lockfile: string | undefined;
  for (const name of LOCKFILES) {
    if (await exists(path.join(root, name))) {
      lockfile = name;
      break;
    }
  }
  if (lockfile === undefined) {
    for (const [name, tool] of Object.entries(OTHER_LOCKFILES)) {
      if (await exists(path.join(root, name))) {
        return notRun(`npm audit could not run: no package-lock.json; this project uses ${name}, which npm audit does not read (try \`${tool}\`)`);
      }
    }
    return notRun('npm audit could not run: no lockfile (package-lock.json); run `npm install` to create one, then scan again');
  }

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const result = await (options.runner ?? runCommand)({
    command: NPM_AUDIT_COMMAND,
    cwd: root,
    timeoutMs,
    maxOutputBytes: 16 * 1024 * 1024,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (result.spawnError !== undefined || result.exitCode === 127) {
    return notRun(`npm audit could not run: npm is not installed or not on PATH (${result.spawnError ?? 'command not found'})`);
  }
  if (result.timedOut) return notRun(`npm audit could not run: it did not finish within ${Math.round(timeoutMs / 1000)} s (no network access to the registry?)`);
  if (result.aborted) return notRun('npm audit could not run: stopped before it finished');

  const outcome = parseNpmAuditOutput(result.stdout, result.stderr);
  if (outcome.kind === 'failed') {
    const network = NETWORK_TROUBLE.test(outcome.reason) ? ' (the registry or its audit endpoint could not be used: no network access?)' : '';
    return notRun(`npm audit could not run: ${outcome.reason}${network}`);
  }

  let lockText: string;
  try {
    lockText = await readFile(path.join(root, lockfile), 'utf8');
  } catch (error) {
    return notRun(`npm audit ran, but ${lockfile} could not be read to place its findings: ${errorMessage(error)}`);
  }
  const findings = npmAuditFindings(outcome.report, { path: lockfile, text: lockText });
  const counts = FINDING_SEVERITIES.map((severity) => `${findings.filter((f) => f.severity === severity).length} ${severity.toLowerCase()}`);
  return {
    findings,
    notes: [
      {
        scanner: 'deps',
        ran: true,
        message: `npm audit (${lockfile}): ${findings.length} vulnerable package${findings.length === 1 ? '' : 's'} (${counts.join(', ')})`,
      },
    ],
  };
}
