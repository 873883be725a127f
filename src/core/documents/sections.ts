import { closestName } from '../commands/suggest.js';
import { clip, outline, spanOf, splitSections, toLines, unclosedFenceProblem, type Outline, type OutlineHeading, type Section } from './markdown.js';
import type { LineProblem } from './problems.js';

/** A `## ` section a document may have: its key, its canonical title, and other names accepted for it. */
export interface SectionRule<K extends string> {
  readonly key: K;
  readonly title: string;
  readonly required: boolean;
  readonly aliases?: readonly string[];
}

/** The sections found by key, the problems with the outline, and the required keys that are missing. */
export interface FoundSections<K extends string> {
  readonly found: Map<K, Section>;
  readonly problems: LineProblem[];
  readonly missing: Set<string>;
}

/**
 * Reads the outline of a document (`lines` are the whole file; `outlined` its outline, when
 * the caller has it already): one optional `# Title` before the sections, then `## `
 * sections from `rules` in any order. Unknown, repeated and stray top-level headings are
 * problems (their text would otherwise be dropped without a word); a missing required
 * section is reported as `missing the section "## Users"`.
 */
export function findSections<K extends string>(
  lines: readonly string[],
  rules: readonly SectionRule<K>[],
  file: string,
  outlined: Outline = outline(spanOf(lines)),
): FoundSections<K> {
  const sections: Section[] = [];
  const higher: OutlineHeading[] = [];
  for (const heading of outlined.headings) {
    if (heading.level === 2) sections.push({ heading: heading.text, line: heading.index + 1, body: spanOf(lines, heading.index + 1, heading.end) });
    else if (heading.level === 1) higher.push(heading);
  }
  const problems: LineProblem[] = [];
  if (outlined.openFence !== undefined) problems.push(unclosedFenceProblem(outlined.openFence, lines));
  const found = new Map<K, Section>();
  const firstSection = sections[0]?.line ?? Infinity;
  higher.forEach((heading, index) => {
    const line = heading.index + 1;
    if (index === 0 && line < firstSection) return;
    problems.push({
      line,
      message: `unexpected top-level heading "${clip(lines[heading.index]!.trim())}"; ${file} has one "# " title at the top, and its parts are "## " sections`,
    });
  });
  const titles = rules.map((r) => r.title);
  for (const section of sections) {
    const name = section.heading.toLowerCase().replace(/\s+/g, ' ');
    const rule = rules.find((r) => r.title.toLowerCase() === name || (r.aliases ?? []).includes(name));
    if (!rule) {
      const guess = closestName(name, titles.map((t) => t.toLowerCase()));
      const suggestion = guess === undefined ? '' : ` Did you mean "## ${titles.find((t) => t.toLowerCase() === guess)}"?`;
      problems.push({
        line: section.line,
        message: `unknown section "## ${clip(section.heading)}"; ${file} has the sections ${titles.map((t) => `"## ${t}"`).join(', ')}.${suggestion} Rename it or move its text into one of them`,
      });
      continue;
    }
    const earlier = found.get(rule.key);
    if (earlier) {
      problems.push({ line: section.line, message: `"## ${rule.title}" appears twice (first at line ${earlier.line}); merge the two into one section` });
      continue;
    }
    found.set(rule.key, section);
  }
  const missing = new Set<string>();
  for (const rule of rules) {
    if (rule.required && !found.has(rule.key)) {
      missing.add(rule.key);
      problems.push({ message: `missing the section "## ${rule.title}"` });
    }
  }
  return { found, problems, missing };
}

/**
 * A document whose every "## " section is one item (SCHEMA.md's entities, INTERFACES.md's
 * interfaces): its lines, its sections, and the outline's problems (an unclosed fence, a
 * top-level heading after the title). `eachItem` ends the heading message, e.g.
 * 'each entity is a "## Name" section'.
 */
export function itemSections(text: string, eachItem: string): { source: string[]; sections: Section[]; problems: LineProblem[] } {
  const problems: LineProblem[] = [];
  const source = toLines(text);
  const { sections, higher } = splitSections(spanOf(source), 2);
  const { openFence } = outline(spanOf(source));
  if (openFence !== undefined) problems.push(unclosedFenceProblem(openFence, source));
  const firstSection = sections[0]?.line ?? Infinity;
  higher.forEach((at, index) => {
    if (index === 0 && at + 1 < firstSection) return;
    problems.push({ line: at + 1, message: `unexpected top-level heading "${clip(source[at]!.trim())}"; ${eachItem}` });
  });
  return { source, sections, problems };
}
