import { z } from 'zod';
import { errorMessage } from '../errors.js';
import { errorResult } from './types.js';
import type { ToolContext, ToolDefinition, ToolResult } from './types.js';

/**
 * The one cap on what the model reads from a single tool call. Tools may cap earlier
 * (the process runner caps bytes, read_file caps lines) but this is the last word.
 */
export const MAX_LLM_CONTENT_CHARS = 30_000;

/** Share of the cap kept from the start; the rest comes from the end (errors and summaries live there). */
const HEAD_SHARE = 0.6;

/**
 * Builds a tool definition, deriving the JSON Schema the model sees from the zod schema
 * so the two can never drift apart.
 */
export function defineTool<I>(spec: {
  name: string;
  description: string;
  schema: z.ZodType<I>;
  execute: (input: I, ctx: ToolContext) => Promise<ToolResult>;
}): ToolDefinition<I> {
  const { $schema: _ignored, ...jsonSchema } = z.toJSONSchema(spec.schema, { io: 'input' }) as Record<
    string,
    unknown
  >;
  return {
    name: spec.name,
    description: spec.description,
    schema: spec.schema,
    jsonSchema,
    execute: spec.execute,
  };
}

/**
 * Runs one tool call and never throws: bad input, an aborted call, and anything the tool
 * throws all come back as an is_error result the model can read. Output is truncated
 * here and only here.
 */
export async function runTool<I>(
  def: ToolDefinition<I>,
  rawInput: unknown,
  ctx: ToolContext,
  options: { maxChars?: number } = {},
): Promise<ToolResult> {
  const maxChars = options.maxChars ?? MAX_LLM_CONTENT_CHARS;
  let result: ToolResult;
  if (ctx.signal?.aborted) {
    result = errorResult(`Tool ${def.name} was cancelled before it started.`, `${def.name}: cancelled`);
  } else {
    const parsed = def.schema.safeParse(rawInput);
    if (!parsed.success) {
      result = errorResult(
        `Invalid input for tool ${def.name}:\n${formatZodIssues(parsed.error)}\nFix the input and call the tool again.`,
        `${def.name}: invalid input`,
      );
    } else {
      try {
        result = await def.execute(parsed.data, ctx);
      } catch (error) {
        result = errorResult(`Tool ${def.name} failed: ${errorMessage(error)}`, `${def.name}: failed`);
      }
    }
  }
  const capped = truncateMiddle(result.llmContent, maxChars);
  return capped === result.llmContent ? result : { ...result, llmContent: capped };
}

/** One line per problem, each naming the field: "- path: Invalid input: expected string, received number". */
export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)';
      return `- ${field}: ${issue.message}`;
    })
    .join('\n');
}

/**
 * Keeps the head and the tail of `text` and says how much was cut from the middle.
 * Returns `text` itself when it fits.
 */
export function truncateMiddle(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.length - maxChars;
  const marker = `\n\n[... ${cut} of ${text.length} characters cut from the middle of this output ...]\n\n`;
  const headLength = Math.floor(maxChars * HEAD_SHARE);
  const tailLength = maxChars - headLength;
  return text.slice(0, headLength) + marker + text.slice(text.length - tailLength);
}
