import type Anthropic from '@anthropic-ai/sdk';
import type { ChatMessage, ContentBlock, ModelRequest, StopReason } from '../../core/provider/types.js';

/*
 * Translates our ModelRequest into Messages API parameters and places prompt-cache
 * breakpoints. The API builds its cache key over tools, then system, then messages, so:
 *   1. the last tool definition     -> caches the tool list (same for every turn of an agent);
 *   2. the last cacheable system block -> caches agent prompt + long-lived artifacts;
 *   3. the last block of the last user message -> caches the whole conversation so far; the
 *      next turn's request extends it, and the API's look-back finds this entry.
 * That is 3 of the 4 breakpoints the API allows; the spare is left for callers' future use.
 */

const EPHEMERAL: Anthropic.CacheControlEphemeral = { type: 'ephemeral' };

/** Request parameters shared by `messages.create` and `messages.countTokens`. */
export interface ApiPrompt {
  readonly model: string;
  readonly system?: Anthropic.TextBlockParam[];
  readonly tools?: Anthropic.Tool[];
  readonly messages: Anthropic.MessageParam[];
}

function toSystem(request: ModelRequest): Anthropic.TextBlockParam[] | undefined {
  const blocks = request.system.filter((block) => block.text !== '');
  if (blocks.length === 0) return undefined;
  let lastCacheable = -1;
  blocks.forEach((block, index) => {
    if (block.cache === true) lastCacheable = index;
  });
  return blocks.map((block, index) =>
    index === lastCacheable
      ? { type: 'text', text: block.text, cache_control: EPHEMERAL }
      : { type: 'text', text: block.text },
  );
}

function toTools(request: ModelRequest): Anthropic.Tool[] | undefined {
  if (request.tools.length === 0) return undefined;
  const last = request.tools.length - 1;
  return request.tools.map((tool, index) => {
    // The API requires an object schema; our ToolSpec promises one, this makes it explicit.
    const inputSchema: Anthropic.Tool.InputSchema = { ...tool.inputSchema, type: 'object' };
    const base: Anthropic.Tool = { name: tool.name, description: tool.description, input_schema: inputSchema };
    return index === last ? { ...base, cache_control: EPHEMERAL } : base;
  });
}

function toBlock(block: ContentBlock, cache: boolean): Anthropic.ContentBlockParam {
  const cacheControl = cache ? { cache_control: EPHEMERAL } : {};
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text, ...cacheControl };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: block.input, ...cacheControl };
    case 'tool_result':
      return {
        type: 'tool_result',
        tool_use_id: block.toolUseId,
        content: block.content,
        is_error: block.isError,
        ...cacheControl,
      };
  }
}

function toMessages(messages: readonly ChatMessage[]): Anthropic.MessageParam[] {
  let lastUser = -1;
  messages.forEach((message, index) => {
    if (message.role === 'user') lastUser = index;
  });
  return messages.map((message, messageIndex) => {
    // The API rejects empty text blocks; an assistant turn may carry one after a tool-only reply.
    const blocks = message.content.filter((block) => block.type !== 'text' || block.text !== '');
    const cacheAt = messageIndex === lastUser ? blocks.length - 1 : -1;
    const content = blocks.map((block, index) => toBlock(block, index === cacheAt));
    return message.role === 'user' ? { role: 'user', content } : { role: 'assistant', content };
  });
}

/** The prompt part of a request, with cache breakpoints placed. */
export function toApiPrompt(request: ModelRequest): ApiPrompt {
  const system = toSystem(request);
  const tools = toTools(request);
  return {
    model: request.model,
    ...(system === undefined ? {} : { system }),
    ...(tools === undefined ? {} : { tools }),
    messages: toMessages(request.messages),
  };
}

/** Per-request headers that let the fake server (and logs) tell agents apart. */
export function requestHeaders(request: ModelRequest): Record<string, string> {
  return {
    'x-codesleuth-agent': request.agent,
    ...(request.task === undefined ? {} : { 'x-codesleuth-task': request.task }),
  };
}

const KNOWN_STOP_REASONS: ReadonlySet<string> = new Set([
  'end_turn',
  'tool_use',
  'max_tokens',
  'stop_sequence',
  'pause_turn',
  'refusal',
]);

/** Maps the API's stop reason to ours; anything newer becomes 'unknown'. */
export function toStopReason(reason: string | null | undefined): StopReason {
  return reason !== null && reason !== undefined && KNOWN_STOP_REASONS.has(reason) ? (reason as StopReason) : 'unknown';
}
