import { z } from 'zod';
import { SECURITY_DOMAIN_IDS, type FindingSeverity, type SecurityDomainId, type SecurityFinding } from './finding.js';

/**
 * Input of the Security agent's `report_security_findings` tool: an entry for every domain
 * S1..S20 (so a missing domain means it was not reviewed, and the schema says so), and the
 * confirmed findings with location, exploit and fix.
 */

const text = z.string().trim().min(1);

/** What was checked in one domain, or why it does not apply to this product. */
export const domainReviewSchema = z
  .object({
    status: z.enum(['checked', 'not_applicable']),
    summary: text,
  })
  .strict();
export type DomainReview = z.output<typeof domainReviewSchema>;

/**
 * Severities as rules/security-domains.md spells them (lower case) or as reports do (upper
 * case). `info` is what that rule asks for when a suspicion could not be confirmed; it
 * becomes a LOW finding titled "Unconfirmed: ...", since findings have four severities.
 */
export const AGENT_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info', 'CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const;

export const agentFindingSchema = z
  .object({
    domain: z.enum(SECURITY_DOMAIN_IDS),
    severity: z.enum(AGENT_SEVERITIES),
    title: text,
    file: text,
    line: z.number().int().min(1),
    evidence: text,
    exploit: text,
    fix: text,
  })
  .strict();
export type AgentFinding = z.output<typeof agentFindingSchema>;

const domainShape = Object.fromEntries(SECURITY_DOMAIN_IDS.map((id) => [id, domainReviewSchema])) as Record<
  SecurityDomainId,
  typeof domainReviewSchema
>;

/** `report_security_findings` input. */
export const reportSecurityFindingsInputSchema = z
  .object({
    domains: z.object(domainShape).strict(),
    findings: z.array(agentFindingSchema),
  })
  .strict();
export type ReportSecurityFindingsInput = z.output<typeof reportSecurityFindingsInputSchema>;

export type DomainReviews = Readonly<Record<SecurityDomainId, DomainReview>>;

function toSeverity(severity: AgentFinding['severity']): { severity: FindingSeverity; unconfirmed: boolean } {
  const upper = severity.toUpperCase();
  if (upper === 'INFO') return { severity: 'LOW', unconfirmed: true };
  return { severity: upper as FindingSeverity, unconfirmed: false };
}

/** The agent's findings as `SecurityFinding`s: ids AGENT-001..., source `agent`, status `open`. */
export function agentFindingsToFindings(findings: readonly AgentFinding[]): SecurityFinding[] {
  return findings.map((finding, index) => {
    const { severity, unconfirmed } = toSeverity(finding.severity);
    return {
      id: `AGENT-${String(index + 1).padStart(3, '0')}`,
      severity,
      domain: finding.domain,
      title: unconfirmed && !/^unconfirmed\b/i.test(finding.title) ? `Unconfirmed: ${finding.title}` : finding.title,
      file: finding.file,
      line: finding.line,
      evidence: finding.evidence,
      source: 'agent',
      status: 'open',
      exploit: finding.exploit,
      fix: finding.fix,
    };
  });
}

/** The agent's cited locations, labelled for `checkCitations` messages. */
export function agentFindingCitations(findings: readonly AgentFinding[]): { file: string; line: number; label: string }[] {
  return findings.map((finding, index) => ({ file: finding.file, line: finding.line, label: `findings[${index}]` }));
}
