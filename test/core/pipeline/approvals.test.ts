import { describe, expect, it } from 'vitest';
import { approvedArtifacts, describeStale, earlierGates, staleApprovals } from '../../../src/core/pipeline/approvals.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const plan = { gate: 'plan' as const, at: '2026-11-23T10:00:00.000Z', artifacts: [{ name: 'feature-spec.md', sha256: A }] };

describe('stale approvals', () => {
  it('finds none while the bytes are the approved ones', () => {
    expect(staleApprovals([plan], new Map([['feature-spec.md', A]]))).toEqual([]);
  });

  it('flags an edited and a deleted artifact, and says how to re-approve', () => {
    const [edited] = staleApprovals([plan], new Map([['feature-spec.md', B]]));
    expect(edited).toMatchObject({ gate: 'plan', artifact: 'feature-spec.md', currentSha256: B });
    expect(describeStale(edited!)).toBe('feature-spec.md changed since !plan approved it (2026-11-23T10:00:00.000Z); review it and type !plan again to re-approve.');
    const [deleted] = staleApprovals([plan], new Map());
    expect(describeStale(deleted!)).toContain('was deleted');
  });

  it('judges only the latest approval of a gate', () => {
    const again = { ...plan, at: '2026-11-23T11:00:00.000Z', artifacts: [{ name: 'feature-spec.md', sha256: B }] };
    expect(staleApprovals([plan, again], new Map([['feature-spec.md', B]]))).toEqual([]);
    expect(approvedArtifacts([plan, again])).toEqual(['feature-spec.md']);
  });

  it('knows which gates come first', () => {
    expect(earlierGates('plan')).toEqual([]);
    expect(earlierGates('critic')).toEqual(['plan', 'build']);
  });
});
