import { describe, expect, it } from 'vitest';
import { PromptCache, estimateTokens, promptParts } from '../../src/fake-server/cache-accounting.js';

const CC = { type: 'ephemeral' };
const tools = [{ name: 'read', description: 'read a file', input_schema: { type: 'object' }, cache_control: CC }];
const system = [{ type: 'text', text: 'You are the discovery agent. '.repeat(20), cache_control: CC }];

function body(messages: { role: string; content: Record<string, unknown>[] }[]) {
  return { tools, system, messages };
}

describe('prompt cache accounting', () => {
  it('estimates tokens as ceil(chars / 4)', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcde')).toBe(2);
  });

  it('writes the prefix on first sight and reads it on the second', () => {
    const cache = new PromptCache();
    const parts = promptParts(body([{ role: 'user', content: [{ type: 'text', text: 'hello', cache_control: CC }] }]));
    const total = parts.reduce((sum, part) => sum + part.tokens, 0);
    const first = cache.account('m', parts);
    expect(first).toEqual({ input_tokens: 0, cache_creation_input_tokens: total, cache_read_input_tokens: 0 });
    const second = cache.account('m', parts);
    expect(second).toEqual({ input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: total });
  });

  it('counts tokens after the last breakpoint as plain input, and caches per model', () => {
    const cache = new PromptCache();
    const parts = promptParts(body([{ role: 'user', content: [{ type: 'text', text: 'volatile question' }] }]));
    const first = cache.account('m', parts);
    expect(first.input_tokens).toBe(parts.at(-1)?.tokens);
    expect(cache.account('other-model', parts).cache_read_input_tokens).toBe(0);
  });

  it('finds an earlier breakpoint by look-back so a growing conversation reads its history', () => {
    const cache = new PromptCache();
    const turn1 = promptParts(body([{ role: 'user', content: [{ type: 'text', text: 'first', cache_control: CC }] }]));
    const wrote = cache.account('m', turn1).cache_creation_input_tokens;
    const turn2 = promptParts(
      body([
        { role: 'user', content: [{ type: 'text', text: 'first' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'answer' }] },
        { role: 'user', content: [{ type: 'text', text: 'second', cache_control: CC }] },
      ]),
    );
    const usage = cache.account('m', turn2);
    expect(usage.cache_read_input_tokens).toBe(wrote);
    expect(usage.cache_creation_input_tokens).toBe((turn2[3]?.tokens ?? 0) + (turn2[4]?.tokens ?? 0));
  });

  it('misses when the prefix changes (a different system prompt)', () => {
    const cache = new PromptCache();
    const message = [{ role: 'user', content: [{ type: 'text', text: 'q', cache_control: CC }] }];
    cache.account('m', promptParts(body(message)));
    const changed = promptParts({ tools, system: [{ type: 'text', text: 'Another agent.', cache_control: CC }], messages: message });
    const usage = cache.account('m', changed);
    // Only the tool definitions (before the system prompt) are still a hit.
    expect(usage.cache_read_input_tokens).toBe(changed[0]?.tokens);
  });
});
