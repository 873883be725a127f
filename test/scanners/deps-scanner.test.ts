import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mapNpmSeverity, npmAuditFindings, npmAuditReportSchema, parseNpmAuditOutput } from '../../src/core/security/npm-audit.js';
import type { RunCommandOptions, RunCommandResult } from '../../src/sandbox/process-runner.js';
import { NPM_AUDIT_COMMAND, scanDependencies } from '../../src/scanners/deps-scanner.js';
import { createTempRepo, type TempRepo } from './temp-repo.js';

/**
 * The audit fixture is written by hand in the shape npm 7+ prints for `npm audit --json`
 * (auditReportVersion 2); this machine has no network to record a live one.
 */
const AUDIT_JSON = await readFile(new URL('./fixtures/npm-audit-v2.json', import.meta.url), 'utf8');

const PACKAGE_JSON = JSON.stringify({ name: 'demo', version: '1.0.0', dependencies: { lodash: '4.17.20', mkdirp: '0.5.1', semver: '7.5.1' } }, null, 2);

/** A lockfile (v3) listing the packages of the fixture; line numbers are what the findings must cite. */
const LOCKFILE = `${JSON.stringify(
  {
    name: 'demo',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'demo', version: '1.0.0', dependencies: { lodash: '4.17.20', mkdirp: '0.5.1', semver: '7.5.1' } },
      'node_modules/debug': { version: '2.6.8' },
      'node_modules/lodash': { version: '4.17.20' },
      'node_modules/mkdirp': { version: '0.5.1', dependencies: { minimist: '0.0.8' } },
      'node_modules/mkdirp/node_modules/minimist': { version: '0.0.8' },
      'node_modules/semver': { version: '7.5.1' },
    },
  },
  null,
  2,
)}\n`;

const lineOf = (needle: string): number => LOCKFILE.split('\n').findIndex((line) => line.includes(needle)) + 1;

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

function ran(stdout: string, exitCode = 1): RunCommandResult {
  return { exitCode, signal: null, timedOut: false, aborted: false, durationMs: 5, stdout, stderr: '', output: stdout, outputSha256: '', truncated: false };
}

describe('npm audit JSON mapping (recorded-shape fixture)', () => {
  const report = npmAuditReportSchema.parse(JSON.parse(AUDIT_JSON));
  const findings = npmAuditFindings(report, { path: 'package-lock.json', text: LOCKFILE });

  it('maps npm severities onto ours', () => {
    expect(['critical', 'high', 'moderate', 'low', 'info'].map(mapNpmSeverity)).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'LOW']);
  });

  it('makes one finding per vulnerable package, at its lockfile entry', () => {
    expect(findings.map((f) => [f.id, f.severity, f.file, f.line])).toEqual([
      ['deps:debug', 'LOW', 'package-lock.json', lineOf('"node_modules/debug"')],
      ['deps:lodash', 'HIGH', 'package-lock.json', lineOf('"node_modules/lodash"')],
      ['deps:minimist', 'CRITICAL', 'package-lock.json', lineOf('"node_modules/mkdirp/node_modules/minimist"')],
      ['deps:mkdirp', 'CRITICAL', 'package-lock.json', lineOf('"node_modules/mkdirp"')],
      ['deps:semver', 'MEDIUM', 'package-lock.json', lineOf('"node_modules/semver"')],
    ]);
    expect(findings.every((f) => f.domain === 'S9' && f.source === 'scanner:deps' && f.status === 'open')).toBe(true);
  });

  it('carries the advisory, the path it comes through and the fix', () => {
    const byId = new Map(findings.map((f) => [f.id, f]));
    expect(byId.get('deps:lodash')).toMatchObject({ title: 'lodash: Command Injection in lodash', fix: 'Run `npm audit fix`.' });
    expect(byId.get('deps:lodash')?.evidence).toContain('https://github.com/advisories/GHSA-35jh-r3h4-6jhm (affects <4.17.21)');
    expect(byId.get('deps:mkdirp')).toMatchObject({
      title: 'Vulnerable dependency mkdirp',
      fix: 'Update mkdirp to 3.0.1 (a major version: check for breaking changes).',
    });
    expect(byId.get('deps:mkdirp')?.evidence).toContain('- vulnerable through: minimist');
    expect(byId.get('deps:debug')?.fix).toMatch(/^No fix is published yet/);
  });

  it('reads npm\'s error JSON and plain failures as reasons, not as a clean audit', () => {
    const offline = JSON.stringify({ message: 'request to https://registry.npmjs.org/-/npm/v1/security/advisories/bulk failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org', error: { summary: '', detail: '' } });
    expect(parseNpmAuditOutput(offline)).toEqual({ kind: 'failed', reason: expect.stringContaining('ENOTFOUND') });
    expect(parseNpmAuditOutput('', 'npm error code ENOLOCK\nnpm error audit This command requires an existing lockfile.')).toEqual({
      kind: 'failed',
      reason: 'code ENOLOCK; audit This command requires an existing lockfile.',
    });
    expect(parseNpmAuditOutput('{"advisories":{}}')).toMatchObject({ kind: 'failed', reason: expect.stringContaining('auditReportVersion 2') });
  });
});

describe('scanDependencies', () => {
  it('says it did not run when there is no package.json', async () => {
    repo = await createTempRepo({ git: false });
    expect(await scanDependencies(repo.root)).toEqual({
      findings: [],
      notes: [{ scanner: 'deps', ran: false, message: 'npm audit not run: no package.json, so this is not an npm project' }],
    });
  });

  it('says it could not run without a lockfile, and never starts npm', async () => {
    repo = await createTempRepo({ git: false });
    await repo.write('package.json', PACKAGE_JSON);
    const runner = vi.fn();
    const result = await scanDependencies(repo.root, { runner });
    expect(runner).not.toHaveBeenCalled();
    expect(result.notes).toEqual([
      { scanner: 'deps', ran: false, message: 'npm audit could not run: no lockfile (package-lock.json); run `npm install` to create one, then scan again' },
    ]);
    await repo.write('yarn.lock', '# yarn lockfile v1\n');
    expect((await scanDependencies(repo.root, { runner })).notes[0]?.message).toContain('this project uses yarn.lock');
  });

  it('runs the real npm, which cannot reach its registry here, and says why', async () => {
    repo = await createTempRepo({ git: false });
    await repo.write('package.json', PACKAGE_JSON);
    await repo.write('package-lock.json', LOCKFILE);
    // A closed local port stands in for "no network", so the test means the same on any machine.
    const env = { ...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' };
    const result = await scanDependencies(repo.root, { env, timeoutMs: 60_000 });
    expect(result.findings).toEqual([]);
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toMatchObject({ scanner: 'deps', ran: false });
    expect(result.notes[0]?.message).toMatch(/^npm audit could not run: .*ECONNREFUSED/);
    expect(result.notes[0]?.message).toContain('(the registry or its audit endpoint could not be used: no network access?)');
  });

  it('says so when npm itself is missing', async () => {
    repo = await createTempRepo({ git: false });
    await repo.write('package.json', PACKAGE_JSON);
    await repo.write('package-lock.json', LOCKFILE);
    const result = await scanDependencies(repo.root, { env: { ...process.env, PATH: '/nonexistent' } });
    expect(result.notes[0]).toMatchObject({ scanner: 'deps', ran: false, message: expect.stringContaining('npm is not installed or not on PATH') });
  });

  it('maps a recorded audit through the process-runner port onto the project\'s lockfile', async () => {
    repo = await createTempRepo({ git: false });
    await repo.write('package.json', PACKAGE_JSON);
    await repo.write('package-lock.json', LOCKFILE);
    const runner = vi.fn(async (_options: RunCommandOptions) => ran(AUDIT_JSON));
    const result = await scanDependencies(repo.root, { runner });
    expect(runner).toHaveBeenCalledWith(expect.objectContaining({ command: NPM_AUDIT_COMMAND, cwd: repo.root }));
    expect(result.findings).toHaveLength(5);
    expect(result.notes).toEqual([
      { scanner: 'deps', ran: true, message: 'npm audit (package-lock.json): 5 vulnerable packages (2 critical, 1 high, 1 medium, 1 low)' },
    ]);
  });
});
