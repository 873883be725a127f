import { describe, expect, it } from 'vitest';
import { parseRuleFile } from '../../../src/core/agents/parse-definitions.js';
import {
  criticDimensionsDataSchema,
  criticDimensionsOf,
  dimensionsOptionalOn,
  securityDomainsDataSchema,
  type RuleDefinition,
} from '../../../src/core/agents/rule-schema.js';
import { ruleFile } from './agent-fixtures.js';

function dimensions(count: number, ids?: string[]): unknown[] {
  return Array.from({ length: count }, (_, index) => ({
    id: ids?.[index] ?? `D${index + 1}`,
    name: `Dimension ${index + 1}`,
    question: 'Is it good?',
    rubric: { 1: 'bad', 3: 'fair', 5: 'great' },
    na_platforms: index === 9 ? ['linux'] : [],
  }));
}

function criticData(dims: unknown[]): unknown {
  return { scale: { min: 1, max: 5 }, thresholds: { pass_mean: 3.5, min_each: 3 }, dimensions: dims };
}

function domains(count: number): unknown[] {
  return Array.from({ length: count }, (_, index) => ({ id: `S${index + 1}`, name: `Domain ${index + 1}`, checks: ['look'] }));
}

describe('critic dimensions data', () => {
  it('accepts twelve dimensions D1 to D12 in order', () => {
    expect(criticDimensionsDataSchema.safeParse(criticData(dimensions(12))).success).toBe(true);
  });

  it('rejects the wrong count', () => {
    expect(criticDimensionsDataSchema.safeParse(criticData(dimensions(11))).success).toBe(false);
  });

  it('rejects a repeated or out-of-order id at that entry', () => {
    const ids = dimensions(12).map((_, i) => `D${i + 1}`);
    ids[4] = 'D4';
    const result = criticDimensionsDataSchema.safeParse(criticData(dimensions(12, ids)));
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['dimensions', 4, 'id'], message: 'id `D4` is used twice' }),
    ]);
  });

  it('rejects a rubric without a level and an unknown platform', () => {
    const dims = dimensions(12) as Array<Record<string, unknown>>;
    dims[0] = { ...dims[0], rubric: { 1: 'bad', 5: 'great' }, na_platforms: ['amiga'] };
    const result = criticDimensionsDataSchema.safeParse(criticData(dims));
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['dimensions.0.na_platforms.0', 'dimensions.0.rubric.3']);
  });

  it('gives typed access from loaded rules and the dimensions optional on a platform', () => {
    const rules = new Map<string, RuleDefinition>([
      ['critic-dimensions', { name: 'critic-dimensions', description: 'd', body: 'b', file: 'f', data: criticData(dimensions(12)) }],
    ]);
    const data = criticDimensionsOf(rules);
    expect(data?.dimensions).toHaveLength(12);
    expect(data && dimensionsOptionalOn(data, 'linux').map((d) => d.id)).toEqual(['D10']);
    expect(criticDimensionsOf(new Map())).toBeUndefined();
  });
});

describe('security domains data', () => {
  it('accepts twenty domains S1 to S20', () => {
    const result = securityDomainsDataSchema.safeParse({ severities: ['high', 'low'], blocking: ['high'], domains: domains(20) });
    expect(result.success).toBe(true);
  });

  it('rejects a blocking severity that is not a severity', () => {
    const result = securityDomainsDataSchema.safeParse({ severities: ['low'], blocking: ['high'], domains: domains(20) });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['blocking'] })]);
  });
});

describe('parseRuleFile', () => {
  it('loads a rule whose name matches its file', () => {
    const { rule, problems } = parseRuleFile('rules/gate-rules.md', ruleFile('gate-rules', 'Never advance.'));
    expect(problems).toEqual([]);
    expect(rule).toMatchObject({ name: 'gate-rules', body: 'Never advance.', file: 'rules/gate-rules.md' });
  });

  it('reports a name that differs from the file name', () => {
    const { rule, problems } = parseRuleFile('rules/gate-rules.md', ruleFile('gates'));
    expect(rule).toBeUndefined();
    expect(problems).toEqual([expect.objectContaining({ field: 'name', line: 2, expected: '`gate-rules`' })]);
  });

  it('validates typed data and points at the bad entry', () => {
    const yaml = [
      'data:',
      '  severities: [critical, high]',
      '  blocking: [critical]',
      '  domains:',
      '    - id: S1',
      '      name: Authentication',
      '      checks: []',
      '',
    ].join('\n');
    const { rule, problems } = parseRuleFile('rules/security-domains.md', ruleFile('security-domains', 'Body', yaml));
    expect(rule).toBeUndefined();
    const fields = problems.map((p) => p.field);
    expect(fields).toContain('data.domains');
    expect(fields).toContain('data.domains[0].checks');
    expect(problems.find((p) => p.field === 'data.domains[0].checks')?.line).toBe(10);
  });

  it('says where to add a nested field that is missing', () => {
    const yaml = 'data:\n  scale: { min: 1, max: 5 }\n  thresholds: { pass_mean: 3.5, min_each: 3 }\n  dimensions:\n    - id: D1\n      name: First-run experience\n';
    const { problems } = parseRuleFile('rules/critic-dimensions.md', ruleFile('critic-dimensions', 'Body', yaml));
    expect(problems).toContainEqual(
      expect.objectContaining({ field: 'data.dimensions[0].question', line: 8, hint: 'add `question:` under `data.dimensions[0]`' }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ field: 'data.dimensions', expected: 'array to have exactly 12 items' }));
  });

  it('requires data for rules that define it', () => {
    const { problems } = parseRuleFile('rules/critic-dimensions.md', ruleFile('critic-dimensions'));
    expect(problems).toEqual([expect.objectContaining({ field: 'data', message: 'required field is missing' })]);
  });
});
