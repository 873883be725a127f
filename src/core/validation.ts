import type { z } from 'zod';

/** One thing wrong with an outside file: which file, which field, what was expected. */
export interface FieldProblem {
  readonly file: string;
  readonly field: string;
  readonly message: string;
}

/** Turns a zod error into per-field problems a person can act on. */
export function zodProblems(file: string, error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    file,
    field: issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** "config/context.json, field registered_projects.0.stage: Invalid option ..." one per line. */
export function formatProblems(problems: readonly FieldProblem[]): string {
  return problems.map((p) => `${p.file}, field \`${p.field}\`: ${p.message}`).join('\n');
}
