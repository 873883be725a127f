import { describe, expect, it } from 'vitest';
import { artifactSpec } from '../../../src/core/pipeline/artifacts.js';
import { criticVerdict } from '../../../src/core/verdicts/critic.js';
import { criticCitations, criticismJson, renderCriticismMarkdown } from '../../../src/core/verdicts/critic-report.js';
import { report } from './critic-fixtures.js';

const scorecard = report([4, 4, 4, 4, 2, 4, 4, 4, 4, 'N/A', 4, 5], {
  findings: [
    {
      title: 'Empty list shows "undefined"',
      detail: 'The task list prints undefined | null before the first task.',
      dimension: 'D9',
      evidence: [{ file: 'src/ui/list.tsx', line: 14 }, { ran: 'node cli.js list' }],
    },
  ],
  recommendations: ['Add an empty state with a "create your first task" action'],
});
const verdict = criticVerdict(scorecard.scores);

describe('CRITICISM.md', () => {
  const markdown = renderCriticismMarkdown({ report: scorecard, verdict, dimensionNames: { D5: 'Feature discoverability', D10: 'Mobile/responsive' } });

  it('passes the artifact check the critique gate applies', () => {
    expect(artifactSpec('CRITICISM.md').validate(markdown)).toEqual([]);
  });

  it('has a scorecard row per dimension with score, evidence and the change to raise it', () => {
    const rows = markdown.split('\n').filter((line) => /^\| D\d+/.test(line));
    expect(rows).toHaveLength(12);
    expect(rows[4]).toBe('| D5 Feature discoverability | 2 | scored 2 | `src/app.ts:3`; ran `npm start` | show a hint on the first screen |');
    expect(rows[9]).toContain('| D10 Mobile/responsive | N/A | desktop-only target (N/A: build target is linux) |');
  });

  it('escapes model text that would break the table or the list', () => {
    expect(markdown).toContain('1. **Empty list shows "undefined"** (D9): The task list prints undefined | null before the first task.');
    expect(markdown).toContain('Evidence: `src/ui/list.tsx:14`; ran `node cli.js list`');
  });

  it('states the verdict with the rule applied', () => {
    const section = markdown.slice(markdown.indexOf('## Verdict'));
    expect(section).toContain('**CONDITIONAL**');
    expect(section).toContain('Any dimension at 1 → HOLD');
    expect(section).toContain('- N/A, left out of the mean: D10');
    expect(section).toContain('- D5=2 at 2 or below, so not SHIP_READY');
    expect(markdown).toContain('Verdict: **CONDITIONAL** (mean 3.91 over 11 applicable dimensions).');
  });

  it('keeps table cells intact when text contains pipes and newlines', () => {
    const tricky = report([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
    const withPipe = { ...tricky, scores: { ...tricky.scores, D1: { ...tricky.scores.D1, reason: 'a | b\nc' } } };
    const text = renderCriticismMarkdown({ report: withPipe, verdict: criticVerdict(withPipe.scores) });
    expect(text).toContain('| D1 | 5 | a \\| b c |');
  });
});

describe('the JSON twin', () => {
  it('carries the same verdict, scores, findings and recommendations', () => {
    const json = criticismJson({ report: scorecard, verdict, dimensionNames: { D5: 'Feature discoverability' } });
    expect(json).toMatchObject({ verdict: 'CONDITIONAL', applicable: 11, not_applicable: ['D10'] });
    expect(json.mean).toBeCloseTo(43 / 11, 10);
    expect(json.scores).toHaveLength(12);
    expect(json.scores[4]).toMatchObject({ id: 'D5', name: 'Feature discoverability', score: 2, improvement: 'show a hint on the first screen' });
    expect(json.scores[9]).toMatchObject({ id: 'D10', score: 'N/A', na_reason: 'build target is linux' });
    expect(json.findings).toEqual(scorecard.findings);
    expect(json.recommendations).toEqual(scorecard.recommendations);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('criticCitations', () => {
  it('lists every file:line with where it came from, and skips commands', () => {
    const citations = criticCitations(scorecard);
    expect(citations).toHaveLength(12);
    expect(citations[0]).toEqual({ file: 'src/app.ts', line: 3, label: 'scores.D1.evidence[0]' });
    expect(citations.at(-1)).toEqual({ file: 'src/ui/list.tsx', line: 14, label: 'findings[0].evidence[0]' });
  });
});
