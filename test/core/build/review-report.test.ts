import { describe, expect, it } from 'vitest';
import { toToolSpec } from '../../../src/core/agent/structured-tools.js';
import { REPORT_REVIEW_TOOL, reportReviewSchema } from '../../../src/core/build/review-report.js';

const finding = { severity: 'important', file: 'src/a.ts', line: 3, problem: 'Off by one.', fix: 'Use <.' };

describe('report_review schema', () => {
  it.each([
    ['a pass without findings', { stage: 'spec', verdict: 'pass', findings: [] }],
    ['a pass with minor notes', { stage: 'quality', verdict: 'pass', findings: [{ ...finding, severity: 'minor' }], summary: 'Fine.' }],
    ['changes with a finding', { stage: 'quality', verdict: 'changes_requested', findings: [finding] }],
  ])('accepts %s', (_title, input) => {
    expect(reportReviewSchema.safeParse(input).success).toBe(true);
  });

  it.each([
    ['a pass with an important finding', { stage: 'spec', verdict: 'pass', findings: [finding] }, 'verdict', 'use changes_requested'],
    ['changes without findings', { stage: 'spec', verdict: 'changes_requested', findings: [] }, 'findings', 'at least one finding'],
    ['an unknown stage', { stage: 'style', verdict: 'pass', findings: [] }, 'stage', ''],
    ['line 0', { stage: 'spec', verdict: 'changes_requested', findings: [{ ...finding, line: 0 }] }, 'findings.0.line', 'line counts from 1'],
    ['a fractional line', { stage: 'spec', verdict: 'changes_requested', findings: [{ ...finding, line: 1.5 }] }, 'findings.0.line', 'whole number'],
    ['an empty fix', { stage: 'spec', verdict: 'changes_requested', findings: [{ ...finding, fix: ' ' }] }, 'findings.0.fix', 'must not be empty'],
    ['an extra field', { stage: 'spec', verdict: 'pass', findings: [], score: 3 }, '', 'Unrecognized key'],
  ])('rejects %s', (_title, input, path, message) => {
    const result = reportReviewSchema.safeParse(input);
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    expect(issue.path.join('.')).toBe(path);
    expect(issue.message).toContain(message);
  });

  it('is a finishing tool whose JSON Schema has an object at the top (no anyOf)', () => {
    expect(REPORT_REVIEW_TOOL.finishing).toBe(true);
    const spec = toToolSpec(REPORT_REVIEW_TOOL);
    expect(spec.name).toBe('report_review');
    expect(spec.inputSchema).toMatchObject({ type: 'object', required: ['stage', 'verdict', 'findings'] });
    expect(spec.inputSchema).not.toHaveProperty('anyOf');
  });
});
