import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, vi } from 'vitest';
import type { Mock } from 'vitest';
import { driveAgent, runAgent } from '../../src/core/agent/agent-loop.js';
import type {
  AgentEvent,
  AgentOutcome,
  BudgetDecision,
  BudgetGuard,
  CallEstimate,
  CallRecord,
  CallRelease,
  RunAgentOptions,
} from '../../src/core/agent/agent-types.js';
import { BASE_STRUCTURED_TOOLS } from '../../src/core/agent/structured-tools.js';
import type { ChatMessage } from '../../src/core/provider/types.js';
import type { ApprovalDecision, ApprovalRequest, ToolDefinition } from '../../src/core/tools/types.js';
import type { Cassette } from '../../src/fake-server/cassette.js';
import { startFakeServer, type FakeServer, type RecordedRequest } from '../../src/fake-server/server.js';
import { createAnthropicProvider, type AnthropicProvider } from '../../src/providers/anthropic/anthropic-provider.js';
import { createProjectTools } from '../../src/tools/project-tools.js';

/*
 * The agent loop against the real SDK provider and the real local fake server, in a real
 * temporary git repository. Retries are fast: the provider's sleep only records the delay.
 */

export const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'cassettes');

/** A budget guard that records every call and can refuse from a given call on. */
export interface RecordingBudget extends BudgetGuard<number> {
  readonly estimates: CallEstimate[];
  readonly records: CallRecord<number>[];
  readonly releases: CallRelease<number>[];
  /** Refuse the n-th call (1-based) and every later one. */
  refuseFrom: number;
}

export function recordingBudget(refuseFrom = Number.POSITIVE_INFINITY): RecordingBudget {
  const budget: RecordingBudget = {
    estimates: [],
    records: [],
    releases: [],
    refuseFrom,
    beforeCall(call): BudgetDecision<number> {
      budget.estimates.push(call);
      if (budget.estimates.length >= budget.refuseFrom) {
        return { kind: 'refuse', message: `Budget: call ${budget.estimates.length} would pass the cap.` };
      }
      return { kind: 'allow', hold: budget.estimates.length };
    },
    afterCall(call) {
      budget.records.push(call);
    },
    releaseCall(call) {
      budget.releases.push(call);
    },
  };
  return budget;
}

export interface AgentHarness {
  readonly server: FakeServer;
  readonly provider: AnthropicProvider;
  /** Delays the provider would have slept before retries. */
  readonly sleeps: number[];
  /** The temporary git repository the tools work in. */
  readonly root: string;
  readonly tools: ToolDefinition[];
  readonly approve: Mock<(request: ApprovalRequest) => Promise<ApprovalDecision>>;
  /** Options for runAgent with sensible defaults; override any field. */
  options(overrides?: Partial<RunAgentOptions<number>>): RunAgentOptions<number>;
  /** Runs to the outcome, collecting every event. */
  run(overrides?: Partial<RunAgentOptions<number>>): Promise<{ events: AgentEvent[]; outcome: AgentOutcome }>;
  read(relative: string): Promise<string>;
  /** Bodies of the POST /v1/messages requests the server received, in order. */
  messageBodies(): Record<string, unknown>[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A fake server playing `cassette` (an object or a file name in test/fixtures/cassettes). */
export async function agentHarness(cassette: Cassette | string): Promise<AgentHarness> {
  const server = await startFakeServer({
    cassette: typeof cassette === 'string' ? path.join(FIXTURES, cassette) : cassette,
  });
  const base = await realpath(await mkdtemp(path.join(tmpdir(), 'codesleuth-agent-')));
  cleanups.push(async () => {
    await server.close();
    await rm(base, { recursive: true, force: true });
  });
  execFileSync('git', ['init', '-q', base], { env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
  const sleeps: number[] = [];
  const provider = createAnthropicProvider({
    apiKey: 'sk-ant-test-agent-loop-0000',
    baseURL: server.url,
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  const approve = vi.fn(async (_request: ApprovalRequest): Promise<ApprovalDecision> => 'yes');
  const tools = createProjectTools();
  const options = (overrides: Partial<RunAgentOptions<number>> = {}): RunAgentOptions<number> => ({
    provider,
    agent: {
      id: 'builder',
      model: 'claude-sonnet-4-6',
      maxTokens: 2_000,
      maxTurns: 10,
      system: [{ text: 'You are the Builder. End with report_status.', cache: true }],
    },
    task: 'T1',
    tools,
    structuredTools: BASE_STRUCTURED_TOOLS,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Build the greeting module.' }] }] as ChatMessage[],
    toolContext: { projectRoot: base, approve },
    budget: recordingBudget(),
    ...overrides,
  });
  return {
    server,
    provider,
    sleeps,
    root: base,
    tools,
    approve,
    options,
    async run(overrides) {
      const events: AgentEvent[] = [];
      const outcome = await driveAgent(runAgent(options(overrides)), (event) => events.push(event));
      return { events, outcome };
    },
    read: (relative) => readFile(path.join(base, relative), 'utf8'),
    messageBodies: () => messagePosts(server.requests).map((request) => request.body as Record<string, unknown>),
  };
}

export function messagePosts(requests: readonly RecordedRequest[]): RecordedRequest[] {
  return requests.filter((request) => request.path === '/v1/messages');
}

export function ofType<T extends AgentEvent['type']>(events: readonly AgentEvent[], type: T) {
  return events.filter((event): event is Extract<AgentEvent, { type: T }> => event.type === type);
}

/** The last message of a request body, as the API received it. */
export function lastMessage(body: Record<string, unknown> | undefined): { role: string; content: Record<string, unknown>[] } {
  const messages = body?.['messages'] as { role: string; content: Record<string, unknown>[] }[] | undefined;
  const last = messages?.at(-1);
  if (last === undefined) throw new Error('request has no messages');
  return last;
}
