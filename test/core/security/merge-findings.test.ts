import { describe, expect, it } from 'vitest';
import type { SecurityFinding } from '../../../src/core/security/finding.js';
import { mergeFindings } from '../../../src/core/security/merge-findings.js';

const scanned = (line: number, overrides: Partial<SecurityFinding> = {}): SecurityFinding => ({
  id: `patterns:eval-on-input:src/server.js:${line}`,
  severity: 'HIGH',
  domain: 'S4',
  title: 'eval on request input',
  file: 'src/server.js',
  line,
  evidence: 'eval(req.body.code)',
  source: 'scanner:patterns',
  status: 'open',
  ...overrides,
});

const REASON = 'only reachable from the admin console, behind a VPN';

describe('mergeFindings', () => {
  it('keeps an accepted finding accepted when an edit above it moves it to another line, with the new line in the record', () => {
    const previous = [{ ...scanned(3), status: 'accepted' as const, acceptedReason: REASON }];
    const merged = mergeFindings(previous, [scanned(7)]);
    expect(merged).toEqual([{ ...scanned(7), id: 'patterns:eval-on-input:src/server.js:3', status: 'accepted', acceptedReason: REASON }]);
  });

  it('matches an agent finding reworded in a new review by its code snippet, and one with a new snippet by its title', () => {
    const agent = (line: number, title: string, evidence: string): SecurityFinding => ({ ...scanned(line), id: 'AGENT-001', source: 'agent', domain: 'S1', title, evidence });
    const previous = [{ ...agent(4, 'Passwords hashed with MD5', 'md5(password)'), status: 'accepted' as const, acceptedReason: REASON }];
    const reworded = mergeFindings(previous, [agent(9, 'Weak password hashing (MD5)', 'md5(password)')]);
    expect(reworded.map((f) => [f.id, f.line, f.status])).toEqual([['AGENT-001', 9, 'accepted']]);
    const rewritten = mergeFindings(previous, [agent(9, 'Passwords hashed with MD5', 'crypto.createHash("md5")')]);
    expect(rewritten.map((f) => [f.id, f.line, f.status])).toEqual([['AGENT-001', 9, 'accepted']]);
  });

  it('pairs two alike findings in one file by the nearest line, so the acceptance stays with the one accepted', () => {
    const previous = [{ ...scanned(3), status: 'accepted' as const, acceptedReason: REASON }, scanned(20)];
    const merged = mergeFindings(previous, [scanned(5), scanned(22)]);
    expect(merged.map((f) => [f.id, f.line, f.status])).toEqual([
      ['patterns:eval-on-input:src/server.js:3', 5, 'accepted'],
      ['patterns:eval-on-input:src/server.js:20', 22, 'open'],
    ]);
  });

  it('does not carry an acceptance to a different finding in the same file, and keeps the old one as resolved', () => {
    const previous = [{ ...scanned(3), status: 'accepted' as const, acceptedReason: REASON }];
    const other = scanned(3, { id: 'patterns:sql-concat:src/server.js:3', title: 'SQL built by concatenation', evidence: '"SELECT * FROM t WHERE id=" + id' });
    expect(mergeFindings(previous, [other]).map((f) => [f.id, f.status])).toEqual([
      ['patterns:sql-concat:src/server.js:3', 'open'],
      ['patterns:eval-on-input:src/server.js:3', 'resolved'],
    ]);
  });
});
