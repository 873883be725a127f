import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { artifactSpec } from '../../../src/core/pipeline/artifacts.js';
import {
  agentFindingCitations,
  agentFindingsToFindings,
  reportSecurityFindingsInputSchema,
} from '../../../src/core/security/agent-report.js';
import { SECURITY_DOMAIN_IDS, type SecurityFinding } from '../../../src/core/security/finding.js';
import { verifyGate } from '../../../src/core/security/gate.js';
import { parseSastJsonl, renderSecurityReport, toSastJsonl } from '../../../src/core/security/security-report.js';

const domains = Object.fromEntries(
  SECURITY_DOMAIN_IDS.map((id) => [id, id === 'S15' ? { status: 'not_applicable', summary: 'CLI with no web server' } : { status: 'checked', summary: `looked at ${id}` }]),
);

const agentInput = {
  domains,
  findings: [
    {
      domain: 'S4',
      severity: 'critical',
      title: 'Code injection in /run',
      file: 'src/server.js',
      line: 12,
      evidence: 'the handler evaluates the request body as code',
      exploit: 'POST /run with {"code":"process.exit()"}',
      fix: 'Remove the endpoint or interpret a fixed command set',
    },
    {
      domain: 'S6',
      severity: 'info',
      title: 'Token may be predictable',
      file: 'src/token.js',
      line: 4,
      evidence: 'could not trace the source of seed',
      exploit: 'guess the next token',
      fix: 'use crypto.randomBytes',
    },
  ],
};

describe('report_security_findings input', () => {
  it('accepts every domain and the findings, in the rule file\'s lower-case severities', () => {
    expect(reportSecurityFindingsInputSchema.safeParse(agentInput).success).toBe(true);
  });

  it('rejects a missing domain, an unknown domain and a finding without a fix', () => {
    const { S9: _dropped, ...missing } = domains;
    const issues = (input: unknown) => reportSecurityFindingsInputSchema.safeParse(input).error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(issues({ ...agentInput, domains: missing })).toEqual(['domains.S9']);
    expect(issues({ ...agentInput, findings: [{ ...agentInput.findings[0], domain: 'S21' }] })).toEqual(['findings.0.domain']);
    const { fix: _fix, ...noFix } = agentInput.findings[0]!;
    expect(issues({ ...agentInput, findings: [noFix] })).toEqual(['findings.0.fix']);
    expect(z.toJSONSchema(reportSecurityFindingsInputSchema)).toMatchObject({ required: ['domains', 'findings'] });
  });

  it('becomes open agent findings; info becomes an unconfirmed LOW', () => {
    const parsed = reportSecurityFindingsInputSchema.parse(agentInput);
    const findings = agentFindingsToFindings(parsed.findings);
    expect(findings.map((f) => [f.id, f.severity, f.source, f.status, f.title])).toEqual([
      ['AGENT-001', 'CRITICAL', 'agent', 'open', 'Code injection in /run'],
      ['AGENT-002', 'LOW', 'agent', 'open', 'Unconfirmed: Token may be predictable'],
    ]);
    expect(agentFindingCitations(parsed.findings)).toEqual([
      { file: 'src/server.js', line: 12, label: 'findings[0]' },
      { file: 'src/token.js', line: 4, label: 'findings[1]' },
    ]);
  });
});

describe('SECURITY_REPORT.md and SAST_FINDINGS.jsonl', () => {
  const scanner: SecurityFinding = {
    id: 'secrets:history:aws-access-key-id:0123456789ab:old.env:1',
    severity: 'CRITICAL',
    domain: 'S7',
    title: 'AWS access key id in git history',
    file: 'old.env',
    line: 1,
    commit: '0123456789abcdef0123456789abcdef01234567',
    evidence: 'AWS access key id added in commit 0123456789ab: AKIA… (20 characters, redacted). ```',
    source: 'scanner:secrets',
    status: 'accepted',
    acceptedReason: 'key deactivated in IAM',
  };
  const findings = [...agentFindingsToFindings(reportSecurityFindingsInputSchema.parse(agentInput).findings), scanner];
  const gate = verifyGate(findings);
  const notes = [
    { scanner: 'deps', ran: false, message: 'npm audit could not run: no lockfile (package-lock.json)' },
    { scanner: 'secrets', ran: true, message: 'working tree: 3 text files scanned' },
  ] as const;
  const markdown = renderSecurityReport({ findings, notes, gate, domains: reportSecurityFindingsInputSchema.parse(agentInput).domains, domainNames: { S4: 'Injection', S7: 'Secrets' } });

  it('passes the artifact check the security gate applies', () => {
    expect(artifactSpec('SECURITY_REPORT.md').validate(markdown)).toEqual([]);
  });

  it('summarises by severity and by domain', () => {
    expect(markdown).toContain('| CRITICAL | 1 | 1 | 0 | 2 |');
    expect(markdown).toContain('| LOW | 1 | 0 | 0 | 1 |');
    expect(markdown).toContain('| S4 Injection | 1 | 0 | 0 | 0 | 1 |');
    expect(markdown).toContain('| S7 Secrets | 1 | 0 | 0 | 0 | 1 |');
  });

  it('shows the gate, each finding with location, commit, status and fix, and the scanner notes', () => {
    expect(markdown).toContain('REFUSED: 1 open CRITICAL finding: AGENT-001 (src/server.js:12)');
    expect(markdown).toContain('### CRITICAL: Code injection in /run (AGENT-001)');
    expect(markdown).toContain('- Location: `old.env:1` in commit `0123456789abcdef0123456789abcdef01234567`');
    expect(markdown).toContain('- Status: accepted, reason: key deactivated in IAM');
    expect(markdown).toContain('Fix: Remove the endpoint or interpret a fixed command set');
    expect(markdown).toContain('````\nAWS access key id added'); // a fence longer than the ``` inside the evidence
    expect(markdown).toContain('| S15 | not applicable | CLI with no web server |');
    expect(markdown).toContain('- deps (did not run): npm audit could not run: no lockfile (package-lock.json)');
  });

  it('writes one JSON finding per line, most severe first, that reads back unchanged', () => {
    const jsonl = toSastJsonl(findings);
    const lines = jsonl.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => (JSON.parse(line) as SecurityFinding).severity)).toEqual(['CRITICAL', 'CRITICAL', 'LOW']);
    const back = parseSastJsonl(jsonl);
    expect(back.problems).toEqual([]);
    expect(back.findings).toHaveLength(3);
    expect(back.findings).toEqual(expect.arrayContaining(findings));
  });

  it('reports bad JSONL lines with their number instead of throwing', () => {
    const result = parseSastJsonl(`${toSastJsonl([scanner])}{oops\n{"id":"x"}\n`);
    expect(result.findings).toHaveLength(1);
    expect(result.problems.map((p) => p.line)).toEqual([2, 3]);
    expect(result.problems[0]?.message).toBe('not valid JSON');
  });
});
