import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UserError, errorMessage } from '../core/errors.js';

/*
 * A cassette scripts what the fake Anthropic server answers. Turns are grouped by agent
 * (header `x-codesleuth-agent`; no header, or an agent without turns of its own, uses the
 * 'default' turns); the n-th request of an agent gets that agent's n-th turn. A turn may carry
 * one fault that fires `times` times (default 1) before the turn plays normally; `cut_stream`
 * with `afterEvents` at or past the end breaks just before message_stop.
 */

const textBlockSchema = z
  .object({ type: z.literal('text'), text: z.string().min(1, 'text must not be empty') })
  .strict();

const toolUseBlockSchema = z
  .object({
    type: z.literal('tool_use'),
    id: z.string().regex(/^toolu_\w+$/, 'id must look like "toolu_abc123"').optional(),
    name: z.string().min(1),
    input: z.record(z.string(), z.unknown()),
  })
  .strict();

const blockSchema = z.discriminatedUnion('type', [textBlockSchema, toolUseBlockSchema]);

const timesSchema = z.number().int().positive().optional();

const faultSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('rate_limit'),
      retryAfterSeconds: z.number().nonnegative().optional(),
      times: timesSchema,
    })
    .strict(),
  z.object({ kind: z.literal('overloaded'), times: timesSchema }).strict(),
  z.object({ kind: z.literal('server_error'), times: timesSchema }).strict(),
  z
    .object({
      kind: z.literal('cut_stream'),
      afterEvents: z.number().int().nonnegative(),
      times: timesSchema,
    })
    .strict(),
  // A slow turn still plays (after the delay) on its first request, so `times` has no meaning.
  z.object({ kind: z.literal('slow'), delayMs: z.number().int().nonnegative() }).strict(),
]);

const stopReasonSchema = z.enum(['end_turn', 'tool_use', 'max_tokens', 'stop_sequence', 'refusal', 'pause_turn']);

const turnSchema = z
  .object({
    agent: z.string().min(1).default('default'),
    content: z.array(blockSchema).min(1, 'a turn needs at least one content block'),
    stop_reason: stopReasonSchema.optional(),
    fault: faultSchema.optional(),
  })
  .strict();

const cassetteSchema = z
  .object({
    description: z.string().optional(),
    turns: z.array(turnSchema),
  })
  .strict();

/** A cassette as its author writes it (fields with defaults may be left out). */
export type Cassette = z.input<typeof cassetteSchema>;
/** A validated cassette, defaults filled in. */
export type LoadedCassette = z.output<typeof cassetteSchema>;
/** One scripted answer. */
export type CassetteTurn = LoadedCassette['turns'][number];
/** One scripted content block. */
export type CassetteBlock = CassetteTurn['content'][number];
/** A scripted failure of a turn. */
export type CassetteFault = NonNullable<CassetteTurn['fault']>;

/** Renders a zod path the way a person would point at the JSON: `turns[2].fault.kind`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(top level)' : out;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map((key) => `${formatPath([...issue.path, key])}: unknown field (check the spelling)`)
      .join('\n');
  }
  return `${formatPath(issue.path)}: ${issue.message}`;
}

/** Validates an already-parsed cassette; `source` names it in errors (a file path or '<inline>'). */
export function parseCassette(value: unknown, source: string): LoadedCassette {
  const result = cassetteSchema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => `  ${formatIssue(issue).replace(/\n/g, '\n  ')}`);
  throw new UserError(`Invalid cassette ${source}:\n${details.join('\n')}`, {
    hint: 'Fix the listed fields; see test/fixtures/cassettes/ for a working example.',
    exitCode: 2,
  });
}

/** Reads and validates a cassette file; errors name the file and the field. */
export async function loadCassette(path: string): Promise<LoadedCassette> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`Cannot read cassette ${path}: ${errorMessage(error)}`, {
      hint: 'Pass an existing JSON file with --cassette.',
      exitCode: 2,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new UserError(`Cassette ${path} is not valid JSON: ${errorMessage(error)}`, {
      hint: 'Check for trailing commas and unquoted keys.',
      exitCode: 2,
    });
  }
  return parseCassette(value, path);
}
