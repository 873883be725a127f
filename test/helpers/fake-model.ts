// The model side of the agent end-to-end tests: the project's own fake Anthropic server,
// started in the test process with a cassette from test/fixtures/cassettes/e2e-*.json, and the
// environment that points the built CLI at it. Call closeFakeModels() from afterEach.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeServer, type Cassette, type FakeServer, type RecordedRequest } from '../../src/fake-server/index.js';
import type { PtyCli } from './pty-cli.js';

const CASSETTES = fileURLToPath(new URL('../fixtures/cassettes/', import.meta.url));

/** A distinctive fake key: any file that contains it leaked a secret. */
export const FAKE_KEY = 'sk-ant-test-DO-NOT-LEAK-123';

const servers = new Set<FakeServer>();

/** Starts the fake server on loopback with test/fixtures/cassettes/e2e-<name>.json. */
export async function startFakeModel(name: string): Promise<FakeServer> {
  const server = await startFakeServer({ cassette: path.join(CASSETTES, `e2e-${name}.json`) });
  servers.add(server);
  return server;
}

/** Starts the fake server with a cassette built in code (see test/helpers/build-fixture.ts). */
export async function startFakeModelWith(cassette: Cassette): Promise<FakeServer> {
  const server = await startFakeServer({ cassette });
  servers.add(server);
  return server;
}

/** Stops every fake server started since the last call. */
export async function closeFakeModels(): Promise<void> {
  await Promise.all([...servers].map((s) => s.close()));
  servers.clear();
}

/**
 * The CLI's environment for talking to `server`. CODESLEUTH_MODEL is blanked so a developer's
 * shell cannot change the model (and so the price) under the test.
 */
export function modelEnv(server: Pick<FakeServer, 'url'>, key: string = FAKE_KEY): Record<string, string> {
  return { ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: server.url, CODESLEUTH_MODEL: '' };
}

/** No key at all (an empty value counts as unset), even if the developer's shell has one. */
export function noKeyEnv(baseUrl: string): Record<string, string> {
  return { ANTHROPIC_API_KEY: '', ANTHROPIC_BASE_URL: baseUrl, CODESLEUTH_MODEL: '' };
}

/** Retries that take milliseconds, not seconds (a server's retry-after is still honoured). */
export const FAST_RETRY = { max_attempts: 5, base_delay_ms: 10, max_delay_ms: 50 } as const;

/** Writes <home>/config/settings.json (fast retries unless `retry` is given). */
export function writeSettings(home: string, settings: Record<string, unknown> = {}): void {
  const file = path.join(home, 'config', 'settings.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ retry: FAST_RETRY, ...settings }, null, 2)}\n`);
}

/** The Messages API calls the server received (count_tokens and others left out). */
export function messageCalls(server: Pick<FakeServer, 'requests'>, agent?: string): RecordedRequest[] {
  return server.requests.filter((r) => r.path === '/v1/messages' && (agent === undefined || r.agent === agent));
}

/** What the tests read from a recorded Messages API body. */
export interface MessagesBody {
  readonly model: string;
  readonly system?: string | Array<{ type: string; text: string; cache_control?: unknown }>;
  readonly messages: Array<{ role: string; content: string | Array<Record<string, unknown>> }>;
  readonly tools?: Array<{ name: string; cache_control?: unknown }>;
}

export function bodyOf(request: RecordedRequest): MessagesBody {
  return request.body as MessagesBody;
}

/** The system prompt of a request as one string. */
export function systemText(body: MessagesBody): string {
  if (body.system === undefined) return '';
  return typeof body.system === 'string' ? body.system : body.system.map((b) => b.text).join('\n');
}

/** The body of an agent file without its frontmatter. */
export function agentBody(file: string): string {
  const text = readFileSync(file, 'utf8');
  const end = text.indexOf('\n---', 3);
  return text.slice(end + 4).trim();
}

/** Every regular file below `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

/** Answers the three welcome questions in the REPL; the Discovery agent starts after the last. */
export async function createProjectInRepl(cli: PtyCli, dir: string, brief = 'A to-do list for a small team'): Promise<void> {
  await cli.type('Start agent 0');
  await cli.waitFor('1/3 What does the project do?');
  await cli.type(brief);
  await cli.waitFor('2/3 Which platform');
  await cli.type('web');
  await cli.waitFor('3/3 Which directory');
  await cli.type(dir);
  await cli.waitFor('Initialise one now? (yes/no)');
  await cli.type('yes');
  await cli.waitFor(/Project \S+ created/);
}

/**
 * What the real Messages API rejects in a conversation and the fake server lets through: roles
 * that do not alternate (starting with the user), a tool_use not answered by a tool_result in
 * the very next (user) message, a tool_result for no tool_use of the message before it.
 * Returns one line per problem; empty when the request would be accepted.
 */
export function conversationProblems(body: MessagesBody): string[] {
  const problems: string[] = [];
  const blocks = (m: MessagesBody['messages'][number]) => (typeof m.content === 'string' ? [] : m.content);
  body.messages.forEach((message, i) => {
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (message.role !== expected) problems.push(`messages.${i}: role ${message.role}, expected ${expected}`);
    if (message.role === 'assistant') {
      const next = body.messages[i + 1];
      const answered = new Set(next ? blocks(next).filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id) : []);
      for (const use of blocks(message).filter((b) => b.type === 'tool_use')) {
        // The last assistant message is the one being continued: nothing follows it yet.
        if (next !== undefined && !answered.has(use.id)) problems.push(`messages.${i}: tool_use ${String(use.id)} has no tool_result in messages.${i + 1}`);
      }
    } else {
      const previous = body.messages[i - 1];
      const asked = new Set(previous ? blocks(previous).filter((b) => b.type === 'tool_use').map((b) => b.id) : []);
      for (const result of blocks(message).filter((b) => b.type === 'tool_result')) {
        if (!asked.has(result.tool_use_id)) problems.push(`messages.${i}: tool_result for ${String(result.tool_use_id)}, which messages.${i - 1} did not call`);
      }
    }
  });
  return problems;
}

/** conversationProblems of every Messages API call the server recorded, keyed by call. */
export function invalidCalls(server: Pick<FakeServer, 'requests'>): string[] {
  return messageCalls(server).flatMap((call, n) => conversationProblems(bodyOf(call)).map((p) => `call ${n + 1} (${call.agent}): ${p}`));
}
