import type { z } from 'zod';

/**
 * One thing wrong with a document the runtime reads back (feature-spec.md, TDD.md, ...):
 * the 1-based line when known, and a message that says what was found, what was expected and
 * what to do. Structurally an `ArtifactProblem`, so gates can show it as it is.
 */
export interface LineProblem {
  readonly line?: number;
  readonly message: string;
}

/** The outcome of reading a document: the data, or every problem found. */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly LineProblem[] };

/** `features[0].acceptance_criteria[2]` */
export function fieldLabel(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(document)' : out;
}

/**
 * Remembers on which line each field of a document came from, so a zod issue at
 * `features.1.name` can point at the heading of the second feature. Lookup falls back to the
 * closest recorded parent.
 */
export class LineMap {
  private readonly lines = new Map<string, number>();

  set(path: readonly PropertyKey[], line: number | undefined): void {
    if (line !== undefined) this.lines.set(path.map(String).join('.'), line);
  }

  get(path: readonly PropertyKey[]): number | undefined {
    for (let end = path.length; end >= 0; end--) {
      const line = this.lines.get(path.slice(0, end).map(String).join('.'));
      if (line !== undefined) return line;
    }
    return undefined;
  }
}

/**
 * Turns schema issues into line problems. `skip` holds field paths (`features.1.id`, `users`)
 * the structural reader has already reported, so one mistake is not reported twice; an issue
 * at or under a skipped path is dropped.
 */
export function problemsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  lines: LineMap,
  describe: (path: readonly PropertyKey[]) => string = fieldLabel,
  skip: ReadonlySet<string> = new Set(),
): LineProblem[] {
  const problems: LineProblem[] = [];
  for (const issue of issues) {
    if (isSkipped(issue.path, skip)) continue;
    const line = lines.get(issue.path);
    const message = `${describe(issue.path)}: ${issue.message}`;
    problems.push(line === undefined ? { message } : { line, message });
  }
  return problems;
}

/** Problems in line order; those without a line keep their order and come last. */
export function sortProblems(problems: readonly LineProblem[]): LineProblem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => (a.problem.line ?? Infinity) - (b.problem.line ?? Infinity) || a.index - b.index)
    .map((entry) => entry.problem);
}

function isSkipped(path: readonly PropertyKey[], skip: ReadonlySet<string>): boolean {
  if (skip.size === 0) return false;
  for (let end = 1; end <= path.length; end++) {
    if (skip.has(path.slice(0, end).map(String).join('.'))) return true;
  }
  return false;
}
