import { describe, expect, it } from 'vitest';
import { answerQuestion, appendUserText } from '../../src/core/agent/conversation.js';
import { agentHarness, lastMessage, ofType, recordingBudget } from './agent-harness.js';

const discovery = { id: 'discovery', model: 'claude-sonnet-4-6', maxTokens: 1_000, maxTurns: 5, system: [{ text: 'You are Discovery.', cache: true }] };

describe('runAgent through the real SDK provider and the fake server', () => {
  it('streams text as it arrives and ends a prose-only turn as a reply', async () => {
    const h = await agentHarness('agent-reply.json');
    const { events, outcome } = await h.run({ agent: discovery });
    const deltas = ofType(events, 'text_delta');
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.map((delta) => delta.text).join('')).toBe('Before I dig in: who will use this tool, and on which platforms?');
    expect(events.map((event) => event.type).filter((type) => type !== 'text_delta')).toEqual(['turn_start', 'usage', 'turn_end']);
    expect(events.indexOf(deltas[0]!)).toBeGreaterThan(0);
    expect(outcome).toMatchObject({ kind: 'reply', stopReason: 'end_turn', text: 'Before I dig in: who will use this tool, and on which platforms?' });
    expect(outcome.messages.at(-1)).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'Before I dig in: who will use this tool, and on which platforms?' }],
    });

    // The person's next line continues the same conversation.
    const next = await h.run({ agent: discovery, messages: appendUserText(outcome.messages, 'Developers, on macOS and Linux.') });
    expect(next.outcome).toMatchObject({ kind: 'finished', tool: 'report_status', input: { status: 'DONE' } });
    const sent = h.messageBodies()[1]?.['messages'] as unknown[];
    expect(sent).toHaveLength(3);
    expect(lastMessage(h.messageBodies()[1]).content[0]).toMatchObject({ type: 'text', text: 'Developers, on macOS and Linux.' });
  });

  it('runs write_file, edit_file and read_file for real, then finishes on report_status without another request', async () => {
    const h = await agentHarness('agent-tool-loop.json');
    const budget = recordingBudget();
    const { events, outcome } = await h.run({ budget });

    expect(await h.read('src/greet.ts')).toBe('export const greet = (name: string) => `Hello there, ${name}`;\n');
    expect(outcome.kind).toBe('finished');
    if (outcome.kind !== 'finished') return;
    expect(outcome.tool).toBe('report_status');
    expect(outcome.input).toEqual({ status: 'DONE', summary: 'Added src/greet.ts with greet().', changed_files: ['src/greet.ts'] });
    expect(h.server.requests).toHaveLength(4);
    expect(h.server.remainingTurns()).toEqual({ builder: 0 });

    expect(ofType(events, 'tool_call').map((call) => call.name)).toEqual(['write_file', 'edit_file', 'read_file', 'report_status']);
    const results = ofType(events, 'tool_result');
    expect(results.map((result) => [result.name, result.isError, result.reused])).toEqual([
      ['write_file', false, false],
      ['edit_file', false, false],
      ['read_file', false, false],
      ['report_status', false, false],
    ]);
    expect(results[0]?.changedFiles).toEqual(['src/greet.ts']);
    expect(ofType(events, 'turn_start').map((event) => event.turn)).toEqual([1, 2, 3, 4]);
    expect(ofType(events, 'turn_end').map((event) => event.stopReason)).toEqual(['tool_use', 'tool_use', 'tool_use', 'tool_use']);

    // The read_file result went back to the model with the edited content.
    const toolResult = lastMessage(h.messageBodies()[3]).content[0];
    expect(toolResult).toMatchObject({ type: 'tool_result', is_error: false });
    expect(String(toolResult?.['content'])).toContain('Hello there, ');

    // Transcript: the input, then per turn the assistant message as received and one user message of results.
    expect(outcome.messages.map((message) => message.role)).toEqual(['user', ...Array<string[]>(4).fill(['assistant', 'user']).flat()]);
    expect(outcome.messages[1]?.content[0]).toEqual({ type: 'text', text: 'I will create the greeting module first.' });
    // Each request extends the previous one: the prefix the prompt cache keys on stays the same.
    const bodies = h.messageBodies();
    for (let i = 1; i < bodies.length; i++) {
      const before = bodies[i - 1]?.['messages'] as unknown[];
      const after = bodies[i]?.['messages'] as unknown[];
      expect(stripCache(after.slice(0, before.length))).toEqual(stripCache(before));
    }

    // Budget: asked before each call with a high estimate, told after each call.
    expect(budget.estimates).toHaveLength(4);
    expect(budget.records.map((record) => record.hold)).toEqual([1, 2, 3, 4]);
    for (const [i, record] of budget.records.entries()) {
      const billed = record.usage.inputTokens + record.usage.cacheReadTokens + record.usage.cacheWriteTokens;
      expect(budget.estimates[i]!.projectedInputTokens).toBeGreaterThanOrEqual(billed);
      expect(budget.estimates[i]!.maxOutputTokens).toBe(2_000);
      expect(record).toMatchObject({ agent: 'builder', task: 'T1', model: 'claude-sonnet-4-6', stopReason: 'tool_use' });
    }
    expect(ofType(events, 'usage')).toHaveLength(4);
  });

  it('answers an invalid report_status with an is_error naming the field; the model corrects it', async () => {
    const h = await agentHarness('agent-invalid-status.json');
    const { events, outcome } = await h.run();
    const results = ofType(events, 'tool_result');
    expect(results.map((result) => result.isError)).toEqual([true, false]);
    const sent = lastMessage(h.messageBodies()[1]).content[0];
    expect(sent).toMatchObject({ type: 'tool_result', is_error: true });
    expect(String(sent?.['content'])).toContain('- concerns: required for status DONE_WITH_CONCERNS');
    expect(outcome).toMatchObject({
      kind: 'finished',
      input: { status: 'DONE_WITH_CONCERNS', concerns: [expect.stringContaining('src/greet.ts:1')] },
    });
  });

  it('answers an unknown tool with an is_error listing the tools it has', async () => {
    const h = await agentHarness({
      turns: [
        { agent: 'builder', content: [{ type: 'tool_use', name: 'delete_everything', input: {} }] },
        { agent: 'builder', content: [{ type: 'tool_use', name: 'report_status', input: { status: 'BLOCKED', summary: 's', blocker: 'no such tool' } }] },
      ],
    });
    const { outcome } = await h.run();
    const sent = lastMessage(h.messageBodies()[1]).content[0];
    expect(sent).toMatchObject({ type: 'tool_result', is_error: true });
    expect(String(sent?.['content'])).toBe(
      'Unknown tool "delete_everything". The tools you can call are: read_file, write_file, edit_file, list_files, glob, grep, bash, report_status, ask_user.',
    );
    expect(outcome).toMatchObject({ kind: 'finished', input: { status: 'BLOCKED', blocker: 'no such tool' } });
  });

  it('pauses on ask_user with a question, and continues once the answer is fed back', async () => {
    const h = await agentHarness('agent-ask-user.json');
    const first = await h.run({ agent: discovery });
    expect(first.outcome).toMatchObject({ kind: 'question', tool: 'ask_user', question: 'Which platforms must the CLI support?' });
    if (first.outcome.kind !== 'question') return;
    expect(h.server.requests).toHaveLength(1);
    // Running again without the answer is refused before any request.
    const early = await h.run({ agent: discovery, messages: first.outcome.messages });
    expect(early.outcome).toMatchObject({ kind: 'failed', error: { kind: 'transcript' } });
    expect(h.server.requests).toHaveLength(1);

    const messages = answerQuestion(first.outcome.messages, first.outcome.toolUseId, 'macOS and Linux.');
    const second = await h.run({ agent: discovery, messages });
    expect(second.outcome).toMatchObject({ kind: 'finished', input: { summary: 'A CLI for macOS and Linux.' } });
    expect(lastMessage(h.messageBodies()[1]).content[0]).toMatchObject({
      type: 'tool_result',
      tool_use_id: first.outcome.toolUseId,
      content: 'macOS and Linux.',
      is_error: false,
    });
  });

  it('stops at maxTurns without sending the request after the last turn', async () => {
    const turn = { agent: 'builder', content: [{ type: 'tool_use' as const, name: 'list_files', input: {} }] };
    const h = await agentHarness({ turns: [turn, turn, turn, turn] });
    const { events, outcome } = await h.run({ agent: { ...h.options().agent, maxTurns: 2 } });
    expect(outcome).toMatchObject({ kind: 'max_turns', turns: 2 });
    expect(h.server.requests).toHaveLength(2);
    expect(ofType(events, 'tool_result')).toHaveLength(2);
    // The transcript is whole (every call has its result), so the session can continue it.
    expect(outcome.messages.at(-1)?.role).toBe('user');
    const more = await h.run({ agent: { ...h.options().agent, maxTurns: 1 }, messages: outcome.messages });
    expect(more.outcome.kind).toBe('max_turns');
    expect(h.server.requests).toHaveLength(3);
  });
});

/** Request messages without cache_control markers (the breakpoint moves to the newest message). */
function stripCache(messages: unknown[]): unknown {
  return JSON.parse(JSON.stringify(messages, (key, value: unknown) => (key === 'cache_control' ? undefined : value)));
}
