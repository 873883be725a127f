import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  criticVerdict,
  reportScoresInputSchema,
  ruleVerdict,
  type CriticVerdictKind,
} from '../../../src/core/verdicts/critic.js';
import { report } from './critic-fixtures.js';

type Score = number | 'N/A';
const NA = 'N/A' as const;

describe('criticVerdict at every boundary', () => {
  const table: [string, Score[], CriticVerdictKind, number | null][] = [
    ['mean exactly 4, none ≤ 2', [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4], 'SHIP_READY', 4],
    ['mean exactly 4 with a 2', [2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5], 'CONDITIONAL', 4],
    ['mean 4.5 with a 2', [2, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 3], 'CONDITIONAL', 54 / 12],
    ['mean 47/12 = 3.92, just under 4', [3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4], 'CONDITIONAL', 47 / 12],
    ['mean exactly 3', [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3], 'CONDITIONAL', 3],
    ['mean exactly 3 made of 2s and 4s', [2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4], 'CONDITIONAL', 3],
    ['mean 35/12 = 2.92, just under 3', [2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3], 'HOLD', 35 / 12],
    ['one dimension at 1 with an otherwise perfect card', [1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5], 'HOLD', 56 / 12],
    ['all 5', [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5], 'SHIP_READY', 5],
    ['N/A excluded: eleven 4s and an N/A (3.67 if N/A counted as 0)', [4, 4, 4, 4, 4, 4, 4, 4, 4, NA, 4, 4], 'SHIP_READY', 4],
    ['N/A excluded: a single scored 3', [NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, 3], 'CONDITIONAL', 3],
    ['N/A does not hide a 1', [1, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA], 'HOLD', 1],
  ];

  it.each(table)('%s → %s', (_name, scores, verdict, mean) => {
    const result = criticVerdict(report(scores).scores);
    expect(result.verdict).toBe(verdict);
    expect(result.mean).toBeCloseTo(mean ?? Number.NaN, 10);
    expect(result.applicable).toBe(scores.filter((s) => s !== NA).length);
  });

  it('holds when every dimension is N/A, and says why', () => {
    const result = criticVerdict(report(Array<Score>(12).fill(NA)).scores);
    expect(result).toMatchObject({ verdict: 'HOLD', mean: null, applicable: 0 });
    expect(result.notApplicable).toHaveLength(12);
    expect(result.reasons.join('\n')).toMatch(/every dimension is N\/A/);
  });

  it('names the dimensions that decided it', () => {
    const held = criticVerdict(report([5, 5, 1, 5, 5, 5, 5, 5, 5, 5, 5, 5]).scores);
    expect(held.reasons.join('\n')).toContain('D3=1 at 1');
    const conditional = criticVerdict(report([2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5]).scores);
    expect(conditional.reasons.join('\n')).toContain('D1=2 at 2 or below');
    const withNa = criticVerdict(report([4, 4, 4, 4, 4, 4, 4, 4, 4, NA, 4, 4]).scores);
    expect(withNa.notApplicable).toEqual(['D10']);
    expect(withNa.reasons[0]).toBe('N/A, left out of the mean: D10');
  });
});

describe('ruleVerdict on means no integer card can reach', () => {
  it.each([
    [4.0, 3, 'SHIP_READY'],
    [3.99, 3, 'CONDITIONAL'],
    [4.0, 2, 'CONDITIONAL'],
    [3.0, 2, 'CONDITIONAL'],
    [2.99, 2, 'HOLD'],
    [2.99, 3, 'HOLD'],
    [4.9, 1, 'HOLD'],
  ] as const)('mean %d, lowest %d → %s', (mean, lowest, verdict) => {
    expect(ruleVerdict({ mean, lowest })).toBe(verdict);
  });
});

describe('report_scores input schema', () => {
  const valid = report([4, 4, 4, 4, 4, 4, 4, 4, 4, NA, 4, 5]);

  it('accepts a complete scorecard', () => {
    expect(reportScoresInputSchema.safeParse(valid).success).toBe(true);
  });

  const issuesOf = (input: unknown): string[] =>
    (reportScoresInputSchema.safeParse(input).error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);

  it('requires all twelve dimensions and no others', () => {
    const { D7: _omitted, ...rest } = valid.scores;
    expect(issuesOf({ ...valid, scores: rest })).toEqual([expect.stringMatching(/^scores\.D7: /)]);
    expect(issuesOf({ ...valid, scores: { ...valid.scores, D13: valid.scores.D1 } }).join()).toMatch(/D13/);
  });

  it.each([
    ['a score of 0', { score: 0 }, 'scores.D1.score'],
    ['a score of 6', { score: 6 }, 'scores.D1.score'],
    ['a fractional score', { score: 3.5 }, 'scores.D1.score'],
    ['an empty reason', { reason: '  ' }, 'scores.D1.reason'],
    ['no evidence for a number', { evidence: [] }, 'scores.D1.evidence'],
    ['line 0', { evidence: [{ file: 'a.ts', line: 0 }] }, 'scores.D1.evidence.0.line'],
    ['an evidence item that is neither shape', { evidence: [{ file: 'a.ts' }] }, 'scores.D1.evidence.0'],
    ['na_reason on a number', { na_reason: 'because' }, 'scores.D1.na_reason'],
    ['no improvement below 5', { improvement: undefined }, 'scores.D1.improvement'],
    ['N/A without na_reason', { score: 'N/A', evidence: [], na_reason: undefined, improvement: undefined }, 'scores.D1.na_reason'],
  ])('rejects %s', (_name, change, path) => {
    const input = { ...valid, scores: { ...valid.scores, D1: { ...valid.scores.D1, ...change } } };
    const issues = issuesOf(JSON.parse(JSON.stringify(input)));
    expect(issues.map((issue) => issue.split(':')[0])).toContain(path);
  });

  it('accepts N/A with a reason and no evidence', () => {
    expect(valid.scores.D10).toMatchObject({ score: 'N/A', evidence: [] });
    expect(reportScoresInputSchema.safeParse(valid).success).toBe(true);
  });

  it('needs evidence on findings and non-empty recommendations', () => {
    expect(issuesOf({ ...valid, findings: [{ title: 't', detail: 'd', evidence: [] }] })).toEqual([expect.stringMatching(/^findings\.0\.evidence/)]);
    expect(issuesOf({ ...valid, recommendations: [''] })).toEqual([expect.stringMatching(/^recommendations\.0/)]);
  });

  it('converts to a JSON Schema the model can read', () => {
    const schema = z.toJSONSchema(reportScoresInputSchema) as { required?: string[]; properties?: Record<string, { required?: string[] }> };
    expect(schema.required).toEqual(['scores', 'findings', 'recommendations']);
    expect(schema.properties?.scores?.required).toHaveLength(12);
  });
});
