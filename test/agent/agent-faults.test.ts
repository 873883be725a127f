import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { driveAgent, runAgent } from '../../src/core/agent/agent-loop.js';
import type { AgentEvent } from '../../src/core/agent/agent-types.js';
import { createAnthropicProvider } from '../../src/providers/anthropic/anthropic-provider.js';
import { agentHarness, lastMessage, ofType, recordingBudget } from './agent-harness.js';

describe('runAgent: faults never apply a tool twice', () => {
  it('survives a 429 with retry-after, a 529 and a stream cut inside a tool call; each call runs once', async () => {
    const h = await agentHarness('agent-faults.json');
    const { events, outcome } = await h.run();
    expect(outcome).toMatchObject({ kind: 'finished', input: { status: 'DONE' } });
    // The append-only marker shows one application per call.
    expect(await h.read('marker.log')).toBe('after-429\nafter-529\nafter-cut\n');
    expect(h.sleeps).toEqual([2_000, 5, 5]);
    expect(ofType(events, 'retry').map((retry) => [retry.attempt, retry.reason])).toEqual([
      [2, expect.stringContaining('rate limit')],
      [2, expect.stringContaining('overloaded')],
      [2, expect.stringContaining('broke off')],
    ]);
    expect(ofType(events, 'tool_call').map((call) => call.name)).toEqual(['bash', 'bash', 'bash', 'report_status']);
    expect(ofType(events, 'usage')).toHaveLength(4);
    expect(h.server.requests).toHaveLength(7);
  });

  it('reuses the stored result of a tool_use id it already ran instead of running it again', async () => {
    const h = await agentHarness('agent-repeated-id.json');
    const { events, outcome } = await h.run();
    expect(outcome.kind).toBe('finished');
    expect(await h.read('marker.log')).toBe('once\n');
    const results = ofType(events, 'tool_result');
    expect(results.map((result) => [result.id, result.reused])).toEqual([
      ['toolu_repeat01', false],
      ['toolu_repeat01', true],
      ['toolu_repeat02', false],
      ['toolu_repeat02', true],
      [expect.stringMatching(/^toolu_/), false],
    ]);
    // All results of a message go back in one user message; a reused one carries the stored content.
    const sent = lastMessage(h.messageBodies()[2]).content;
    expect(sent.map((block) => block['tool_use_id'])).toEqual(['toolu_repeat01', 'toolu_repeat02', 'toolu_repeat02']);
    const first = lastMessage(h.messageBodies()[1]).content[0];
    expect(sent[0]?.['content']).toBe(first?.['content']);
  });
});

describe('runAgent: budget, abort and failure', () => {
  it('sends no request when the budget refuses the first call', async () => {
    const h = await agentHarness('agent-tool-loop.json');
    const budget = recordingBudget(1);
    const start = h.options().messages;
    const { events, outcome } = await h.run({ budget });
    expect(outcome).toEqual({ kind: 'budget_refused', message: 'Budget: call 1 would pass the cap.', messages: start });
    expect(h.server.requests).toHaveLength(0);
    expect(events).toEqual([]);
    expect(budget.records).toEqual([]);
  });

  it('stops before the call the budget refuses, after applying the earlier turn', async () => {
    const h = await agentHarness('agent-tool-loop.json');
    const budget = recordingBudget(2);
    const { outcome } = await h.run({ budget });
    expect(outcome.kind).toBe('budget_refused');
    expect(h.server.requests).toHaveLength(1);
    expect(existsSync(path.join(h.root, 'src/greet.ts'))).toBe(true);
    expect(budget.records).toHaveLength(1);
    expect(outcome.messages.at(-1)).toMatchObject({ role: 'user', content: [{ type: 'tool_result', isError: false }] });
  });

  it('aborts mid-stream: no message is appended and the budget hold is released', async () => {
    const text = 'A long answer that streams in many small pieces so that it can be cut off part way through.';
    const h = await agentHarness({ turns: [{ agent: 'builder', content: [{ type: 'text', text }] }] });
    const controller = new AbortController();
    const budget = recordingBudget();
    const events: AgentEvent[] = [];
    const start = h.options().messages;
    const outcome = await driveAgent(runAgent(h.options({ budget, signal: controller.signal })), (event) => {
      events.push(event);
      if (event.type === 'text_delta') controller.abort();
    });
    expect(outcome).toEqual({ kind: 'aborted', messages: start });
    expect(ofType(events, 'text_delta').map((delta) => delta.text).join('').length).toBeLessThan(text.length);
    expect(ofType(events, 'usage')).toEqual([]);
    expect(budget.releases).toEqual([{ agent: 'builder', model: 'claude-sonnet-4-6', hold: 1, reason: 'aborted' }]);
  });

  it('aborts between tool calls: later calls do not run and the transcript stays whole', async () => {
    const h = await agentHarness({
      turns: [
        {
          agent: 'builder',
          content: [
            // An unknown command, so the policy asks the person; the person cancels the run there.
            { type: 'tool_use', name: 'bash', input: { command: 'make release' } },
            { type: 'tool_use', name: 'write_file', input: { path: 'later.txt', content: 'no\n' } },
          ],
        },
      ],
    });
    const controller = new AbortController();
    h.approve.mockImplementation(async () => {
      controller.abort();
      return 'no';
    });
    const { events, outcome } = await h.run({ signal: controller.signal });
    expect(outcome.kind).toBe('aborted');
    expect(h.approve).toHaveBeenCalledTimes(1);
    expect(existsSync(path.join(h.root, 'later.txt'))).toBe(false);
    expect(h.server.requests).toHaveLength(1);
    expect(ofType(events, 'tool_result').at(-1)).toMatchObject({ name: 'write_file', isError: true, display: 'write_file: not run' });
    expect(outcome.messages.at(-1)?.content).toHaveLength(2);
  });

  it('turns a provider failure into an error event and a failed outcome, releasing the hold', async () => {
    // A 500 on every attempt: retried, then given up.
    const h = await agentHarness({ turns: [{ fault: { kind: 'server_error', times: 10 }, content: [{ type: 'text', text: 'never served' }] }] });
    const budget = recordingBudget();
    const { events, outcome } = await h.run({ budget });
    expect(outcome).toMatchObject({ kind: 'failed', error: { kind: 'server', message: expect.stringContaining('giving up') } });
    expect(ofType(events, 'error')).toEqual([{ type: 'error', message: expect.stringContaining('giving up'), hint: expect.any(String) }]);
    expect(ofType(events, 'retry')).toHaveLength(3);
    expect(budget.releases).toMatchObject([{ reason: 'failed' }]);
  });

  it('reports a missing API key with its hint', async () => {
    const h = await agentHarness({ turns: [] });
    const provider = createAnthropicProvider({ apiKey: undefined, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
    const { events, outcome } = await h.run({ provider });
    expect(outcome).toMatchObject({ kind: 'failed', error: { kind: 'auth' } });
    expect(ofType(events, 'error')[0]?.hint).toContain('ANTHROPIC_API_KEY');
    expect(h.server.requests).toHaveLength(0);
  });
});
