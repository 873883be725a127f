import { describe, expect, it } from 'vitest';
import { userMessage } from '../../../src/core/agent/conversation.js';
import { RequestSizeEstimate } from '../../../src/core/agent/request-size.js';
import type { ChatMessage } from '../../../src/core/provider/types.js';

const use = (id: string) => ({ type: 'tool_use' as const, id, name: 'read_file', input: {} });
const result = (id: string, content: string) => ({ type: 'tool_result' as const, toolUseId: id, content, isError: false });

describe('RequestSizeEstimate', () => {
  it('counts incrementally what a full serialization counts, at three characters per token', () => {
    const system = [{ text: 'You are the Builder.', cache: true }];
    const tools = [{ name: 'read_file', description: 'Read a file.', inputSchema: { type: 'object' } }];
    const estimate = new RequestSizeEstimate(system, tools);
    const messages: ChatMessage[] = [userMessage('Build it.')];
    const full = (list: ChatMessage[]) => Math.ceil((JSON.stringify(system) + JSON.stringify(tools) + JSON.stringify(list)).length / 3);
    // The running sum counts the array brackets as one comma per message: within 1 token of a full count.
    expect(Math.abs(estimate.tokensFor(messages) - full(messages))).toBeLessThanOrEqual(1);
    messages.push({ role: 'assistant', content: [use('a')] }, { role: 'user', content: [result('a', 'x'.repeat(3_000))] });
    expect(Math.abs(estimate.tokensFor(messages) - full(messages))).toBeLessThanOrEqual(1);
    expect(estimate.tokensFor(messages)).toBeGreaterThan(1_000);
    expect(() => estimate.tokensFor([])).toThrow('shrank');
  });
});
