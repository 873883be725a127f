import { featureSpecSchema, type FeatureSpec } from './feature-spec.schema.js';
import { blockFrom, clip, firstContentLine, parseBullets, renderBullets, splitSections, toLines, type Section } from './markdown.js';
import { LineMap, problemsFromIssues, sortProblems, type LineProblem, type ParseResult } from './problems.js';
import { findSections, type SectionRule } from './sections.js';

/*
 * feature-spec.md: rendered by the runtime from `write_feature_spec`, read back when the gate
 * checks it (a person may have edited it). The format:
 *
 *   # Feature specification
 *   ## Summary            prose
 *   ## Users              "- " list
 *   ## Features           "### F-01: Name", prose, "#### Acceptance criteria", "- " list
 *   ## Data, ## Non-functional needs, ## Out of scope, ## Open questions   "- " lists or _None._
 */

export const FEATURE_SPEC_FILE = 'feature-spec.md';

type SpecSection = 'summary' | 'users' | 'features' | 'data' | 'non_functional' | 'out_of_scope' | 'open_questions';

const SECTIONS: readonly SectionRule<SpecSection>[] = [
  { key: 'summary', title: 'Summary', required: true },
  { key: 'users', title: 'Users', required: true },
  { key: 'features', title: 'Features', required: true },
  { key: 'data', title: 'Data', required: false },
  { key: 'non_functional', title: 'Non-functional needs', required: false, aliases: ['non-functional', 'non-functional requirements', 'nonfunctional needs'] },
  { key: 'out_of_scope', title: 'Out of scope', required: false },
  { key: 'open_questions', title: 'Open questions', required: false },
];

const LISTS: readonly { key: 'users' | 'data' | 'non_functional' | 'out_of_scope' | 'open_questions'; title: string }[] = [
  { key: 'users', title: 'Users' },
  { key: 'data', title: 'Data' },
  { key: 'non_functional', title: 'Non-functional needs' },
  { key: 'out_of_scope', title: 'Out of scope' },
  { key: 'open_questions', title: 'Open questions' },
];

const NOTE =
  '<!-- Written by CodeSleuth from the write_feature_spec tool. You may edit it by hand: keep the "##" headings, ' +
  'start each feature with "### F-01: Name", start list items with "- ", and give every feature at least one acceptance criterion. -->';

/** Pure: the feature spec as feature-spec.md. */
export function renderFeatureSpec(spec: FeatureSpec): string {
  const out: string[] = ['# Feature specification', '', NOTE, '', '## Summary', '', spec.summary, '', '## Users', '', ...renderBullets(spec.users), '', '## Features', ''];
  for (const feature of spec.features) {
    out.push(`### ${feature.id}: ${feature.name}`, '', feature.description, '', '#### Acceptance criteria', '', ...renderBullets(feature.acceptance_criteria), '');
  }
  for (const list of LISTS.slice(1)) out.push(`## ${list.title}`, '', ...renderBullets(spec[list.key]), '');
  return out.join('\n');
}

/** Pure: reads feature-spec.md back, with every problem and its line. */
export function parseFeatureSpec(text: string): ParseResult<FeatureSpec> {
  if (text.trim() === '') return { ok: false, problems: [{ message: 'the file is empty' }] };
  const lines = new LineMap();
  const { found, problems, missing } = findSections(toLines(text), SECTIONS, FEATURE_SPEC_FILE);
  const raw: Record<string, unknown> = {};

  const summary = found.get('summary');
  if (summary) {
    raw.summary = blockFrom(summary.body);
    lines.set(['summary'], firstContentLine(summary.body) ?? summary.line);
  }
  for (const list of LISTS) {
    const section = found.get(list.key);
    if (!section) {
      if (!missing.has(list.key)) raw[list.key] = [];
      continue;
    }
    const bullets = parseBullets(section.body, `"## ${list.title}"`);
    problems.push(...bullets.problems);
    // "expected a list item" already says why the list is empty; "name at least one" would repeat it.
    if (bullets.items.length === 0 && bullets.problems.length > 0) missing.add(list.key);
    raw[list.key] = bullets.items.map((i) => i.text);
    lines.set([list.key], section.line);
    bullets.items.forEach((i, index) => lines.set([list.key, index], i.line));
  }
  const features = found.get('features');
  if (features) raw.features = readFeatures(features, lines, problems, missing);

  const parsed = featureSpecSchema.safeParse(raw);
  if (parsed.success && problems.length === 0) return { ok: true, value: parsed.data };
  const issues = parsed.success ? [] : problemsFromIssues(parsed.error.issues, lines, describePath, missing);
  return { ok: false, problems: sortProblems([...problems, ...issues]) };
}

function readFeatures(section: Section, lines: LineMap, problems: LineProblem[], skip: Set<string>): unknown[] {
  lines.set(['features'], section.line);
  const { preamble, sections } = splitSections(section.body, 3);
  const stray = firstContentLine(preamble);
  if (stray !== undefined && sections.length === 0) skip.add('features');
  if (stray !== undefined) {
    problems.push({
      line: stray,
      message: `"## Features": expected a feature heading "### F-01: Feature name", found "${clip(preamble.lines[stray - 1]!.trim())}"; start each feature with such a heading, followed by its description and "#### Acceptance criteria"`,
    });
  }
  return sections.map((feature, index) => {
    lines.set(['features', index], feature.line);
    const heading = /^(\S+?)\s*:\s*(.*)$/.exec(feature.heading);
    if (!heading) {
      skip.add(`features.${index}.id`).add(`features.${index}.name`);
      problems.push({ line: feature.line, message: `expected a feature heading "### F-01: Feature name", found "### ${clip(feature.heading)}"; write the id, a colon and the name` });
    }
    const { preamble: description, sections: parts } = splitSections(feature.body, 4);
    lines.set(['features', index, 'description'], firstContentLine(description) ?? feature.line);
    let criteria: string[] = [];
    let seen = false;
    for (const part of parts) {
      if (part.heading.toLowerCase() !== 'acceptance criteria' || seen) {
        problems.push({
          line: part.line,
          message: seen
            ? `${heading?.[1] ?? 'this feature'} has a second "#### Acceptance criteria"; merge the two lists into one`
            : `unexpected heading "#### ${clip(part.heading)}" in ${heading?.[1] ?? 'a feature'}; only "#### Acceptance criteria" may follow the description`,
        });
        continue;
      }
      seen = true;
      lines.set(['features', index, 'acceptance_criteria'], part.line);
      const bullets = parseBullets(part.body, `acceptance criteria of ${heading?.[1] ?? 'a feature'}`);
      problems.push(...bullets.problems);
      criteria = bullets.items.map((i) => i.text);
      bullets.items.forEach((i, n) => lines.set(['features', index, 'acceptance_criteria', n], i.line));
    }
    if (!seen) {
      skip.add(`features.${index}.acceptance_criteria`);
      problems.push({
        line: feature.line,
        message: `${heading?.[1] ?? 'this feature'} has no "#### Acceptance criteria"; add that heading after the description, with at least one "- " criterion`,
      });
    }
    return { id: heading?.[1] ?? '', name: heading?.[2] ?? feature.heading, description: blockFrom(description), acceptance_criteria: criteria };
  });
}

/** Field paths in the words of the document: `F-02 acceptance criteria` rather than `features[1]...`. */
function describePath(path: readonly PropertyKey[]): string {
  const [top, index, field] = path;
  const section = SECTIONS.find((s) => s.key === top);
  if (top === 'features' && typeof index === 'number') {
    const what = field === undefined ? '' : ` ${String(field).replace(/_/g, ' ')}`;
    return `"## Features", feature ${index + 1}${what}`;
  }
  if (section) return `"## ${section.title}"${typeof index === 'number' ? `, item ${index + 1}` : ''}`;
  return String(top ?? 'the document');
}
