import { describe, expect, it } from 'vitest';
import { checkNotApplicable, quotedPassages } from '../../../src/core/verdicts/critic-na.js';
import { report } from './critic-fixtures.js';

const SPEC = '# Summary\nA command-line budget tracker.\n\n## Pricing\nFree and open source: no paid plans,\nno accounts.\n';
const naPlatforms = { D10: ['linux', 'windows', 'macos'] };

function withNa(dimension: 'D6' | 'D10', naReason: string) {
  const base = report([4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4]);
  return { ...base.scores, [dimension]: { score: 'N/A' as const, reason: 'out of scope', evidence: [], na_reason: naReason } };
}

describe('checkNotApplicable', () => {
  it('allows N/A on a dimension\'s own N/A targets without a quote', () => {
    expect(checkNotApplicable(withNa('D10', 'desktop CLI'), { platform: 'linux', naPlatforms, specText: SPEC })).toEqual([]);
  });

  it('asks for a quote of the spec elsewhere', () => {
    expect(checkNotApplicable(withNa('D10', 'desktop CLI'), { platform: 'web', naPlatforms, specText: SPEC })).toEqual([
      { dimension: 'D10', reason: expect.stringContaining('D10 is N/A on web, which is not one of its N/A targets') },
    ]);
  });

  it('accepts a quote found in feature-spec.md, across a line break and in any case', () => {
    const scores = withNa('D6', 'the spec says "No paid plans, no accounts" so monetisation is out of scope');
    expect(checkNotApplicable(scores, { platform: 'linux', naPlatforms, specText: SPEC })).toEqual([]);
  });

  it('rejects a quote the spec does not contain, or a spec it could not read', () => {
    const scores = withNa('D6', 'spec: “free forever for everyone”');
    expect(checkNotApplicable(scores, { platform: 'linux', naPlatforms, specText: SPEC })).toEqual([
      { dimension: 'D6', reason: 'D6: the quoted text "free forever for everyone" does not appear in feature-spec.md; quote it exactly, or score the dimension' },
    ]);
    expect(checkNotApplicable(scores, { platform: 'linux', naPlatforms, specText: undefined })[0]?.reason).toContain('could not be read');
  });

  it('ignores quotes too short to mean anything', () => {
    expect(quotedPassages('"ok" and “no paid plans”')).toEqual(['no paid plans']);
  });
});
