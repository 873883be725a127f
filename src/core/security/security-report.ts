import { fencedBlock, inlineCode, oneLine, table } from '../verdicts/markdown.js';
import type { DomainReviews } from './agent-report.js';
import {
  compareFindings,
  FINDING_SEVERITIES,
  SECURITY_DOMAIN_IDS,
  securityFindingSchema,
  type ScannerNote,
  type SecurityDomainId,
  type SecurityFinding,
} from './finding.js';
import type { SecurityGateDecision } from './gate.js';

/**
 * SECURITY_REPORT.md for the person and SAST_FINDINGS.jsonl for tools, from the same
 * findings. Secrets never reach either: the scanners put only a redacted prefix in
 * `evidence`.
 */

export interface SecurityReportInput {
  readonly findings: readonly SecurityFinding[];
  readonly notes: readonly ScannerNote[];
  readonly gate: SecurityGateDecision;
  /** The agent's per-domain review, when it has reported. */
  readonly domains?: DomainReviews;
  /** Names from rules/security-domains.md, when loaded. */
  readonly domainNames?: Readonly<Partial<Record<SecurityDomainId, string>>>;
}

function domainLabel(id: SecurityDomainId, names: SecurityReportInput['domainNames']): string {
  const name = names?.[id];
  return name === undefined ? id : `${id} ${name}`;
}

function location(finding: SecurityFinding): string {
  const at = inlineCode(`${finding.file}:${finding.line}`);
  return finding.commit === undefined ? at : `${at} in commit ${inlineCode(finding.commit)}`;
}

function summaryTables(findings: readonly SecurityFinding[], names: SecurityReportInput['domainNames']): string[] {
  const count = (severity: string, status: string): string =>
    String(findings.filter((f) => f.severity === severity && (status === 'all' || f.status === status)).length);
  const bySeverity = table(
    ['Severity', 'Open', 'Accepted', 'Resolved', 'Total'],
    FINDING_SEVERITIES.map((s) => [s, count(s, 'open'), count(s, 'accepted'), count(s, 'resolved'), count(s, 'all')]),
  );
  const domainRows = SECURITY_DOMAIN_IDS.filter((id) => findings.some((f) => f.domain === id)).map((id) => {
    const inDomain = findings.filter((f) => f.domain === id);
    return [
      domainLabel(id, names),
      ...FINDING_SEVERITIES.map((s) => String(inDomain.filter((f) => f.severity === s).length)),
      String(inDomain.length),
    ];
  });
  const byDomain = domainRows.length === 0 ? 'No findings in any domain.' : table(['Domain', ...FINDING_SEVERITIES, 'Total'], domainRows);
  return ['### By severity', '', bySeverity, '', '### By domain', '', byDomain];
}

function findingSection(finding: SecurityFinding, names: SecurityReportInput['domainNames']): string[] {
  const lines = [
    `### ${finding.severity}: ${oneLine(finding.title)} (${finding.id})`,
    '',
    `- Domain: ${domainLabel(finding.domain, names)}`,
    `- Location: ${location(finding)}`,
    `- Source: ${finding.source}`,
    `- Status: ${finding.status}${finding.acceptedReason === undefined ? '' : `, reason: ${oneLine(finding.acceptedReason)}`}`,
    '',
    fencedBlock(finding.evidence),
  ];
  if (finding.exploit !== undefined) lines.push('', `Exploit: ${oneLine(finding.exploit)}`);
  if (finding.fix !== undefined) lines.push('', `Fix: ${oneLine(finding.fix)}`);
  return lines;
}

/** Renders SECURITY_REPORT.md: summary, gate, each finding, domains reviewed, scanner notes. */
export function renderSecurityReport(input: SecurityReportInput): string {
  const findings = [...input.findings].sort(compareFindings);
  const lines: string[] = [
    '# Security report',
    '',
    '## Summary',
    '',
    `${findings.length} finding${findings.length === 1 ? '' : 's'}.`,
    '',
    ...summaryTables(findings, input.domainNames),
    '',
    '## Release gate',
    '',
    `${input.gate.kind === 'pass' ? 'PASS' : 'REFUSED'}: ${input.gate.reason}`,
    '',
    '## Findings',
    '',
  ];
  if (findings.length === 0) lines.push('No findings.');
  for (const finding of findings) lines.push(...findingSection(finding, input.domainNames), '');

  if (input.domains !== undefined) {
    const domains = input.domains;
    lines.push('## Domains reviewed', '');
    lines.push(
      table(
        ['Domain', 'Status', 'What was checked'],
        SECURITY_DOMAIN_IDS.map((id) => [domainLabel(id, input.domainNames), domains[id].status.replace('_', ' '), domains[id].summary]),
      ),
      '',
    );
  }

  lines.push('## Scanner notes', '');
  if (input.notes.length === 0) lines.push('No scanner ran.');
  for (const note of input.notes) lines.push(`- ${note.scanner}${note.ran ? '' : ' (did not run)'}: ${oneLine(note.message)}`);
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

/** SAST_FINDINGS.jsonl: one finding per line, most severe first. */
export function toSastJsonl(findings: readonly SecurityFinding[]): string {
  return [...findings]
    .sort(compareFindings)
    .map((finding) => `${JSON.stringify(finding)}\n`)
    .join('');
}

/** Reads SAST_FINDINGS.jsonl back, validating each line; problems are collected, not thrown. */
export function parseSastJsonl(textContent: string): { findings: SecurityFinding[]; problems: { line: number; message: string }[] } {
  const findings: SecurityFinding[] = [];
  const problems: { line: number; message: string }[] = [];
  textContent.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      problems.push({ line: index + 1, message: 'not valid JSON' });
      return;
    }
    const parsed = securityFindingSchema.safeParse(value);
    if (parsed.success) findings.push(parsed.data);
    else {
      const issue = parsed.error.issues[0];
      const field = issue === undefined || issue.path.length === 0 ? '' : ` at \`${issue.path.join('.')}\``;
      problems.push({ line: index + 1, message: `not a finding${field}: ${issue?.message ?? 'invalid'}` });
    }
  });
  return { findings, problems };
}
