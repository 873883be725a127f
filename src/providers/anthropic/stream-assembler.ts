import type Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlock,
  MessageEndEvent,
  ProviderEvent,
  ToolUseEvent,
} from '../../core/provider/types.js';
import { toStopReason } from './request-mapping.js';

/*
 * Folds the raw server-sent events of ONE attempt into our events. Text deltas pass through
 * at once (they can be retracted by a `retry` event); tool calls are buffered until the
 * message is complete, so a broken attempt never leaks a half or duplicate tool call.
 */

type OpenBlock =
  | { readonly kind: 'text'; text: string }
  | { readonly kind: 'tool_use'; readonly id: string; readonly name: string; json: string }
  | { readonly kind: 'ignored' };

/** The assembled blocks that make up the final message, in API order. */
type DoneBlock = ContentBlock;

/** Thrown when the stream's data cannot be assembled (e.g. tool input that is not JSON). */
export class MalformedStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedStreamError';
  }
}

/** Assembles one streaming attempt. Create a fresh one per attempt. */
export class StreamAssembler {
  private readonly open = new Map<number, OpenBlock>();
  private readonly done = new Map<number, DoneBlock>();
  private readonly pendingTools: ToolUseEvent[] = [];
  private stopReason: string | null = null;
  private inputTokens = 0;
  private outputTokens = 0;
  private cacheReadTokens = 0;
  private cacheWriteTokens = 0;
  private stopped = false;
  /** True once any text delta was handed out (so a retry must tell the UI to clear it). */
  textEmitted = false;

  /** True when `message_stop` arrived: the message is whole. */
  get complete(): boolean {
    return this.stopped;
  }

  /** Consumes one raw event; returns the events to emit now (tool calls wait for the end). */
  accept(event: Anthropic.RawMessageStreamEvent): ProviderEvent[] {
    switch (event.type) {
      case 'message_start':
        this.readUsage(event.message.usage);
        return [];
      case 'content_block_start':
        return this.start(event);
      case 'content_block_delta':
        return this.delta(event);
      case 'content_block_stop':
        this.stop(event.index);
        return [];
      case 'message_delta':
        this.stopReason = event.delta.stop_reason ?? this.stopReason;
        this.readUsage(event.usage);
        return [];
      case 'message_stop':
        this.stopped = true;
        return [...this.pendingTools];
      default:
        return [];
    }
  }

  /** The final event; only valid once `complete` is true. */
  end(): MessageEndEvent {
    const content = [...this.done.entries()].sort(([a], [b]) => a - b).map(([, block]) => block);
    return {
      type: 'message_end',
      stopReason: toStopReason(this.stopReason),
      usage: {
        inputTokens: this.inputTokens,
        outputTokens: this.outputTokens,
        cacheReadTokens: this.cacheReadTokens,
        cacheWriteTokens: this.cacheWriteTokens,
      },
      content,
    };
  }

  private start(event: Anthropic.RawContentBlockStartEvent): ProviderEvent[] {
    const block = event.content_block;
    if (block.type === 'text') {
      this.open.set(event.index, { kind: 'text', text: block.text });
      return this.textEvent(block.text);
    }
    if (block.type === 'tool_use') {
      this.open.set(event.index, { kind: 'tool_use', id: block.id, name: block.name, json: '' });
      return [];
    }
    // Thinking and server-tool blocks are not used by CodeSleuth; skip them rather than fail.
    this.open.set(event.index, { kind: 'ignored' });
    return [];
  }

  private delta(event: Anthropic.RawContentBlockDeltaEvent): ProviderEvent[] {
    const block = this.open.get(event.index);
    if (block === undefined) throw new MalformedStreamError(`delta for unknown content block ${event.index}`);
    if (event.delta.type === 'text_delta' && block.kind === 'text') {
      block.text += event.delta.text;
      return this.textEvent(event.delta.text);
    }
    if (event.delta.type === 'input_json_delta' && block.kind === 'tool_use') {
      block.json += event.delta.partial_json;
    }
    return [];
  }

  private stop(index: number): void {
    const block = this.open.get(index);
    this.open.delete(index);
    if (block === undefined || block.kind === 'ignored') return;
    if (block.kind === 'text') {
      if (block.text !== '') this.done.set(index, { type: 'text', text: block.text });
      return;
    }
    let input: unknown;
    try {
      input = block.json.trim() === '' ? {} : JSON.parse(block.json);
    } catch {
      throw new MalformedStreamError(`the input of tool call "${block.name}" was not valid JSON`);
    }
    this.done.set(index, { type: 'tool_use', id: block.id, name: block.name, input });
    this.pendingTools.push({ type: 'tool_use', id: block.id, name: block.name, input });
  }

  private textEvent(text: string): ProviderEvent[] {
    if (text === '') return [];
    this.textEmitted = true;
    return [{ type: 'text_delta', text }];
  }

  /** message_start carries input usage; message_delta carries cumulative totals (nulls = unchanged). */
  private readUsage(usage: {
    input_tokens?: number | null;
    output_tokens?: number | null;
    cache_read_input_tokens?: number | null;
    cache_creation_input_tokens?: number | null;
  }): void {
    this.inputTokens = usage.input_tokens ?? this.inputTokens;
    this.outputTokens = usage.output_tokens ?? this.outputTokens;
    this.cacheReadTokens = usage.cache_read_input_tokens ?? this.cacheReadTokens;
    this.cacheWriteTokens = usage.cache_creation_input_tokens ?? this.cacheWriteTokens;
  }
}
