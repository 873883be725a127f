import { z } from 'zod';
import { toInputJsonSchema } from '../agent/structured-tools.js';
import type { SecurityDomainsData } from '../agents/rule-schema.js';
import { readJsonArtifact, writeJsonArtifact, type ArtifactStore } from '../session/json-artifact.js';
import { errorResult, okResult, type ToolDefinition, type ToolResult } from '../tools/types.js';
import { checkCitations, describeRejectedCitations, type FileIndex } from '../verdicts/evidence.js';
import {
  agentFindingCitations,
  agentFindingsToFindings,
  domainReviewSchema,
  reportSecurityFindingsInputSchema,
  type DomainReviews,
  type ReportSecurityFindingsInput,
} from './agent-report.js';
import { SECURITY_DOMAIN_IDS, acceptFinding, type FindingSeverity, type ScannerNote, type SecurityDomainId, type SecurityFinding } from './finding.js';
import { blockingFromRule, verifyGate, type SecurityGateDecision } from './gate.js';
import { mergeFindings } from './merge-findings.js';
import { countBySeverity, readScannerFile } from './scanner-file.js';
import { parseSastJsonl, renderSecurityReport, toSastJsonl } from './security-report.js';

/**
 * `report_security_findings`, run by the runtime when the Security agent calls it: the
 * agent's cited lines are checked, its findings merged with the scanners' (and with the
 * person's earlier acceptances), and SECURITY_REPORT.md and SAST_FINDINGS.jsonl written. The
 * same files are re-rendered when the person accepts a finding with `!security accept`.
 */

export const SECURITY_REPORT_FILE = 'SECURITY_REPORT.md';
export const SAST_FILE = 'SAST_FINDINGS.jsonl';
/** The agent's per-domain review, kept so the report can be rendered again after an acceptance. */
export const SECURITY_DOMAINS_FILE = 'SECURITY_DOMAINS.json';

export interface SecurityToolDeps {
  readonly store: ArtifactStore;
  readonly projectId: string;
  readonly fileIndex: FileIndex;
  /** rules/security-domains.md data, for the domain names in the report. */
  readonly domains?: SecurityDomainsData;
}

const DESCRIPTION =
  'Report your security review: an entry for every domain S1..S20 ({status: "checked" | "not_applicable", summary}) and your ' +
  'confirmed findings (domain, severity, title, file, line, evidence, exploit, fix). file:line must exist in the project; the ' +
  "runtime checks it, merges your findings with its scanners' and writes SECURITY_REPORT.md and SAST_FINDINGS.jsonl. Never " +
  'repeat a scanner finding. If it rejects the report, fix what it names and call it again; once accepted, end with report_status.';

const domainsFileSchema = z.strictObject({
  reviews: z.strictObject(Object.fromEntries(SECURITY_DOMAIN_IDS.map((id) => [id, domainReviewSchema])) as Record<SecurityDomainId, typeof domainReviewSchema>),
  names: z.record(z.string(), z.string()),
});

function namesOf(data: SecurityDomainsData | undefined): Partial<Record<SecurityDomainId, string>> | undefined {
  return data === undefined ? undefined : (Object.fromEntries(data.domains.map((d) => [d.id, d.name])) as Partial<Record<SecurityDomainId, string>>);
}

/** The current findings of SAST_FINDINGS.jsonl (none when it is missing), or why it cannot be read. */
export async function readSastFindings(store: ArtifactStore, projectId: string): Promise<{ ok: true; findings: SecurityFinding[]; exists: boolean } | { ok: false; message: string }> {
  const read = await store.readArtifact(projectId, SAST_FILE);
  if (read.kind === 'missing') return { ok: true, findings: [], exists: false };
  const parsed = parseSastJsonl(read.text);
  if (parsed.problems.length > 0) {
    return { ok: false, message: `${SAST_FILE} has lines that are not findings: ${parsed.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}` };
  }
  return { ok: true, findings: parsed.findings, exists: true };
}

/** The gate decision the report shows, over the severities the loaded rule blocks on (as the `!verify` guard does). */
export function releaseGate(findings: readonly SecurityFinding[], blocking: readonly FindingSeverity[]): SecurityGateDecision {
  return verifyGate(findings, { blocking });
}

/** Writes SAST_FINDINGS.jsonl and SECURITY_REPORT.md from the findings, the scanner notes and the domains. */
export async function writeSecurityFiles(
  store: ArtifactStore,
  projectId: string,
  findings: readonly SecurityFinding[],
  extras: { readonly blocking: readonly FindingSeverity[]; readonly notes: readonly ScannerNote[]; readonly domains?: DomainReviews; readonly domainNames?: Partial<Record<SecurityDomainId, string>> },
): Promise<SecurityGateDecision> {
  const gate = releaseGate(findings, extras.blocking);
  await store.writeArtifact(projectId, SAST_FILE, toSastJsonl(findings));
  await store.writeArtifact(
    projectId,
    SECURITY_REPORT_FILE,
    renderSecurityReport({ findings, notes: extras.notes, gate, ...(extras.domains ? { domains: extras.domains } : {}), ...(extras.domainNames ? { domainNames: extras.domainNames } : {}) }),
  );
  return gate;
}

/** Runs report_security_findings: checks, merges, writes. */
export async function recordSecurityReport(input: ReportSecurityFindingsInput, deps: SecurityToolDeps): Promise<ToolResult> {
  const { rejected } = await checkCitations(agentFindingCitations(input.findings), deps.fileIndex);
  if (rejected.length > 0) {
    return errorResult(`report_security_findings rejected. ${describeRejectedCitations(rejected)}`, `report_security_findings: ${rejected.length} cited line(s) do not exist`);
  }
  const scanner = await readScannerFile(deps.store, deps.projectId);
  const previous = await readSastFindings(deps.store, deps.projectId);
  const scannerFindings = scanner.kind === 'ok' ? scanner.value.findings : [];
  const notes: ScannerNote[] =
    scanner.kind === 'ok'
      ? [...scanner.value.notes]
      : [{ scanner: 'secrets', ran: false, message: scanner.kind === 'missing' ? "the runtime's scanners did not run before this review" : scanner.message }];
  const merged = mergeFindings(previous.ok ? previous.findings : [], [...scannerFindings, ...agentFindingsToFindings(input.findings)]);
  const domainNames = namesOf(deps.domains);
  await writeJsonArtifact(deps.store, deps.projectId, SECURITY_DOMAINS_FILE, { reviews: input.domains, names: domainNames ?? {} });
  const blocking = blockingFromRule(deps.domains).severities;
  const gate = await writeSecurityFiles(deps.store, deps.projectId, merged, { blocking, notes, domains: input.domains, ...(domainNames ? { domainNames } : {}) });
  return okResult(
    `Accepted. The report holds ${countBySeverity(merged.filter((f) => f.status !== 'resolved'))} (yours and the scanners'). Release gate: ${gate.kind === 'pass' ? 'PASS' : 'REFUSED'} — ${gate.reason} ` +
      'SECURITY_REPORT.md and SAST_FINDINGS.jsonl are saved. The person decides what to fix or accept. End your run now with report_status.',
    `${countBySeverity(merged.filter((f) => f.status !== 'resolved'))}; gate ${gate.kind}`,
  );
}

/** report_security_findings as an immediate tool of the Security agent's run. */
export function reportSecurityFindingsTool(deps: SecurityToolDeps): ToolDefinition<ReportSecurityFindingsInput> {
  return {
    name: 'report_security_findings',
    description: DESCRIPTION,
    schema: reportSecurityFindingsInputSchema,
    jsonSchema: toInputJsonSchema(reportSecurityFindingsInputSchema),
    execute: (input) => recordSecurityReport(input, deps),
  };
}

/** What `!security accept` did. */
export type AcceptOutcome = { readonly ok: true; readonly finding: SecurityFinding; readonly gate: SecurityGateDecision } | { readonly ok: false; readonly message: string };

/** `!security accept <id> <reason>`: records the acceptance and re-renders both files. */
export async function acceptSecurityFinding(store: ArtifactStore, projectId: string, id: string, reason: string, blocking: readonly FindingSeverity[]): Promise<AcceptOutcome> {
  const sast = await readSastFindings(store, projectId);
  if (!sast.ok) return { ok: false, message: `${sast.message}. Run the security review again (!security fix, or ask agent 5).` };
  if (!sast.exists) return { ok: false, message: `There is no ${SAST_FILE} yet: the security review has not reported. Wait for agent 5 to finish.` };
  const index = sast.findings.findIndex((f) => f.id.toLowerCase() === id.toLowerCase());
  const finding = sast.findings[index];
  if (finding === undefined) {
    const open = sast.findings.filter((f) => f.status === 'open').map((f) => f.id);
    return { ok: false, message: `No finding ${id} in ${SAST_FILE}. ${open.length > 0 ? `Open findings: ${open.join(', ')}.` : 'No finding is open.'}` };
  }
  if (finding.status === 'resolved') return { ok: false, message: `${finding.id} is already resolved; nothing to accept.` };
  const accepted = acceptFinding(finding, reason);
  if (!accepted.ok) return { ok: false, message: `${accepted.message}: type !security accept ${finding.id} <why the risk is acceptable>.` };
  const findings = sast.findings.map((f, i) => (i === index ? accepted.finding : f));
  const scanner = await readScannerFile(store, projectId);
  const savedDomains = await readJsonArtifact(store, projectId, SECURITY_DOMAINS_FILE, domainsFileSchema);
  const gate = await writeSecurityFiles(store, projectId, findings, {
    blocking,
    notes: scanner.kind === 'ok' ? scanner.value.notes : [],
    ...(savedDomains.kind === 'ok' ? { domains: savedDomains.value.reviews, domainNames: savedDomains.value.names as Partial<Record<SecurityDomainId, string>> } : {}),
  });
  return { ok: true, finding: accepted.finding, gate };
}

/**
 * Maintenance's `!verify`: the scanners' new findings merged into SAST_FINDINGS.jsonl without a
 * new agent review. The agent's findings stay as they were (a person's acceptance with them),
 * an accepted scanner finding stays accepted, one no longer found becomes resolved, a new one
 * is open. Both files are rendered again.
 */
export async function recordRescan(
  store: ArtifactStore,
  projectId: string,
  scan: { readonly findings: readonly SecurityFinding[]; readonly notes: readonly ScannerNote[] },
  blocking: readonly FindingSeverity[],
): Promise<{ ok: true; gate: SecurityGateDecision; added: SecurityFinding[] } | { ok: false; message: string }> {
  const previous = await readSastFindings(store, projectId);
  if (!previous.ok) return previous;
  const agentFindings = previous.findings.filter((f) => f.source === 'agent' && f.status !== 'resolved');
  const merged = mergeFindings(previous.findings, [...scan.findings, ...agentFindings]);
  const before = new Set(previous.findings.filter((f) => f.status !== 'resolved').map((f) => f.id));
  const savedDomains = await readJsonArtifact(store, projectId, SECURITY_DOMAINS_FILE, domainsFileSchema);
  const gate = await writeSecurityFiles(store, projectId, merged, {
    blocking,
    notes: scan.notes,
    ...(savedDomains.kind === 'ok' ? { domains: savedDomains.value.reviews, domainNames: savedDomains.value.names as Partial<Record<SecurityDomainId, string>> } : {}),
  });
  return { ok: true, gate, added: merged.filter((f) => f.status === 'open' && !before.has(f.id)) };
}
