import { describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../../src/providers/anthropic/anthropic-provider.js';
import { missingKeyMessage } from '../../../src/providers/anthropic/error-mapping.js';
import { KEY, collect, harness, ofType, request } from './harness.js';

const TOOL_INPUT = { status: 'done', summary: 'A todo app for one person, in the terminal.' };
const toolTurn = (extra: Record<string, unknown> = {}) => ({
  agent: 'discovery',
  content: [{ type: 'tool_use' as const, name: 'report_status', input: TOOL_INPUT }],
  ...extra,
});

describe('anthropic provider: streaming', () => {
  it('streams text as several deltas and ends with the whole message', async () => {
    const text = 'Who will use the todo app, and where do they keep their tasks today?';
    const { provider } = await harness({ turns: [{ agent: 'discovery', content: [{ type: 'text', text }] }] });
    const { events, error } = await collect(provider.stream(request()));
    expect(error).toBeUndefined();
    const deltas = ofType(events, 'text_delta');
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.map((delta) => delta.text).join('')).toBe(text);
    const end = events.at(-1);
    expect(end).toMatchObject({ type: 'message_end', stopReason: 'end_turn', content: [{ type: 'text', text }] });
    expect(end?.type === 'message_end' && end.usage.outputTokens).toBeGreaterThan(0);
  });

  it('assembles a tool call split across input_json_delta chunks and emits it once', async () => {
    const { provider } = await harness({
      turns: [{ agent: 'discovery', content: [{ type: 'text', text: 'Recording.' }, { type: 'tool_use', name: 'report_status', input: TOOL_INPUT }] }],
    });
    const { events } = await collect(provider.stream(request()));
    const tools = ofType(events, 'tool_use');
    expect(tools).toHaveLength(1);
    expect(tools[0]).toMatchObject({ name: 'report_status', input: TOOL_INPUT, id: expect.stringMatching(/^toolu_/) });
    const end = ofType(events, 'message_end')[0];
    expect(end?.stopReason).toBe('tool_use');
    expect(end?.content).toEqual([
      { type: 'text', text: 'Recording.' },
      { type: 'tool_use', id: tools[0]?.id, name: 'report_status', input: TOOL_INPUT },
    ]);
  });
});

describe('anthropic provider: retries', () => {
  it('honours retry-after on 429 and then succeeds', async () => {
    const { provider, sleeps, server } = await harness({ turns: [toolTurn({ fault: { kind: 'rate_limit', retryAfterSeconds: 2 } })] });
    const { events, error } = await collect(provider.stream(request()));
    expect(error).toBeUndefined();
    expect(sleeps).toEqual([2_000]);
    expect(ofType(events, 'retry')).toEqual([
      { type: 'retry', attempt: 2, delayMs: 2_000, reason: expect.stringContaining('rate limit'), discardedText: false },
    ]);
    expect(ofType(events, 'tool_use')).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it('retries 529 overloaded and 500 server errors with exponential back-off', async () => {
    const { provider, sleeps } = await harness({
      turns: [
        { agent: 'planner', fault: { kind: 'overloaded' }, content: [{ type: 'text', text: 'plan' }] },
        { agent: 'planner', fault: { kind: 'server_error', times: 2 }, content: [{ type: 'text', text: 'plan 2' }] },
      ],
    });
    const first = await collect(provider.stream(request({ agent: 'planner' })));
    expect(first.error).toBeUndefined();
    expect(ofType(first.events, 'retry')[0]?.reason).toContain('overloaded');
    const second = await collect(provider.stream(request({ agent: 'planner' })));
    expect(second.error).toBeUndefined();
    expect(ofType(second.events, 'retry').map((retry) => retry.reason)).toEqual([
      expect.stringContaining('internal error (500'),
      expect.stringContaining('internal error (500'),
    ]);
    expect(sleeps).toEqual([100, 100, 200]);
    expect(ofType(second.events, 'message_end')[0]?.content).toEqual([{ type: 'text', text: 'plan 2' }]);
  });

  it('survives a stream cut in the middle of a tool call: the call is emitted exactly once', async () => {
    // Events: message_start, ping, block_start(text), 3 text deltas, block_stop, block_start(tool),
    // '' delta, 2 JSON chunks -> cut in the middle of the tool input.
    const content = [
      { type: 'text' as const, text: 'Saving this for the plan.' },
      { type: 'tool_use' as const, name: 'report_status', input: TOOL_INPUT },
    ];
    const { provider, server } = await harness({ turns: [{ agent: 'discovery', content, fault: { kind: 'cut_stream', afterEvents: 11 } }] });
    const { events, error } = await collect(provider.stream(request()));
    expect(error).toBeUndefined();
    const retry = ofType(events, 'retry');
    expect(retry).toEqual([
      { type: 'retry', attempt: 2, delayMs: 100, reason: expect.stringContaining('broke off'), discardedText: true },
    ]);
    const tools = ofType(events, 'tool_use');
    expect(tools).toHaveLength(1);
    expect(tools[0]?.input).toEqual(TOOL_INPUT);
    // Text after the retry event is the second attempt's, complete.
    const after = events.slice(events.indexOf(retry[0]!) + 1);
    expect(ofType(after, 'text_delta').map((delta) => delta.text).join('')).toBe('Saving this for the plan.');
    expect(server.requests).toHaveLength(2);
  });

  it('treats a stream that ends without message_stop as broken and retries it', async () => {
    const { provider } = await harness({
      turns: [{ agent: 'discovery', content: [{ type: 'text', text: 'short' }], fault: { kind: 'cut_stream', afterEvents: 999 } }],
    });
    const { events, error } = await collect(provider.stream(request()));
    expect(error).toBeUndefined();
    expect(ofType(events, 'retry')).toMatchObject([{ discardedText: true }]);
    expect(ofType(events, 'message_end')).toHaveLength(1);
  });

  it('never duplicates a tool call that completed before the stream broke', async () => {
    const content = [
      { type: 'tool_use' as const, name: 'read_file', input: { path: 'a.ts' } },
      { type: 'tool_use' as const, name: 'read_file', input: { path: 'b.ts' } },
    ];
    // message_start, ping, first tool (start, 3 deltas, stop) = 7 events, then the second tool starts.
    const { provider } = await harness({ turns: [{ agent: 'discovery', content, fault: { kind: 'cut_stream', afterEvents: 9 } }] });
    const { events, error } = await collect(provider.stream(request()));
    expect(error).toBeUndefined();
    expect(ofType(events, 'retry')).toHaveLength(1);
    expect(ofType(events, 'tool_use').map((tool) => tool.input)).toEqual([{ path: 'a.ts' }, { path: 'b.ts' }]);
  });

  it('gives up after maxAttempts with a clear ProviderError', async () => {
    const { provider, server, sleeps } = await harness(
      { turns: [toolTurn({ fault: { kind: 'overloaded', times: 10 } })] },
      { retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 60 } },
    );
    const { events, error } = await collect(provider.stream(request()));
    expect(error?.kind).toBe('overloaded');
    expect(error?.attempts).toBe(3);
    expect(error?.message).toMatch(/failed 3 times; giving up\. Last error: The Anthropic API is overloaded \(529 overloaded_error\)/);
    expect(error?.hint).toContain('wait');
    expect(ofType(events, 'retry')).toHaveLength(2);
    expect(ofType(events, 'message_end')).toHaveLength(0);
    expect(sleeps).toEqual([50, 60]);
    expect(server.requests).toHaveLength(3);
  });

  it('does not sit through a retry-after longer than a minute: it says how long to wait', async () => {
    const { provider, sleeps } = await harness({ turns: [toolTurn({ fault: { kind: 'rate_limit', retryAfterSeconds: 120 } })] });
    const { events, error } = await collect(provider.stream(request()));
    expect(error?.kind).toBe('rate_limit');
    expect(error?.message).toContain('asked to wait 120s');
    expect(error?.retryAfterMs).toBe(120_000);
    expect(events).toEqual([]);
    expect(sleeps).toEqual([]);
  });

  it('surfaces the missing-turn message of the fake server in the final error', async () => {
    const { provider } = await harness({ turns: [] }, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const { error } = await collect(provider.stream(request({ agent: 'verifier' })));
    expect(error?.message).toContain('no turn index 0 for agent "verifier"');
  });

  it('reports a server that cannot be reached as a network error', async () => {
    const { server } = await harness({ turns: [] });
    const url = server.url;
    await server.close();
    const provider = createAnthropicProvider({
      apiKey: KEY,
      baseURL: url,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      sleep: async () => {},
    });
    const { error } = await collect(provider.stream(request()));
    expect(error?.kind).toBe('network');
    expect(error?.message).toContain(`Could not reach the Anthropic API at ${url}`);
  });
});

describe('anthropic provider: abort, auth and secrets', () => {
  it('stops cleanly with kind "aborted" while waiting for a slow answer, without retrying', async () => {
    const { provider, sleeps } = await harness({ turns: [toolTurn({ fault: { kind: 'slow', delayMs: 5_000 } })] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const { events, error } = await collect(provider.stream(request({ signal: controller.signal })));
    expect(error?.kind).toBe('aborted');
    expect(events).toEqual([]);
    expect(sleeps).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stops cleanly when aborted in the middle of a stream', async () => {
    const text = 'A long answer that arrives in many small pieces over the wire.';
    const { provider, sleeps } = await harness({ turns: [{ agent: 'discovery', content: [{ type: 'text', text }] }] });
    const controller = new AbortController();
    const { events, error } = await collect(provider.stream(request({ signal: controller.signal })), (event) => {
      if (event.type === 'text_delta') controller.abort();
    });
    expect(error?.kind).toBe('aborted');
    expect(ofType(events, 'retry')).toHaveLength(0);
    expect(ofType(events, 'message_end')).toHaveLength(0);
    expect(sleeps).toEqual([]);
  });

  it('stops during a back-off wait when aborted', async () => {
    const controller = new AbortController();
    const { provider } = await harness(
      { turns: [toolTurn({ fault: { kind: 'overloaded' } })] },
      {
        // The person presses Esc while the provider waits to retry.
        sleep: (_ms, signal) =>
          new Promise((_resolve, reject) => {
            signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
            controller.abort();
          }),
      },
    );
    const { events, error } = await collect(provider.stream(request({ signal: controller.signal })));
    expect(ofType(events, 'retry')).toHaveLength(1);
    expect(error?.kind).toBe('aborted');
  });

  it('maps a rejected key to kind "auth" without retrying and without echoing the key', async () => {
    const { provider, server } = await harness(
      { turns: [toolTurn()] },
      {
        // Drop the key on the way out so the fake server answers 401 as the real API would.
        fetch: (input, init) => {
          const headers = new Headers(init?.headers);
          headers.delete('x-api-key');
          headers.delete('authorization'); // SDK 1.x sends the key as a Bearer token
          return fetch(input, { ...init, headers });
        },
      },
    );
    const { error } = await collect(provider.stream(request()));
    expect(error?.kind).toBe('auth');
    expect(error?.message).toContain('401 authentication_error');
    expect(error?.hint).toContain('ANTHROPIC_API_KEY');
    expect(server.requests).toHaveLength(1);
    expect(`${error?.message} ${error?.hint} ${String(error)}`).not.toContain(KEY);
  });

  it('never crashes without a key: each call fails with a message naming ANTHROPIC_API_KEY and --demo', async () => {
    const provider = createAnthropicProvider({ apiKey: undefined, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
    const { error } = await collect(provider.stream(request()));
    expect(error?.kind).toBe('auth');
    expect(error?.retryable).toBe(false);
    expect(error?.message).toBe(missingKeyMessage());
    expect(missingKeyMessage()).toContain('ANTHROPIC_API_KEY');
    expect(missingKeyMessage()).toContain('--demo');
    await expect(provider.countTokens(request())).rejects.toMatchObject({ kind: 'auth' });
    expect(createAnthropicProvider({ apiKey: '  ', retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } })).toBeDefined();
  });

  it('keeps the key out of recorded requests and out of every error it raised', async () => {
    const { provider, server } = await harness(
      { turns: [toolTurn({ fault: { kind: 'rate_limit', retryAfterSeconds: 0 } }), toolTurn({ fault: { kind: 'server_error', times: 5 } })] },
      { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } },
    );
    await collect(provider.stream(request()));
    const { error } = await collect(provider.stream(request()));
    expect(error).toBeDefined();
    expect(`${error?.message} ${error?.hint} ${error?.stack}`).not.toContain(KEY);
    expect(JSON.stringify(server.requests)).not.toContain(KEY);
    expect(server.requests.every((recorded) => recorded.headers['x-api-key'] === undefined)).toBe(true);
    expect(server.requests.every((recorded) => recorded.headers['authorization'] === undefined)).toBe(true);
  });
});
