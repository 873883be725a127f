import { z } from 'zod';
import type { ToolSpec } from '../provider/types.js';
import { formatZodIssues } from '../tools/run-tool.js';

/*
 * Structured tools carry an agent's decisions back to the runtime as data: the loop validates
 * their input with zod and never reads a decision out of prose. The loop knows only two kinds:
 * a finishing tool ends the run with its validated input; a pausing tool (ask_user) stops the
 * run until the person answers. What a tool's input means is the caller's business, so later
 * stages add `write_feature_spec`, `write_task_graph`, ... as specs of their own.
 */

/**
 * A structured tool the agent loop handles itself (no `execute`: the runtime acts on the
 * validated input). `finishing: true` ends the run ('finished'); `finishing: false` pauses it
 * for the person ('question'), whose answer becomes the tool's result.
 */
export interface StructuredToolSpec<I = unknown> {
  readonly name: string;
  readonly description: string;
  readonly schema: z.ZodType<I>;
  readonly finishing: boolean;
  /**
   * For a pausing tool: the text the person is asked, from the validated input. Method syntax
   * keeps `StructuredToolSpec<AskUserInput>` assignable to `StructuredToolSpec` in a list.
   */
  question?(input: I): string;
}

/** The statuses of rules/status-protocol.md. */
export const REPORT_STATUSES = ['DONE', 'DONE_WITH_CONCERNS', 'NEEDS_CONTEXT', 'BLOCKED'] as const;

/** One of REPORT_STATUSES. */
export type ReportStatus = (typeof REPORT_STATUSES)[number];

const nonEmptyList = (what: string) => z.array(z.string().trim().min(1, `${what} must not be empty`));

/*
 * One flat object refined per status rather than a discriminated union: the Messages API
 * rejects a tool input schema whose top level is anyOf/oneOf, and a union would compile to one.
 * The field descriptions tell the model which fields each status needs; superRefine enforces it.
 */
export const reportStatusSchema = z
  .strictObject({
    status: z.enum(REPORT_STATUSES).describe('The outcome of the work, as defined by the status protocol.'),
    summary: z.string().trim().min(1, 'summary must not be empty').describe('What was done, in a few sentences.'),
    concerns: nonEmptyList('a concern')
      .optional()
      .describe('Required (at least one) for DONE_WITH_CONCERNS: each concern with where it is, why it matters, what you suggest.'),
    questions: nonEmptyList('a question')
      .optional()
      .describe('Required (at least one) for NEEDS_CONTEXT: specific questions only the person or an earlier stage can answer.'),
    blocker: z
      .string()
      .trim()
      .min(1, 'blocker must not be empty')
      .optional()
      .describe('Required for BLOCKED: what prevents progress, what you tried, what would unblock it.'),
    changed_files: z.array(z.string().min(1)).optional().describe('Project-relative paths you changed.'),
  })
  .superRefine((value, ctx) => {
    const need = (field: 'concerns' | 'questions', what: string): void => {
      const list = value[field];
      if (list === undefined || list.length === 0) {
        ctx.addIssue({ code: 'custom', path: [field], message: `required for status ${value.status}: give at least one ${what}` });
      }
    };
    if (value.status === 'DONE_WITH_CONCERNS') need('concerns', 'concern');
    if (value.status === 'NEEDS_CONTEXT') need('questions', 'question');
    if (value.status === 'BLOCKED' && value.blocker === undefined) {
      ctx.addIssue({ code: 'custom', path: ['blocker'], message: 'required for status BLOCKED: say what blocks the work' });
    }
  });

/** Validated input of report_status. */
export type ReportStatusInput = z.output<typeof reportStatusSchema>;

export const askUserSchema = z.strictObject({
  question: z.string().trim().min(1, 'question must not be empty').describe('One specific question for the person.'),
});

/** Validated input of ask_user. */
export type AskUserInput = z.output<typeof askUserSchema>;

/** report_status: ends a unit of work with one of the four statuses. */
export const REPORT_STATUS_TOOL: StructuredToolSpec<ReportStatusInput> = {
  name: 'report_status',
  description:
    'Report the outcome of your work and end it. status DONE needs only a summary; DONE_WITH_CONCERNS needs concerns; ' +
    'NEEDS_CONTEXT needs questions; BLOCKED needs blocker. Call it once, when you are finished; never describe the status in prose instead.',
  schema: reportStatusSchema,
  finishing: true,
};

/** ask_user: pauses the run for one answer from the person. */
export const ASK_USER_TOOL: StructuredToolSpec<AskUserInput> = {
  name: 'ask_user',
  description:
    'Ask the person one specific question and wait for the answer, which comes back as this tool call\'s result. ' +
    'Use it only for information you cannot find in the project.',
  schema: askUserSchema,
  finishing: false,
  question: (input) => input.question,
};

/** The structured tools every agent may use; stages append their own finishing tools. */
export const BASE_STRUCTURED_TOOLS: readonly StructuredToolSpec[] = [REPORT_STATUS_TOOL, ASK_USER_TOOL];

/** The JSON Schema of a zod schema as the model sees it (input side, without `$schema`). */
export function toInputJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return json;
}

/** The provider-side description of a structured tool. */
export function toToolSpec(spec: StructuredToolSpec): ToolSpec {
  return { name: spec.name, description: spec.description, inputSchema: toInputJsonSchema(spec.schema) };
}

/** The outcome of validating a structured call: the parsed value, or a message for the model. */
export type StructuredValidation =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string };

/** Validates a structured tool's input; the failure message names each field and asks for a fix. */
export function validateStructuredInput(spec: StructuredToolSpec, input: unknown): StructuredValidation {
  const parsed = spec.schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    message: `Invalid input for ${spec.name}:\n${formatZodIssues(parsed.error)}\nFix the input and call ${spec.name} again.`,
  };
}
