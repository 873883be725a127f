import { createHash } from 'node:crypto';

/*
 * Emulates the Messages API's prompt-cache accounting closely enough for tests to see the
 * effect of where the client puts `cache_control`:
 *   - the prompt is a sequence of parts in API order: tools, then system, then message blocks;
 *   - a part with `cache_control` is a breakpoint; a request writes the prefix ending at each
 *     breakpoint into the cache;
 *   - a request reads the longest previously written prefix that ends at one of its block
 *     boundaries, looking back at most LOOKBACK_BLOCKS before each of its breakpoints (the API
 *     does the same, which is why one breakpoint on the last message caches a growing chat);
 *   - cached prefixes are per model; tokens are estimated as ceil(chars / 4) per part.
 * Not emulated: the minimum cacheable length, TTLs, and cache_control's own `ttl`.
 */

/** How far before a breakpoint the API looks for an earlier cache entry. */
export const LOOKBACK_BLOCKS = 20;

/** One block of the prompt, serialized without its cache_control marker. */
export interface PromptPart {
  readonly text: string;
  readonly tokens: number;
  readonly breakpoint: boolean;
}

/** Input-side usage as the API reports it. */
export interface InputUsage {
  readonly input_tokens: number;
  readonly cache_creation_input_tokens: number;
  readonly cache_read_input_tokens: number;
}

/** The rough token estimate the fake server uses everywhere. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toPart(label: string, block: unknown): PromptPart {
  let breakpoint = false;
  let payload: unknown = block;
  if (isRecord(block) && 'cache_control' in block) {
    const { cache_control: marker, ...rest } = block;
    breakpoint = marker !== null && marker !== undefined;
    payload = rest;
  }
  const text = `${label}:${JSON.stringify(payload)}`;
  return { text, tokens: estimateTokens(text), breakpoint };
}

/** Splits a (validated) request body into prompt parts in the order the API processes them. */
export function promptParts(body: {
  tools?: readonly unknown[] | undefined;
  system?: string | readonly unknown[] | undefined;
  messages: readonly { role: string; content: string | readonly unknown[] }[];
}): PromptPart[] {
  const parts: PromptPart[] = [];
  for (const tool of body.tools ?? []) parts.push(toPart('tool', tool));
  if (typeof body.system === 'string') parts.push(toPart('system', { type: 'text', text: body.system }));
  else for (const block of body.system ?? []) parts.push(toPart('system', block));
  for (const message of body.messages) {
    const blocks = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    for (const block of blocks) parts.push(toPart(message.role, block));
  }
  return parts;
}

/** Remembers which prompt prefixes have been written, per server (i.e. per test). */
export class PromptCache {
  private readonly written = new Set<string>();

  /** Computes usage for one request and records the prefixes it writes. */
  account(model: string, parts: readonly PromptPart[]): InputUsage {
    const hashes = prefixHashes(model, parts);
    const breakpoints = parts.flatMap((part, index) => (part.breakpoint ? [index] : []));
    const total = sumTokens(parts, 0, parts.length);
    const lastBreakpoint = breakpoints.at(-1);
    if (lastBreakpoint === undefined) {
      return { input_tokens: total, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    }
    let readEnd = -1;
    for (const breakpoint of breakpoints) {
      const from = Math.max(0, breakpoint - LOOKBACK_BLOCKS);
      for (let index = breakpoint; index >= from && index > readEnd; index--) {
        if (this.written.has(hashes[index] ?? '')) {
          readEnd = index;
          break;
        }
      }
    }
    for (const breakpoint of breakpoints) this.written.add(hashes[breakpoint] ?? '');
    const read = sumTokens(parts, 0, readEnd + 1);
    const created = sumTokens(parts, readEnd + 1, lastBreakpoint + 1);
    return {
      input_tokens: total - read - created,
      cache_creation_input_tokens: created,
      cache_read_input_tokens: read,
    };
  }
}

function prefixHashes(model: string, parts: readonly PromptPart[]): string[] {
  const hashes: string[] = [];
  let previous = createHash('sha256').update(`model:${model}`).digest('hex');
  for (const part of parts) {
    previous = createHash('sha256').update(previous).update(part.text).digest('hex');
    hashes.push(previous);
  }
  return hashes;
}

function sumTokens(parts: readonly PromptPart[], from: number, to: number): number {
  let sum = 0;
  for (let index = from; index < to; index++) sum += parts[index]?.tokens ?? 0;
  return sum;
}
