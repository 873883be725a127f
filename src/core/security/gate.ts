import { FINDING_SEVERITIES, compareFindings, isOpen, type FindingSeverity, type SecurityFinding } from './finding.js';

/**
 * The release check over security findings. Pure: the findings (from the scanners, the
 * agent and the person's acceptances) come in, a decision with its reason comes out.
 */

/** `refuse` lists the findings that block; `accepted` those the person accepted in writing. */
export interface SecurityGateDecision {
  readonly kind: 'pass' | 'refuse';
  readonly reason: string;
  readonly blocking: readonly SecurityFinding[];
  readonly accepted: readonly SecurityFinding[];
}

export interface VerifyGateOptions {
  /** Severities that block while open: the loaded rule's list (`blockingFromRule`); CRITICAL when absent. */
  readonly blocking?: readonly FindingSeverity[];
}

/** What blocks when rules/security-domains.md cannot be read: CRITICAL, the least the release must hold to. */
export const FALLBACK_BLOCKING: readonly FindingSeverity[] = ['CRITICAL'];

/** The severities that stop `!verify` while open, and why the fallback is in use when it is. */
export interface ReleaseBlocking {
  readonly severities: readonly FindingSeverity[];
  /** Set when the rule could not be read and FALLBACK_BLOCKING applies, in words for the person. */
  readonly problem?: string;
}

/**
 * Pure: the `blocking` list of the loaded rules/security-domains.md (the home's copy when it has
 * one, else the shipped one: critical and high) as finding severities. Without the rule, or
 * with a list naming no finding severity (only `info`), CRITICAL alone blocks, and `problem` says so.
 */
export function blockingFromRule(data: { readonly blocking: readonly string[] } | undefined): ReleaseBlocking {
  if (data === undefined) {
    return { severities: FALLBACK_BLOCKING, problem: 'rules/security-domains.md could not be read (its problems are listed at start), so only CRITICAL findings block the release' };
  }
  const severities = FINDING_SEVERITIES.filter((severity) => data.blocking.some((listed) => listed.toUpperCase() === severity));
  if (severities.length === 0) {
    return { severities: FALLBACK_BLOCKING, problem: `the blocking list of rules/security-domains.md (${data.blocking.join(', ')}) names no finding severity, so only CRITICAL findings block the release` };
  }
  return { severities };
}

function list(findings: readonly SecurityFinding[]): string {
  return findings.map((finding) => `${finding.id} (${finding.file}:${finding.line})`).join(', ');
}

/**
 * Refuses while any finding at a blocking severity is open. Resolved findings do not block;
 * accepted ones do not block when the acceptance carries a written reason, and do block
 * when it does not.
 */
export function verifyGate(findings: readonly SecurityFinding[], options: VerifyGateOptions = {}): SecurityGateDecision {
  const blockingSeverities = options.blocking ?? FALLBACK_BLOCKING;
  const atBlockingSeverity = findings.filter((finding) => blockingSeverities.includes(finding.severity));
  const blocking = atBlockingSeverity.filter(isOpen).sort(compareFindings);
  const accepted = atBlockingSeverity.filter((finding) => finding.status === 'accepted' && !isOpen(finding)).sort(compareFindings);
  const severities = blockingSeverities.join(' or ');

  if (blocking.length > 0) {
    const unreasoned = blocking.filter((finding) => finding.status === 'accepted');
    const note = unreasoned.length > 0 ? `; accepted without a written reason, so still open: ${list(unreasoned)}` : '';
    return {
      kind: 'refuse',
      reason: `${blocking.length} open ${severities} finding${blocking.length === 1 ? '' : 's'}: ${list(blocking)}${note}. Fix each, or accept it with a written reason.`,
      blocking,
      accepted,
    };
  }
  const acceptedNote = accepted.length > 0 ? ` (${accepted.length} accepted with a written reason: ${list(accepted)})` : '';
  return { kind: 'pass', reason: `no open ${severities} finding${acceptedNote}`, blocking, accepted };
}
