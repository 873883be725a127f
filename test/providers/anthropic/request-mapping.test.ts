import { describe, expect, it } from 'vitest';
import { requestHeaders, toApiPrompt, toStopReason } from '../../../src/providers/anthropic/request-mapping.js';
import { request } from './harness.js';

describe('request mapping', () => {
  it('omits empty tools and system, and marks nothing in the system without cacheable blocks', () => {
    const prompt = toApiPrompt(request({ system: [{ text: 'volatile' }, { text: '' }], tools: [] }));
    expect(prompt.tools).toBeUndefined();
    expect(prompt.system).toEqual([{ type: 'text', text: 'volatile' }]);
    expect(toApiPrompt(request({ system: [] })).system).toBeUndefined();
  });

  it('drops empty text blocks (the API rejects them) and marks the last user message only', () => {
    const prompt = toApiPrompt(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'a' }] },
          { role: 'assistant', content: [{ type: 'text', text: '' }, { type: 'tool_use', id: 'toolu_x', name: 't', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', toolUseId: 'toolu_x', content: 'failed', isError: true }] },
        ],
      }),
    );
    expect(prompt.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'a' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_x', name: 't', input: {} }] },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'failed', is_error: true, cache_control: { type: 'ephemeral' } }],
      },
    ]);
  });

  it('sends the task header only when there is a task', () => {
    expect(requestHeaders(request({ agent: 'critic' }))).toEqual({ 'x-codesleuth-agent': 'critic' });
    expect(requestHeaders(request({ agent: 'critic', task: 'T2' }))).toEqual({ 'x-codesleuth-agent': 'critic', 'x-codesleuth-task': 'T2' });
  });

  it.each([
    ['end_turn', 'end_turn'],
    ['tool_use', 'tool_use'],
    ['max_tokens', 'max_tokens'],
    ['model_context_window_exceeded', 'unknown'],
    [null, 'unknown'],
  ] as const)('maps stop reason %s to %s', (reason, expected) => {
    expect(toStopReason(reason)).toBe(expected);
  });
});
