import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGate } from '../../../src/core/pipeline/gates.js';
import { artifactSpec } from '../../../src/core/pipeline/artifacts.js';
import { SECURITY_DOMAIN_IDS, type SecurityFinding } from '../../../src/core/security/finding.js';
import { SCANNER_FINDINGS_FILE } from '../../../src/core/security/scanner-file.js';
import { acceptSecurityFinding, recordSecurityReport } from '../../../src/core/security/security-tool.js';
import { parseSastJsonl } from '../../../src/core/security/security-report.js';
import { recordCriticReport } from '../../../src/core/verdicts/critic-tool.js';
import { createFileIndex } from '../../../src/scanners/file-index.js';
import { memoryStore } from '../../support/memory-store.js';
import { report } from './critic-fixtures.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'codesleuth-review-'));
  await mkdir(path.join(root, 'src'));
  await writeFile(path.join(root, 'src', 'app.ts'), 'line 1\nline 2\nline 3\nline 4\n');
  await writeFile(path.join(root, 'src', 'server.js'), 'const x = 1;\nrun(input);\n');
});
afterAll(() => rm(root, { recursive: true, force: true }));

const criticDeps = (store = memoryStore()) => ({ store, projectId: 'p', fileIndex: createFileIndex(root), platform: async () => 'web' });

describe('report_scores', () => {
  it('rejects a citation of a line that does not exist, and writes nothing', async () => {
    const store = memoryStore();
    const input = report([4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4], {
      findings: [{ title: 'Missing empty state', detail: 'blank', evidence: [{ file: 'src/app.ts', line: 40 }, { file: 'src/nope.ts', line: 1 }] }],
    });
    const result = await recordCriticReport(input, criticDeps(store));
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain('findings[0].evidence[0]: `src/app.ts:40`: the file has 4 lines, so line 40 does not exist');
    expect(result.llmContent).toContain('findings[0].evidence[1]: `src/nope.ts:1`: no such file in the project');
    expect(store.files.size).toBe(0);
  });

  it('computes the verdict from the scores and writes CRITICISM.md and its JSON twin', async () => {
    const store = memoryStore();
    const result = await recordCriticReport(report([4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 2]), criticDeps(store));
    expect(result.isError).toBe(false);
    expect(result.llmContent).toContain('computed the verdict CONDITIONAL');
    expect(store.files.get('CRITICISM.md')).toContain('Verdict: **CONDITIONAL**');
    expect(JSON.parse(store.files.get('CRITICISM.json')!)).toMatchObject({ verdict: 'CONDITIONAL', applicable: 12 });
    // The gate !security reads CRITICISM.md back.
    expect(artifactSpec('CRITICISM.md').validate(store.files.get('CRITICISM.md')!)).toEqual([]);
  });
});

const domains = Object.fromEntries(SECURITY_DOMAIN_IDS.map((id) => [id, { status: 'checked', summary: `looked at ${id}` }])) as never;
const scannerFinding: SecurityFinding = {
  id: 'patterns:eval-input:src/server.js:2',
  severity: 'CRITICAL',
  domain: 'S4',
  title: 'eval on request input',
  file: 'src/server.js',
  line: 2,
  evidence: 'run(input)',
  source: 'scanner:patterns',
  status: 'open',
};

async function verifyGateWith(store: ReturnType<typeof memoryStore>) {
  const evidence = ['SECURITY_REPORT.md', 'SAST_FINDINGS.jsonl'].map((name) => {
    const text = store.files.get(name);
    if (text === undefined) return { name, status: 'missing' as const };
    const problems = artifactSpec(name).validate(text);
    return problems.length === 0 ? { name, status: 'valid' as const, sha256: 'x' } : { name, status: 'invalid' as const, sha256: 'x', problems };
  });
  return checkGate('verify', evidence);
}

describe('report_security_findings and the !verify gate', () => {
  it('rejects an agent finding whose line does not exist', async () => {
    const store = memoryStore();
    const result = await recordSecurityReport(
      { domains, findings: [{ domain: 'S1', severity: 'high', title: 'Weak hash', file: 'src/server.js', line: 99, evidence: 'md5', exploit: 'crack', fix: 'bcrypt' }] },
      { store, projectId: 'p', fileIndex: createFileIndex(root) },
    );
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain('`src/server.js:99`: the file has 2 lines');
  });

  it('merges the scanner findings; an open CRITICAL shuts !verify until accepted with a reason', async () => {
    const store = memoryStore({ [SCANNER_FINDINGS_FILE]: JSON.stringify({ at: 't', findings: [scannerFinding], notes: [{ scanner: 'deps', ran: false, message: 'no lockfile' }] }) });
    const result = await recordSecurityReport(
      { domains, findings: [{ domain: 'S10', severity: 'low', title: 'Debug flag on', file: 'src/app.ts', line: 1, evidence: 'DEBUG=1', exploit: 'info leak', fix: 'turn it off' }] },
      { store, projectId: 'p', fileIndex: createFileIndex(root) },
    );
    expect(result.isError).toBe(false);
    expect(parseSastJsonl(store.files.get('SAST_FINDINGS.jsonl')!).findings.map((f) => [f.id, f.severity, f.status])).toEqual([
      ['patterns:eval-input:src/server.js:2', 'CRITICAL', 'open'],
      ['AGENT-001', 'LOW', 'open'],
    ]);
    expect(store.files.get('SECURITY_REPORT.md')).toContain('REFUSED');

    const shut = await verifyGateWith(store);
    expect(shut.open).toBe(false);
    if (!shut.open) {
      expect(shut.refusals[0]!.reason).toContain('open CRITICAL finding patterns:eval-input:src/server.js:2');
      expect(shut.refusals[0]!.reason).toContain('!security fix');
      expect(shut.refusals[0]!.reason).toContain('!security accept patterns:eval-input:src/server.js:2 <reason>');
    }

    expect(await acceptSecurityFinding(store, 'p', scannerFinding.id, '   ', ['CRITICAL', 'HIGH'])).toMatchObject({ ok: false });
    expect((await verifyGateWith(store)).open).toBe(false);

    const accepted = await acceptSecurityFinding(store, 'p', scannerFinding.id, 'the input is a fixed admin script, never a request', ['CRITICAL', 'HIGH']);
    expect(accepted).toMatchObject({ ok: true, gate: { kind: 'pass' } });
    expect((await verifyGateWith(store)).open).toBe(true);
    expect(store.files.get('SECURITY_REPORT.md')).toContain('reason: the input is a fixed admin script, never a request');
    expect(store.files.get('SECURITY_REPORT.md')).toContain('## Domains reviewed');
  });

  it('keeps an acceptance across a new review, and marks a finding no longer found resolved', async () => {
    const store = memoryStore({ [SCANNER_FINDINGS_FILE]: JSON.stringify({ at: 't', findings: [scannerFinding], notes: [] }) });
    const deps = { store, projectId: 'p', fileIndex: createFileIndex(root) };
    const agentFinding = { domain: 'S1' as const, severity: 'high' as const, title: 'Weak hash', file: 'src/app.ts', line: 2, evidence: 'md5', exploit: 'crack', fix: 'bcrypt' };
    await recordSecurityReport({ domains, findings: [agentFinding] }, deps);
    await acceptSecurityFinding(store, 'p', 'AGENT-001', 'legacy hashes are migrated on login', ['CRITICAL', 'HIGH']);
    store.files.set(SCANNER_FINDINGS_FILE, JSON.stringify({ at: 't2', findings: [], notes: [] }));
    await recordSecurityReport({ domains, findings: [agentFinding] }, deps);
    const after = parseSastJsonl(store.files.get('SAST_FINDINGS.jsonl')!).findings;
    expect(after.map((f) => [f.id, f.status])).toEqual([
      ['patterns:eval-input:src/server.js:2', 'resolved'],
      ['AGENT-001', 'accepted'],
    ]);
    expect((await verifyGateWith(store)).open).toBe(true);
  });

  it('refuses !verify when SAST_FINDINGS.jsonl is missing or has a broken line', () => {
    expect(checkGate('verify', [{ name: 'SECURITY_REPORT.md', status: 'valid', sha256: 'x' }, { name: 'SAST_FINDINGS.jsonl', status: 'missing' }]).open).toBe(false);
    expect(artifactSpec('SAST_FINDINGS.jsonl').validate('{"id": 1}\n')).toEqual([expect.objectContaining({ line: 1 })]);
    expect(artifactSpec('SAST_FINDINGS.jsonl').validate('')).toEqual([]);
  });
});
