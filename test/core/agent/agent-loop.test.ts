import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { driveAgent, finishedInput, runAgent } from '../../../src/core/agent/agent-loop.js';
import type { AgentEvent, BudgetGuard, RunAgentOptions } from '../../../src/core/agent/agent-types.js';
import { answerQuestion, userMessage } from '../../../src/core/agent/conversation.js';
import { ASK_USER_TOOL, BASE_STRUCTURED_TOOLS, REPORT_STATUS_TOOL, type StructuredToolSpec } from '../../../src/core/agent/structured-tools.js';
import type { ContentBlock, ModelProvider, ModelRequest, ProviderEvent } from '../../../src/core/provider/types.js';
import { defineTool } from '../../../src/core/tools/run-tool.js';
import { okResult } from '../../../src/core/tools/types.js';

/*
 * The loop's own rules, against a scripted ModelProvider (the port, not the SDK): each call
 * plays the next scripted message. The SDK path is covered in test/agent/.
 */

const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 };

function scripted(...turns: ContentBlock[][]): ModelProvider & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  return {
    requests,
    async *stream(request): AsyncIterable<ProviderEvent> {
      requests.push(request);
      const content = turns[requests.length - 1];
      if (content === undefined) throw new Error(`no scripted turn ${requests.length}`);
      const hasTool = content.some((block) => block.type === 'tool_use');
      yield { type: 'message_end', stopReason: hasTool ? 'tool_use' : 'end_turn', usage, content };
    },
  };
}

const call = (id: string, name: string, input: unknown = {}): ContentBlock => ({ type: 'tool_use', id, name, input });

function setup(provider: ModelProvider, overrides: Partial<RunAgentOptions<null>> = {}) {
  const runs: string[] = [];
  const counter = defineTool({
    name: 'count',
    description: 'Counts its runs.',
    schema: z.strictObject({ label: z.string() }),
    execute: async (input) => {
      runs.push(input.label);
      return okResult(`ran ${input.label}`, `count ${input.label}`);
    },
  });
  const budget: BudgetGuard<null> = { beforeCall: () => ({ kind: 'allow', hold: null }), afterCall: vi.fn(), releaseCall: vi.fn() };
  const options: RunAgentOptions<null> = {
    provider,
    agent: { id: 'builder', model: 'm', maxTokens: 100, maxTurns: 5, system: [{ text: 'sys' }] },
    tools: [counter],
    structuredTools: BASE_STRUCTURED_TOOLS,
    messages: [userMessage('go')],
    toolContext: { projectRoot: '/nowhere', approve: async () => 'no' },
    budget,
    ...overrides,
  };
  return { runs, budget, options };
}

async function drive(options: RunAgentOptions<null>) {
  const events: AgentEvent[] = [];
  const outcome = await driveAgent(runAgent(options), (event) => events.push(event));
  return { events, outcome };
}

describe('runAgent rules', () => {
  it('runs calls before a finishing tool, skips the ones after it, and sends nothing more', async () => {
    const provider = scripted([call('a', 'count', { label: 'a' }), call('b', 'report_status', { status: 'DONE', summary: 's' }), call('c', 'count', { label: 'c' })]);
    const { runs, options } = setup(provider);
    const { outcome } = await drive(options);
    expect(runs).toEqual(['a']);
    expect(provider.requests).toHaveLength(1);
    expect(outcome).toMatchObject({ kind: 'finished', tool: 'report_status', toolUseId: 'b', input: { status: 'DONE', summary: 's' } });
    expect(finishedInput(outcome, REPORT_STATUS_TOOL)?.status).toBe('DONE');
    expect(finishedInput(outcome, ASK_USER_TOOL)).toBeUndefined();
    expect(outcome.messages.at(-1)?.content).toEqual([
      { type: 'tool_result', toolUseId: 'a', content: 'ran a', isError: false },
      { type: 'tool_result', toolUseId: 'b', content: 'report_status accepted.', isError: false },
      { type: 'tool_result', toolUseId: 'c', content: expect.stringContaining('Not run: the run ended at report_status'), isError: true },
    ]);
  });

  it('never re-runs an id already answered in the transcript it was given', async () => {
    const provider = scripted([call('a', 'count', { label: 'again' })], [call('z', 'report_status', { status: 'DONE', summary: 's' })]);
    const messages = [userMessage('go'), { role: 'assistant' as const, content: [call('a', 'count', { label: 'first' })] }, {
      role: 'user' as const,
      content: [{ type: 'tool_result' as const, toolUseId: 'a', content: 'ran first', isError: false }],
    }];
    const { runs, options } = setup(provider, { messages });
    const { events } = await drive(options);
    expect(runs).toEqual([]);
    expect(events.find((event) => event.type === 'tool_result')).toMatchObject({ id: 'a', reused: true });
    expect(provider.requests[1]?.messages.at(-1)?.content).toEqual([{ type: 'tool_result', toolUseId: 'a', content: 'ran first', isError: false }]);
    expect(options.messages).toHaveLength(3); // the caller's array is untouched
  });

  it('pauses on ask_user after running earlier calls; the answer lands in call order', async () => {
    const provider = scripted([call('a', 'count', { label: 'a' }), call('q', 'ask_user', { question: 'Which?' })], [call('z', 'report_status', { status: 'DONE', summary: 's' })]);
    const { options } = setup(provider);
    const first = await drive(options);
    expect(first.outcome).toMatchObject({ kind: 'question', question: 'Which?', toolUseId: 'q' });
    if (first.outcome.kind !== 'question') return;
    const second = await drive({ ...options, messages: answerQuestion(first.outcome.messages, 'q', 'This one.') });
    expect(second.outcome.kind).toBe('finished');
    expect(provider.requests[1]?.messages.at(-1)?.content.map((block) => block.type === 'tool_result' && block.content)).toEqual(['ran a', 'This one.']);
  });

  it('hands any finishing stage tool back with its validated (transformed) input', async () => {
    const spec: StructuredToolSpec<{ title: string }> = {
      name: 'write_feature_spec',
      description: 'd',
      schema: z.strictObject({ title: z.string().trim().min(1) }),
      finishing: true,
    };
    const provider = scripted([call('a', 'write_feature_spec', { title: '' })], [call('b', 'write_feature_spec', { title: '  Todo  ' })]);
    const { options } = setup(provider, { structuredTools: [spec] });
    const { outcome } = await drive(options);
    expect(outcome).toMatchObject({ kind: 'finished', tool: 'write_feature_spec', input: { title: 'Todo' } });
  });

  it('leaves no empty assistant message for a reply without content', async () => {
    const { options } = setup(scripted([]));
    const { outcome } = await drive(options);
    expect(outcome).toEqual({ kind: 'reply', text: '', stopReason: 'end_turn', messages: [userMessage('go')] });
  });

  it('refuses to start on duplicate tool names or a bad maxTurns, without a request', async () => {
    const provider = scripted();
    const dup = setup(provider);
    const dupOutcome = await drive({ ...dup.options, structuredTools: [...BASE_STRUCTURED_TOOLS, BASE_STRUCTURED_TOOLS[0]!] });
    expect(dupOutcome.outcome).toMatchObject({ kind: 'failed', error: { kind: 'internal', message: expect.stringContaining('report_status is given twice') } });
    const zero = await drive({ ...dup.options, agent: { ...dup.options.agent, maxTurns: 0 } });
    expect(zero.outcome.kind).toBe('failed');
    expect(provider.requests).toHaveLength(0);
  });

  it('fails the run when recording the cost throws', async () => {
    const { options } = setup(scripted([{ type: 'text', text: 'hi' }]));
    const budget: BudgetGuard<null> = { beforeCall: () => ({ kind: 'allow' }), afterCall: () => Promise.reject(new Error('disk full')) };
    const { events, outcome } = await drive({ ...options, budget });
    expect(outcome).toMatchObject({ kind: 'failed', error: { kind: 'internal', message: "Recording the call's cost failed: disk full" } });
    expect(events.at(-1)).toMatchObject({ type: 'error' });
  });

  it('releases the hold when the consumer closes the run mid-call', async () => {
    const provider: ModelProvider = {
      async *stream() {
        yield { type: 'text_delta', text: 'par' };
        yield { type: 'text_delta', text: 'tial' };
      },
    };
    const { budget, options } = setup(provider);
    const run = runAgent(options);
    expect((await run.next()).value).toEqual({ type: 'turn_start', turn: 1 });
    expect((await run.next()).value).toEqual({ type: 'text_delta', text: 'par' });
    await run.return({ kind: 'aborted', messages: [] });
    expect(budget.releaseCall).toHaveBeenCalledWith({ agent: 'builder', model: 'm', hold: null, reason: 'aborted' });
    expect(budget.afterCall).not.toHaveBeenCalled();
  });

  it('fails when the provider ends without a final message', async () => {
    const { budget, options } = setup({ async *stream() {} });
    const { outcome } = await drive(options);
    expect(outcome).toMatchObject({ kind: 'failed', error: { message: 'The model stream ended without a final message.' } });
    expect(budget.releaseCall).toHaveBeenCalledWith(expect.objectContaining({ reason: 'failed' }));
  });
});

describe('runAgent and its budget port', () => {
  it('records the call before the usage event, so a consumer stopping there loses no bill', async () => {
    const { budget, options } = setup(scripted([{ type: 'text', text: 'hi' }]));
    const run = runAgent(options);
    let step = await run.next();
    while (!step.done && step.value.type !== 'usage') step = await run.next();
    expect(budget.afterCall).toHaveBeenCalledTimes(1);
    await run.return({ kind: 'aborted', messages: [] });
    expect(budget.releaseCall).not.toHaveBeenCalled();
  });

  it('fails the run, without a request, when the budget check throws', async () => {
    const provider = scripted([{ type: 'text', text: 'hi' }]);
    const { options } = setup(provider);
    const budget: BudgetGuard<null> = {
      beforeCall: () => {
        throw new Error('no price for model m');
      },
      afterCall: () => undefined,
    };
    const { outcome } = await drive({ ...options, budget });
    expect(outcome).toMatchObject({ kind: 'failed', error: { kind: 'internal', message: 'The budget check failed: no price for model m' } });
    expect(provider.requests).toHaveLength(0);
  });
});
