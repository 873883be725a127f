import { compareFindings, isOpen, type FindingSeverity, type SecurityFinding } from './finding.js';

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
  /**
   * Severities that block while open. Defaults to CRITICAL only; the composition root may
   * pass the `blocking` list of rules/security-domains.md instead.
   */
  readonly blocking?: readonly FindingSeverity[];
}

const DEFAULT_BLOCKING: readonly FindingSeverity[] = ['CRITICAL'];

/**
 * The severities that stop `!verify` while open: the `blocking` list of
 * rules/security-domains.md (critical, high), which the Security agent reads. The machine's
 * guard is pure and cannot load the rule, so the list is here and a test holds the two equal.
 */
export const RELEASE_BLOCKING_SEVERITIES: readonly FindingSeverity[] = ['CRITICAL', 'HIGH'];

function list(findings: readonly SecurityFinding[]): string {
  return findings.map((finding) => `${finding.id} (${finding.file}:${finding.line})`).join(', ');
}

/**
 * Refuses while any finding at a blocking severity is open. Resolved findings do not block;
 * accepted ones do not block when the acceptance carries a written reason, and do block
 * when it does not.
 */
export function verifyGate(findings: readonly SecurityFinding[], options: VerifyGateOptions = {}): SecurityGateDecision {
  const blockingSeverities = options.blocking ?? DEFAULT_BLOCKING;
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
