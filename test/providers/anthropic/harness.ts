import { afterEach } from 'vitest';
import type { ModelRequest, ProviderEvent } from '../../../src/core/provider/types.js';
import { ProviderError } from '../../../src/core/provider/provider-error.js';
import { startFakeServer, type FakeServer } from '../../../src/fake-server/server.js';
import type { Cassette } from '../../../src/fake-server/cassette.js';
import {
  createAnthropicProvider,
  type AnthropicProvider,
  type AnthropicProviderOptions,
} from '../../../src/providers/anthropic/anthropic-provider.js';

/** A key that must never show up in recorded requests or error text. */
export const KEY = 'sk-ant-test-provider-SECRET-9876543210';

/** A provider wired to a fresh fake server, with sleeps recorded instead of waited. */
export interface Harness {
  readonly server: FakeServer;
  readonly provider: AnthropicProvider;
  readonly sleeps: number[];
}

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

export async function harness(cassette: Cassette, overrides: Partial<AnthropicProviderOptions> = {}): Promise<Harness> {
  const server = await startFakeServer({ cassette });
  servers.push(server);
  const sleeps: number[] = [];
  const provider = createAnthropicProvider({
    apiKey: KEY,
    baseURL: server.url,
    retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return { server, provider, sleeps };
}

export function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'claude-sonnet-4-6',
    system: [{ text: 'You are the discovery agent.', cache: true }],
    tools: [],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'I want a todo app.' }] }],
    maxTokens: 1_000,
    agent: 'discovery',
    ...overrides,
  };
}

/** Drains a stream; returns the events seen and the error it ended with, if any. */
export async function collect(
  stream: AsyncIterable<ProviderEvent>,
  onEvent?: (event: ProviderEvent) => void,
): Promise<{ events: ProviderEvent[]; error: ProviderError | undefined }> {
  const events: ProviderEvent[] = [];
  try {
    for await (const event of stream) {
      events.push(event);
      onEvent?.(event);
    }
    return { events, error: undefined };
  } catch (error) {
    if (error instanceof ProviderError) return { events, error };
    throw error;
  }
}

export function ofType<T extends ProviderEvent['type']>(events: readonly ProviderEvent[], type: T) {
  return events.filter((event): event is Extract<ProviderEvent, { type: T }> => event.type === type);
}
