import { estimateTokens, type InputUsage } from './cache-accounting.js';

/*
 * Builds Messages API replies from scripted content: the JSON body of a non-streaming call and
 * the exact server-sent event sequence of a streaming one (message_start, ping, per block
 * content_block_start / content_block_delta... / content_block_stop, message_delta,
 * message_stop). Text and tool input arrive in several deltas, as from the real API.
 */

/** A content block of a reply, in API shape (ids already assigned). */
export type ReplyBlock =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool_use'; readonly id: string; readonly name: string; readonly input: Record<string, unknown> };

/** Everything needed to render one reply. */
export interface Reply {
  readonly id: string;
  readonly model: string;
  readonly content: readonly ReplyBlock[];
  readonly stopReason: string;
  readonly usage: InputUsage;
}

/** One server-sent event before encoding. */
export interface SseEvent {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

const TEXT_CHUNK = 12;
const JSON_CHUNK = 10;

/** Output tokens the fake bills for a reply: ceil(chars/4) of each block's payload, at least 1. */
export function outputTokens(content: readonly ReplyBlock[]): number {
  let tokens = 0;
  for (const block of content) {
    tokens += estimateTokens(block.type === 'text' ? block.text : block.name + JSON.stringify(block.input));
  }
  return Math.max(1, tokens);
}

function usageObject(reply: Reply, output: number): Record<string, unknown> {
  return {
    input_tokens: reply.usage.input_tokens,
    cache_creation_input_tokens: reply.usage.cache_creation_input_tokens,
    cache_read_input_tokens: reply.usage.cache_read_input_tokens,
    cache_creation: {
      ephemeral_5m_input_tokens: reply.usage.cache_creation_input_tokens,
      ephemeral_1h_input_tokens: 0,
    },
    output_tokens: output,
    service_tier: 'standard',
  };
}

/** The body of a non-streaming `POST /v1/messages` answer. */
export function messageBody(reply: Reply): Record<string, unknown> {
  return {
    id: reply.id,
    type: 'message',
    role: 'assistant',
    model: reply.model,
    content: reply.content,
    stop_reason: reply.stopReason,
    stop_sequence: null,
    usage: usageObject(reply, outputTokens(reply.content)),
  };
}

/** Cuts a string into pieces of at most `size` characters (at least one piece). */
export function chunk(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
  return pieces.length === 0 ? [''] : pieces;
}

function blockEvents(block: ReplyBlock, index: number): SseEvent[] {
  const events: SseEvent[] = [];
  if (block.type === 'text') {
    events.push({
      event: 'content_block_start',
      data: { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
    });
    for (const text of chunk(block.text, TEXT_CHUNK)) {
      events.push({
        event: 'content_block_delta',
        data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text } },
      });
    }
  } else {
    events.push({
      event: 'content_block_start',
      data: {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      },
    });
    // The API opens tool input with an empty partial_json; clients must cope with it.
    for (const partial of ['', ...chunk(JSON.stringify(block.input), JSON_CHUNK)]) {
      events.push({
        event: 'content_block_delta',
        data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: partial } },
      });
    }
  }
  events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  return events;
}

/** The full event sequence of a streaming answer. */
export function streamEvents(reply: Reply): SseEvent[] {
  const output = outputTokens(reply.content);
  const events: SseEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: { ...messageBody(reply), content: [], stop_reason: null, usage: usageObject(reply, 1) },
      },
    },
    { event: 'ping', data: { type: 'ping' } },
  ];
  reply.content.forEach((block, index) => events.push(...blockEvents(block, index)));
  events.push(
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: reply.stopReason, stop_sequence: null },
        usage: {
          input_tokens: reply.usage.input_tokens,
          cache_creation_input_tokens: reply.usage.cache_creation_input_tokens,
          cache_read_input_tokens: reply.usage.cache_read_input_tokens,
          output_tokens: output,
        },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  );
  return events;
}

/** Encodes one event on the wire. */
export function encodeSse(event: SseEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
