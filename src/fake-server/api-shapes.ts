import { z } from 'zod';

/*
 * The parts of the Messages API request shape the fake server checks. Loose objects: the
 * shape is Anthropic's, with many fields we neither need nor want to reject.
 */

const contentBlockSchema = z.looseObject({ type: z.string() });

const messageSchema = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(contentBlockSchema).min(1)]),
});

const baseBody = {
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  system: z.union([z.string(), z.array(z.looseObject({ type: z.literal('text'), text: z.string() }))]).optional(),
  tools: z.array(z.looseObject({ name: z.string().min(1) })).optional(),
};

/** Body of `POST /v1/messages`. */
export const messagesBodySchema = z.looseObject({
  ...baseBody,
  max_tokens: z.number().int().positive(),
  stream: z.boolean().optional(),
});

/** Body of `POST /v1/messages/count_tokens`. */
export const countTokensBodySchema = z.looseObject(baseBody);

/** A validated messages body. */
export type MessagesBody = z.infer<typeof messagesBodySchema>;

/** The API's error types and their HTTP statuses. */
export const API_ERROR_STATUS = {
  invalid_request_error: 400,
  authentication_error: 401,
  not_found_error: 404,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
} as const;

/** One of the error types the fake server answers with. */
export type ApiErrorType = keyof typeof API_ERROR_STATUS;

/** The JSON body of an API error. */
export function apiErrorBody(type: ApiErrorType, message: string): Record<string, unknown> {
  return { type: 'error', error: { type, message } };
}

/** Renders zod issues like the API does: `messages.0.content: ...`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`).join('; ');
}

/** The API allows at most this many cache_control breakpoints per request. */
export const MAX_CACHE_BREAKPOINTS = 4;

/** Counts cache_control markers on tools, system blocks and message blocks. */
export function countCacheBreakpoints(body: {
  tools?: readonly Record<string, unknown>[] | undefined;
  system?: string | readonly Record<string, unknown>[] | undefined;
  messages: readonly { content: string | readonly Record<string, unknown>[] }[];
}): number {
  const marked = (block: Record<string, unknown>): number =>
    block['cache_control'] !== undefined && block['cache_control'] !== null ? 1 : 0;
  let count = 0;
  for (const tool of body.tools ?? []) count += marked(tool);
  if (Array.isArray(body.system)) for (const block of body.system) count += marked(block);
  for (const message of body.messages) {
    if (typeof message.content !== 'string') for (const block of message.content) count += marked(block);
  }
  return count;
}
