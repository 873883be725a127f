import { describe, expect, it } from 'vitest';
import {
  answerQuestion,
  appendUserText,
  resultsById,
  transcriptProblem,
  userMessage,
} from '../../../src/core/agent/conversation.js';
import type { ChatMessage } from '../../../src/core/provider/types.js';

const use = (id: string, name = 'read_file') => ({ type: 'tool_use' as const, id, name, input: {} });
const result = (id: string, content = 'ok') => ({ type: 'tool_result' as const, toolUseId: id, content, isError: false });

describe('conversation helpers', () => {
  it('appendUserText adds a user message after an assistant one and joins a trailing user one', () => {
    const afterReply: ChatMessage[] = [userMessage('hi'), { role: 'assistant', content: [{ type: 'text', text: 'Who?' }] }];
    expect(appendUserText(afterReply, 'Me.').at(-1)).toEqual(userMessage('Me.'));
    const afterTools: ChatMessage[] = [userMessage('hi'), { role: 'assistant', content: [use('a')] }, { role: 'user', content: [result('a')] }];
    const joined = appendUserText(afterTools, 'Now fix the test.');
    expect(joined).toHaveLength(3);
    expect(joined.at(-1)?.content).toEqual([result('a'), { type: 'text', text: 'Now fix the test.' }]);
    expect(afterTools[2]?.content).toHaveLength(1); // input untouched
  });

  it('answerQuestion adds the answer as a new user message when the question was the only call', () => {
    const paused: ChatMessage[] = [userMessage('go'), { role: 'assistant', content: [use('q', 'ask_user')] }];
    expect(answerQuestion(paused, 'q', 'Linux.').at(-1)).toEqual({ role: 'user', content: [result('q', 'Linux.')] });
  });

  it('answerQuestion puts the answer among the other results in call order', () => {
    const paused: ChatMessage[] = [
      userMessage('go'),
      { role: 'assistant', content: [use('a'), use('q', 'ask_user'), use('c')] },
      { role: 'user', content: [result('a'), result('c', 'not run')] },
    ];
    const answered = answerQuestion(paused, 'q', 'Yes.');
    expect(answered).toHaveLength(3);
    expect(answered.at(-1)?.content).toEqual([result('a'), result('q', 'Yes.'), result('c', 'not run')]);
    expect(transcriptProblem(answered)).toBeUndefined();
  });

  it('answerQuestion throws on an unknown or already answered call', () => {
    const paused: ChatMessage[] = [userMessage('go'), { role: 'assistant', content: [use('q', 'ask_user')] }];
    expect(() => answerQuestion(paused, 'nope', 'x')).toThrow('no tool call nope');
    const answered = answerQuestion(paused, 'q', 'x');
    expect(() => answerQuestion(answered, 'q', 'y')).toThrow('already answered');
  });

  it.each([
    [[], 'empty'],
    [[userMessage('a'), { role: 'assistant', content: [{ type: 'text', text: 'b' }] }], 'must end with a user message'],
    [[userMessage('a'), { role: 'assistant', content: [use('q', 'ask_user')] }, userMessage('c')], 'ask_user (q) has no result'],
  ] as [ChatMessage[], string][])('transcriptProblem explains what is wrong (%#)', (messages, expected) => {
    expect(transcriptProblem(messages)).toContain(expected);
  });

  it('resultsById indexes every result in the transcript', () => {
    const messages: ChatMessage[] = [userMessage('a'), { role: 'assistant', content: [use('x')] }, { role: 'user', content: [result('x', 'X')] }];
    expect(resultsById(messages).get('x')?.content).toBe('X');
  });
});
