import { z } from 'zod';

/**
 * A security finding, whoever found it: the runtime's own scanners or the Security agent.
 * Findings are what the release gate (`verifyGate`) and the reports are computed from.
 */

export const FINDING_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export const FINDING_SOURCES = ['scanner:secrets', 'scanner:deps', 'scanner:patterns', 'agent'] as const;
export type FindingSource = (typeof FINDING_SOURCES)[number];

export const FINDING_STATUSES = ['open', 'resolved', 'accepted'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** The ids of rules/security-domains.md (its loader checks they run S1..S20 in order). */
export const SECURITY_DOMAIN_IDS = [
  'S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S10',
  'S11', 'S12', 'S13', 'S14', 'S15', 'S16', 'S17', 'S18', 'S19', 'S20',
] as const;
export type SecurityDomainId = (typeof SECURITY_DOMAIN_IDS)[number];

const text = z.string().trim().min(1);

/**
 * One finding. `commit` is set when the location is in a past commit rather than the
 * working tree (a secret found in history). `exploit` and `fix` come from the agent.
 * An accepted finding must carry the person's written reason.
 */
export const securityFindingSchema = z
  .object({
    id: text,
    severity: z.enum(FINDING_SEVERITIES),
    domain: z.enum(SECURITY_DOMAIN_IDS),
    title: text,
    file: text,
    line: z.number().int().min(1),
    evidence: text,
    source: z.enum(FINDING_SOURCES),
    status: z.enum(FINDING_STATUSES),
    acceptedReason: text.optional(),
    commit: z.string().regex(/^[0-9a-f]{7,40}$/i, 'a hexadecimal commit SHA').optional(),
    exploit: text.optional(),
    fix: text.optional(),
  })
  .strict()
  .superRefine((finding, ctx) => {
    if (finding.status === 'accepted' && finding.acceptedReason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['acceptedReason'], message: 'an accepted finding needs the written reason for accepting it' });
    }
  });

export type SecurityFinding = z.output<typeof securityFindingSchema>;

/** A scanner's account of itself: what ran, what could not and why. Shown in SECURITY_REPORT.md. */
export interface ScannerNote {
  readonly scanner: 'secrets' | 'history' | 'patterns' | 'deps' | 'citations';
  /** False when the check could not run at all (no lockfile, no network, tool missing). */
  readonly ran: boolean;
  readonly message: string;
}

const RANK: Readonly<Record<FindingSeverity, number>> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };

/** Most severe first, then by file, line and id, so reports are stable from run to run. */
export function compareFindings(a: SecurityFinding, b: SecurityFinding): number {
  return (
    RANK[a.severity] - RANK[b.severity] ||
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.id.localeCompare(b.id)
  );
}

/**
 * True while a finding still counts against the release. An acceptance without a written
 * reason does not count as an acceptance.
 */
export function isOpen(finding: Pick<SecurityFinding, 'status' | 'acceptedReason'>): boolean {
  if (finding.status === 'open') return true;
  if (finding.status === 'accepted') return (finding.acceptedReason ?? '').trim() === '';
  return false;
}

/** The person's acceptance of a risk; refused without a reason. */
export function acceptFinding(
  finding: SecurityFinding,
  reason: string,
): { ok: true; finding: SecurityFinding } | { ok: false; message: string } {
  if (reason.trim() === '') return { ok: false, message: `accepting ${finding.id} needs a written reason` };
  return { ok: true, finding: { ...finding, status: 'accepted', acceptedReason: reason.trim() } };
}

/** Makes ids unique within one list by suffixing repeats (`id#2`), keeping the first as it is. */
export function uniqueIds(findings: readonly SecurityFinding[]): SecurityFinding[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const count = (seen.get(finding.id) ?? 0) + 1;
    seen.set(finding.id, count);
    return count === 1 ? finding : { ...finding, id: `${finding.id}#${count}` };
  });
}
