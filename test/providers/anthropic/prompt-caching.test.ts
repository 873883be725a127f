import { describe, expect, it } from 'vitest';
import type { ChatMessage, ModelRequest, ToolSpec } from '../../../src/core/provider/types.js';
import { collect, harness, ofType, request } from './harness.js';

const tools: ToolSpec[] = [
  { name: 'read_file', description: 'Read a file.', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } },
  { name: 'report_status', description: 'Report progress.', inputSchema: { properties: { status: { type: 'string' } } } },
];
const system = [
  { text: 'You are the Discovery agent. Ask one question at a time. '.repeat(30), cache: true },
  { text: 'ARTIFACT: IDEA.md\nA todo app for the terminal.', cache: true },
  { text: 'Now: 2025-01-01 10:00. Budget left: $3.20.' }, // volatile, after the breakpoint
];
const reply = (text: string) => ({ agent: 'discovery', content: [{ type: 'text' as const, text }] });

function discovery(messages: ChatMessage[], extra: Partial<ModelRequest> = {}): ModelRequest {
  return request({ tools, system, messages, agent: 'discovery', task: 'T-001', ...extra });
}

type Block = Record<string, unknown>;
type Body = { tools: Block[]; system: Block[]; messages: { role: string; content: Block[] }[] };

describe('anthropic provider: request shape and prompt caching', () => {
  it('sends the agent and task headers and places three cache breakpoints on the stable prefix', async () => {
    const { provider, server } = await harness({ turns: [reply('ok')] });
    const messages: ChatMessage[] = [
      { role: 'user', content: [{ type: 'text', text: 'I want a todo app.' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'IDEA.md' } }] },
      { role: 'user', content: [{ type: 'tool_result', toolUseId: 'toolu_1', content: 'idea text', isError: false }, { type: 'text', text: 'go on' }] },
    ];
    await collect(provider.stream(discovery(messages)));
    const [recorded] = server.requests;
    expect(recorded?.headers['x-codesleuth-agent']).toBe('discovery');
    expect(recorded?.headers['x-codesleuth-task']).toBe('T-001');
    const body = recorded?.body as Body;
    const marked = (blocks: Block[]) => blocks.map((block) => block['cache_control'] !== undefined);
    expect(marked(body.tools)).toEqual([false, true]);
    expect(marked(body.system)).toEqual([false, true, false]);
    expect(body.messages.map((message) => marked(message.content))).toEqual([[false], [false], [false, true]]);
    expect(body.tools[1]).toMatchObject({ cache_control: { type: 'ephemeral' }, input_schema: { type: 'object' } });
    expect(body.messages[2]?.content[0]).toEqual({ type: 'tool_result', tool_use_id: 'toolu_1', content: 'idea text', is_error: false });
  });

  it('writes the cache on the first call and reads it on a second call with the same prefix', async () => {
    const { provider } = await harness({ turns: [reply('one'), reply('two')] });
    const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'I want a todo app.' }] }];
    const first = ofType((await collect(provider.stream(discovery(messages)))).events, 'message_end')[0];
    const second = ofType((await collect(provider.stream(discovery(messages)))).events, 'message_end')[0];
    expect(first?.usage.cacheWriteTokens).toBeGreaterThan(0);
    expect(first?.usage.cacheReadTokens).toBe(0);
    expect(second?.usage.cacheReadTokens).toBeGreaterThan(0);
    expect(second?.usage.cacheReadTokens).toBe(first?.usage.cacheWriteTokens);
    expect(second?.usage.cacheWriteTokens).toBe(0);
  });

  it('lets the next turn of the same conversation read the whole previous prompt from cache', async () => {
    const { provider } = await harness({ turns: [reply('Who is it for?'), reply('Thanks.')] });
    const turn1: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'I want a todo app.' }] }];
    const end1 = ofType((await collect(provider.stream(discovery(turn1)))).events, 'message_end')[0];
    const turn2: ChatMessage[] = [
      ...turn1,
      { role: 'assistant', content: end1?.content ?? [] },
      { role: 'user', content: [{ type: 'text', text: 'Just me, on Linux.' }] },
    ];
    const end2 = ofType((await collect(provider.stream(discovery(turn2)))).events, 'message_end')[0];
    expect(end2?.usage.cacheReadTokens).toBe(end1?.usage.cacheWriteTokens);
    expect(end2?.usage.cacheWriteTokens).toBeGreaterThan(0); // the new assistant + user blocks
    expect(end2?.usage.cacheWriteTokens).toBeLessThan(end2?.usage.cacheReadTokens ?? 0);
  });

  it('a changed volatile system block after the breakpoint does not break the cache', async () => {
    const { provider } = await harness({ turns: [reply('a'), reply('b')] });
    const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }];
    await collect(provider.stream(discovery(messages)));
    const later = [...system.slice(0, 2), { text: 'Now: 2025-01-01 10:05. Budget left: $3.10.' }];
    const end = ofType((await collect(provider.stream(discovery(messages, { system: later })))).events, 'message_end')[0];
    // Tools + the two cached system blocks are read; only the volatile block and the message are new.
    expect(end?.usage.cacheReadTokens).toBeGreaterThan(end?.usage.cacheWriteTokens ?? Infinity);
  });

  it('counts tokens through the API and labels the call with the agent', async () => {
    const { provider, server } = await harness({ turns: [] });
    const count = await provider.countTokens(discovery([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]));
    expect(count).toBeGreaterThan(100);
    expect(server.requests[0]?.path).toBe('/v1/messages/count_tokens');
    expect(server.requests[0]?.headers['x-codesleuth-agent']).toBe('discovery');
  });
});
