import { describe, expect, it } from 'vitest';
import { acceptFinding, isOpen, securityFindingSchema, type SecurityFinding } from '../../../src/core/security/finding.js';
import { blockingFromRule, verifyGate } from '../../../src/core/security/gate.js';

// core/security has no test folder of its own in this change; its gate is a verdict, so it lives here.

function finding(overrides: Partial<SecurityFinding> = {}): SecurityFinding {
  return {
    id: 'F1',
    severity: 'CRITICAL',
    domain: 'S7',
    title: 'AWS access key id',
    file: 'config/app.js',
    line: 3,
    evidence: 'AKIA… (20 characters, redacted)',
    source: 'scanner:secrets',
    status: 'open',
    ...overrides,
  };
}

describe('verifyGate', () => {
  it('refuses while a CRITICAL is open, naming it', () => {
    const decision = verifyGate([finding(), finding({ id: 'F2', severity: 'HIGH' })]);
    expect(decision.kind).toBe('refuse');
    expect(decision.blocking.map((f) => f.id)).toEqual(['F1']);
    expect(decision.reason).toBe('1 open CRITICAL finding: F1 (config/app.js:3). Fix each, or accept it with a written reason.');
  });

  it('passes when the CRITICAL was accepted with a written reason, and says so', () => {
    const accepted = finding({ status: 'accepted', acceptedReason: 'test key for the local emulator; never valid on AWS' });
    const decision = verifyGate([accepted]);
    expect(decision.kind).toBe('pass');
    expect(decision.accepted).toEqual([accepted]);
    expect(decision.reason).toBe('no open CRITICAL finding (1 accepted with a written reason: F1 (config/app.js:3))');
  });

  it('passes when the CRITICAL was resolved', () => {
    expect(verifyGate([finding({ status: 'resolved' })])).toMatchObject({ kind: 'pass', blocking: [], accepted: [] });
  });

  it('treats an acceptance without a written reason as still open', () => {
    for (const acceptedReason of [undefined, '   ']) {
      const decision = verifyGate([finding({ status: 'accepted', ...(acceptedReason === undefined ? {} : { acceptedReason }) })]);
      expect(decision.kind).toBe('refuse');
      expect(decision.reason).toContain('accepted without a written reason, so still open: F1');
    }
  });

  it('blocks only CRITICAL without a list (the fallback when the rule cannot be read), and HIGH too when the list names it', () => {
    const others = [finding({ severity: 'HIGH' }), finding({ id: 'F3', severity: 'MEDIUM' }), finding({ id: 'F4', severity: 'LOW' })];
    expect(verifyGate(others).kind).toBe('pass');
    expect(verifyGate(others, { blocking: ['CRITICAL', 'HIGH'] })).toMatchObject({ kind: 'refuse', blocking: [others[0]] });
  });

  it('passes with no findings at all', () => {
    expect(verifyGate([])).toEqual({ kind: 'pass', reason: 'no open CRITICAL finding', blocking: [], accepted: [] });
  });

  it('lists several blocking findings most severe first, by location', () => {
    const decision = verifyGate([finding({ id: 'B', file: 'z.js' }), finding({ id: 'A', file: 'a.js', line: 9 })]);
    expect(decision.blocking.map((f) => f.id)).toEqual(['A', 'B']);
  });
});

describe('blockingFromRule', () => {
  it('takes the rule\'s list in upper case, and falls back to CRITICAL, saying why, without a rule or a usable list', () => {
    expect(blockingFromRule({ blocking: ['critical', 'high'] })).toEqual({ severities: ['CRITICAL', 'HIGH'] });
    expect(blockingFromRule({ blocking: ['critical'] })).toEqual({ severities: ['CRITICAL'] });
    expect(blockingFromRule(undefined)).toEqual({ severities: ['CRITICAL'], problem: expect.stringContaining('rules/security-domains.md could not be read') });
    expect(blockingFromRule({ blocking: ['info'] })).toEqual({ severities: ['CRITICAL'], problem: expect.stringContaining('(info) names no finding severity') });
  });
});

describe('acceptance', () => {
  it('needs a written reason', () => {
    expect(acceptFinding(finding(), '  ')).toEqual({ ok: false, message: 'accepting F1 needs a written reason' });
    const accepted = acceptFinding(finding(), ' rotated on 3 May ');
    expect(accepted).toEqual({ ok: true, finding: finding({ status: 'accepted', acceptedReason: 'rotated on 3 May' }) });
    expect(accepted.ok && isOpen(accepted.finding)).toBe(false);
  });

  it('is enforced by the finding schema too', () => {
    const result = securityFindingSchema.safeParse(finding({ status: 'accepted' }));
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['acceptedReason'] })]);
    expect(securityFindingSchema.safeParse(finding({ domain: 'S21' as SecurityFinding['domain'] })).success).toBe(false);
  });
});
