import type { z } from 'zod';
import { closestName } from '../commands/suggest.js';
import type { FieldProblem } from '../validation.js';
import { CLAUDE_CODE_TOOL_ALIASES } from './tool-names.js';

/**
 * Problems found in agent and rule files, written for the person who has to fix them: which
 * file (and line when known), which field, what was found, what was expected, what to do.
 */

/** One thing wrong with one definition file. `field` is `(file)` when no single field is at fault. */
export interface DefinitionProblem extends FieldProblem {
  readonly line?: number;
  readonly expected: string;
  readonly hint: string;
}

/** Per-field wording for messages; `item` names one element of a list field ("tool"). */
export interface FieldGuideEntry {
  readonly expected: string;
  readonly hint: string;
  readonly item?: string;
}

export type FieldGuide = Readonly<Record<string, FieldGuideEntry>>;

export const WHOLE_FILE = '(file)';

/** `tools[2]`, `data.dimensions[3].rubric.5` */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? WHOLE_FILE : out;
}

/**
 * Turns zod issues into problems. Parse with `reportInput: true` so messages can quote the
 * offending value; `lineOf` finds the file line of a field path. `fieldPrefix` places the
 * issues of a nested schema (a rule's `data`) under their field.
 */
export function problemsFromZod(
  file: string,
  issues: readonly z.core.$ZodIssue[],
  guide: FieldGuide,
  lineOf: (path: readonly PropertyKey[]) => number | undefined,
  fieldPrefix: readonly PropertyKey[] = [],
): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  for (const issue of issues) {
    const path = [...fieldPrefix, ...issue.path];
    const top = String(path[0] ?? '');
    const entry = guide[top];
    const line = path.length === 0 ? undefined : lineOf(path);
    const base = { file, ...(line === undefined ? {} : { line }) };

    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const field = formatFieldPath([...path, key]);
        const known = Object.keys(guide);
        const guess = path.length === 0 ? closestName(key, known) : undefined;
        const keyLine = lineOf([...path, key]);
        problems.push({
          ...base,
          ...(keyLine === undefined ? {} : { line: keyLine }),
          field,
          message: `unknown field \`${key}\``,
          expected: path.length === 0 ? `only the fields ${known.join(', ')}` : 'only the documented fields',
          hint: guess ? `did you mean \`${guess}\`? Rename or remove the field` : 'remove the field or fix its spelling',
        });
      }
      continue;
    }

    const field = formatFieldPath(path);
    // The guide speaks about a top-level field; deeper values are described from the issue.
    const nested = path.length > 1;
    const expected = (nested ? describeExpected(issue) : undefined) ?? entry?.expected ?? issue.message;
    const hint = entry?.hint ?? 'fix the value';

    // A missing field arrives as invalid_type or invalid_value with no input; say it plainly.
    if (issue.input === undefined && issue.code !== 'custom') {
      const name = String(path[path.length - 1]);
      const where = nested ? `under \`${formatFieldPath(path.slice(0, -1))}\`` : 'to the frontmatter';
      problems.push({ ...base, field, message: 'required field is missing', expected, hint: `add \`${name}:\` ${where}` });
    } else if (issue.code === 'invalid_type') {
      problems.push({ ...base, field, message: `has the wrong type (${describeType(issue.input)})`, expected, hint });
    } else if (issue.code === 'invalid_value') {
      const value = String(issue.input);
      const choices = issue.values.map(String);
      const guess = suggestValue(value, choices);
      problems.push({
        ...base,
        field,
        message: `unknown ${entry?.item ?? 'value'} \`${value}\``,
        expected: `one of ${choices.join(', ')}`,
        hint: guess ? `did you mean \`${guess}\`? ${capitalise(hint)}` : hint,
      });
    } else if (issue.code === 'custom') {
      const params = issue.params as { expected?: string; hint?: string } | undefined;
      problems.push({ ...base, field, message: issue.message, expected: params?.expected ?? expected, hint: params?.hint ?? hint });
    } else {
      problems.push({ ...base, field, message: issue.message, expected, hint });
    }
  }
  return problems;
}

/**
 * The text the REPL shows, one problem per line:
 * "agents/03-builder.md: field `tools`: unknown tool `rm_rf` — expected one of ...; fix the file or remove the tool".
 * `displayPath` shortens absolute paths (home to `~`, the working directory to relative).
 */
export function formatDefinitionProblems(
  problems: readonly DefinitionProblem[],
  displayPath: (file: string) => string = (file) => file,
): string {
  return problems.map((problem) => formatProblem(problem, displayPath)).join('\n');
}

export function formatProblem(problem: DefinitionProblem, displayPath: (file: string) => string = (file) => file): string {
  const where = `${displayPath(problem.file)}${problem.line === undefined ? '' : `:${problem.line}`}`;
  const field = problem.field.startsWith('(') ? '' : ` field \`${problem.field}\`:`;
  return `${where}:${field} ${problem.message} — expected ${problem.expected}; ${problem.hint}`;
}

function suggestValue(value: string, choices: readonly string[]): string | undefined {
  const alias = CLAUDE_CODE_TOOL_ALIASES[value.toLowerCase()];
  if (alias !== undefined && choices.includes(alias)) return alias;
  return closestName(value, choices);
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  array: 'a list',
  object: 'a set of `field: value` lines',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/** What a nested value should be, in words, when zod says enough to tell. */
function describeExpected(issue: z.core.$ZodIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_WORDS[issue.expected] ?? issue.expected;
    case 'too_small':
    case 'too_big':
      return issue.message.replace(/^too (small|big): expected /i, '');
    case 'invalid_format':
      return issue.message;
    default:
      return undefined;
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'got nothing (null)';
  if (Array.isArray(value)) return 'got a list';
  if (typeof value === 'object') return 'got a nested mapping';
  return `got the ${typeof value} \`${String(value)}\``;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
