import { describe, expect, it } from 'vitest';
import { toInputJsonSchema, validateStructuredInput } from '../../../src/core/agent/structured-tools.js';
import { parseFeatureSpec, renderFeatureSpec } from '../../../src/core/documents/feature-spec.js';
import { featureSpecSchema, WRITE_FEATURE_SPEC_TOOL, type FeatureSpec } from '../../../src/core/documents/feature-spec.schema.js';
import { block, random, words } from '../task-graph/graph-fixtures.js';

const spec: FeatureSpec = featureSpecSchema.parse({
  summary: 'A to-do list for a small café team.\n\nIt runs on the shared tablet behind the counter.',
  users: ['Baristas', 'The shift lead'],
  features: [
    {
      id: 'F-01',
      name: 'Add tasks: quickly',
      description: 'A barista adds a task with one tap.\n\n- works offline\n- `code` and | pipes are fine',
      acceptance_criteria: ['Given an empty list, when I add "Milk", it appears at the top', 'A task title may hold 200 characters'],
    },
    { id: 'F-02', name: 'Clear done tasks', description: 'The shift lead clears ticked tasks.', acceptance_criteria: ['Cleared tasks disappear for everyone'] },
  ],
  data: ['Task titles and who ticked them; nothing personal'],
  non_functional: ['Usable with one hand', 'Works offline for a shift'],
  out_of_scope: [],
  open_questions: ['Should tasks repeat daily? (assumption: no)'],
});

function problemsOf(text: string): string[] {
  const result = parseFeatureSpec(text);
  return result.ok ? [] : result.problems.map((p) => `${p.line ?? '-'}: ${p.message}`);
}

describe('feature-spec.md', () => {
  it('renders every section, with _None._ for an empty list', () => {
    const text = renderFeatureSpec(spec);
    expect(text).toContain('## Summary\n\nA to-do list for a small café team.\n\nIt runs on the shared tablet behind the counter.\n');
    expect(text).toContain('### F-01: Add tasks: quickly\n\nA barista adds a task with one tap.');
    expect(text).toContain('#### Acceptance criteria\n\n- Given an empty list, when I add "Milk", it appears at the top\n');
    expect(text).toContain('## Out of scope\n\n_None._\n');
    expect(text).toContain('## Non-functional needs\n\n- Usable with one hand\n- Works offline for a shift\n');
  });

  it('reads back what it rendered (render → parse → render)', () => {
    const text = renderFeatureSpec(spec);
    const parsed = parseFeatureSpec(text);
    expect(parsed).toEqual({ ok: true, value: spec });
    if (parsed.ok) expect(renderFeatureSpec(parsed.value)).toBe(text);
  });

  it('round-trips generated specs with odd characters (property, 150 seeds)', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const rand = random(seed);
      const list = (min: number) => Array.from({ length: min + Math.floor(rand() * 3) }, () => words(rand, 1, 6));
      const generated = featureSpecSchema.parse({
        summary: block(rand),
        users: list(1),
        features: Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => ({
          id: `F-${String(i + 1).padStart(2, '0')}`,
          name: words(rand, 1, 5),
          description: block(rand),
          acceptance_criteria: list(1),
        })),
        data: list(0),
        non_functional: list(0),
        out_of_scope: list(0),
        open_questions: list(0),
      });
      expect(parseFeatureSpec(renderFeatureSpec(generated)), `seed ${seed}`).toEqual({ ok: true, value: generated });
    }
  });

  it('accepts a hand edit: sections reordered, optional ones dropped, "*" bullets, CRLF', () => {
    const text = [
      '# Tidy',
      '## Features',
      '### F-01: Add tasks',
      'Add one.',
      '#### Acceptance criteria',
      '* it appears',
      '## Users',
      '* Baristas',
      '## Summary',
      'A list.',
    ].join('\r\n');
    expect(parseFeatureSpec(text)).toEqual({
      ok: true,
      value: {
        summary: 'A list.',
        users: ['Baristas'],
        features: [{ id: 'F-01', name: 'Add tasks', description: 'Add one.', acceptance_criteria: ['it appears'] }],
        data: [],
        non_functional: [],
        out_of_scope: [],
        open_questions: [],
      },
    });
  });

  it('reports missing sections by name, and an empty file', () => {
    expect(problemsOf('# Spec\n## Summary\nx\n')).toEqual(['-: missing the section "## Users"', '-: missing the section "## Features"']);
    expect(problemsOf('  \n')).toEqual(['-: the file is empty']);
  });

  it('reports each problem of a hand-broken spec on its line, with what to do', () => {
    const text = [
      '# Feature spec', //                        1
      '## Summary', //                            2
      'A todo app.', //                           3
      '## Users', //                              4
      'Teams.', //                                5
      '## Features', //                           6
      '- Lists', //                               7
      '### F-1: Lists', //                        8
      'Keep lists.', //                           9
      '### F-02 Sharing', //                      10
      '#### Acceptance criteria', //              11
      '- shared with a link', //                  12
      '### F-1: Again', //                        13
      'Same id.', //                              14
      '#### Acceptance criteria', //              15
      '## Extras', //                             16
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      '5: "## Users": expected a list item starting with "- ", found "Teams."; put each item on its own line starting with "- " (or write _None._ for none)',
      '7: "## Features": expected a feature heading "### F-01: Feature name", found "- Lists"; start each feature with such a heading, followed by its description and "#### Acceptance criteria"',
      '8: F-1 has no "#### Acceptance criteria"; add that heading after the description, with at least one "- " criterion',
      '8: "## Features", feature 1 id: expected an id such as F-01 (F, a dash, two or more digits)',
      '10: expected a feature heading "### F-01: Feature name", found "### F-02 Sharing"; write the id, a colon and the name',
      '10: "## Features", feature 2 description: the feature description must not be empty',
      '13: "## Features", feature 3 id: expected an id such as F-01 (F, a dash, two or more digits)',
      '13: "## Features", feature 3 id: F-1 is already the id of feature 1 ("Lists"); give each feature its own id',
      '15: "## Features", feature 3 acceptance criteria: give at least one acceptance criterion that can be observed from outside',
      '16: unknown section "## Extras"; feature-spec.md has the sections "## Summary", "## Users", "## Features", "## Data", "## Non-functional needs", "## Out of scope", "## Open questions". Rename it or move its text into one of them',
    ]);
  });
});

describe('write_feature_spec', () => {
  it('is a finishing tool whose schema refuses a feature without acceptance criteria', () => {
    expect(WRITE_FEATURE_SPEC_TOOL.finishing).toBe(true);
    const checked = validateStructuredInput(WRITE_FEATURE_SPEC_TOOL, { ...spec, features: [{ ...spec.features[0], acceptance_criteria: [] }] });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.message).toContain('- features.0.acceptance_criteria: give at least one acceptance criterion that can be observed from outside');
  });

  it('normalises text the way the file reads back: one-line items, trimmed blocks', () => {
    const parsed = featureSpecSchema.parse({ ...spec, users: ['  Baristas\n and  cooks '], summary: '\n\nA list.   \r\nSecond line.\n\n' });
    expect(parsed.users).toEqual(['Baristas and cooks']);
    expect(parsed.summary).toBe('A list.\nSecond line.');
  });

  it('publishes a JSON Schema without transforms', () => {
    const json = toInputJsonSchema(WRITE_FEATURE_SPEC_TOOL.schema) as { required: string[]; additionalProperties: boolean };
    expect(json.required).toEqual(['summary', 'users', 'features', 'data', 'non_functional', 'out_of_scope', 'open_questions']);
    expect(json.additionalProperties).toBe(false);
  });
});
