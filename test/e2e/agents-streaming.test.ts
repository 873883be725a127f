// Talking to the Discovery agent in the REPL (a pseudo-terminal) against the fake Anthropic
// server: the kick-off question appears, a reply reaches the agent and its answer appears, and
// the requests are what a real API would want (agent header, system prompt, cacheable prefix).
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newProjectLines } from '../helpers/fixtures.js';
import { cleanup, INSTALL_DIR, makeHome, runHeadless, spawnCli } from '../helpers/pty-cli.js';
import {
  agentBody,
  bodyOf,
  closeFakeModels,
  createProjectInRepl,
  invalidCalls,
  messageCalls,
  modelEnv,
  startFakeModel,
  systemText,
  writeSettings,
  type MessagesBody,
} from '../helpers/fake-model.js';

afterEach(async () => {
  await cleanup();
  await closeFakeModels();
});

const BRIEF = 'A recipe box for our household';
const KICKOFF_REPLY = 'A recipe box for home cooks, then. Who cooks from it, and do they share recipes with each other?';
const SECOND_REPLY = 'Noted: one household, shared recipes. Should a recipe scale its quantities by the number of servings?';

/** The message list without cache_control marks: what the conversation says, not how it is cached. */
function withoutCacheMarks(messages: MessagesBody['messages']): unknown {
  return JSON.parse(JSON.stringify(messages), (key, value: unknown) => (key === 'cache_control' ? undefined : value));
}

function cacheMarks(value: unknown): number {
  return (JSON.stringify(value).match(/"cache_control":\{"type":"ephemeral"/g) ?? []).length;
}

describe('the Discovery agent in the REPL', () => {
  it('shows the kick-off question, takes a reply and shows the answer; the requests keep a cacheable prefix', async () => {
    const server = await startFakeModel('streaming');
    const h = makeHome({ setupComplete: true });
    writeSettings(h.home);
    const dir = h.projectDir('recipes');
    const cli = spawnCli({ home: h.home, env: modelEnv(server) });

    await createProjectInRepl(cli, dir, BRIEF);
    await cli.waitFor('agent 1 (Discovery) is starting.');
    await cli.waitFor(KICKOFF_REPLY);
    await cli.type('Me and my partner; we share every recipe.');
    await cli.waitFor('› Me and my partner; we share every recipe.');
    await cli.waitFor(SECOND_REPLY);
    // The REPL is idle again and answers commands.
    await cli.type('!status');
    await cli.waitFor(/Agent: agent 1 \(Discovery\) — idle/);

    const calls = messageCalls(server);
    expect(calls).toHaveLength(2);
    expect(invalidCalls(server)).toEqual([]);
    expect(server.requests.every((r) => r.headers['x-codesleuth-agent'] === 'discovery')).toBe(true);
    const [first, second] = calls.map(bodyOf) as [MessagesBody, MessagesBody];

    // The system prompt is the Discovery agent file's body plus the run's context.
    const system = systemText(first);
    expect(system).toContain(agentBody(path.join(INSTALL_DIR, 'agents', '01-discovery.md')));
    expect(system).toContain(`Project directory: ${dir}`);
    // The brief travels in the kick-off message, the first of every request's conversation.
    expect(JSON.stringify(first.messages[0])).toContain(`The person describes it as: ${BRIEF}`);

    // The second request repeats the first (system and tools byte for byte, messages but for
    // where the cache mark sits) and adds the agent's answer and the person's reply: a prefix
    // the prompt cache can reuse.
    expect(second.system).toEqual(first.system);
    expect(second.tools).toEqual(first.tools);
    expect(withoutCacheMarks(second.messages.slice(0, first.messages.length))).toEqual(withoutCacheMarks(first.messages));
    expect(second.messages.slice(first.messages.length)).toMatchObject([
      { role: 'assistant', content: [{ type: 'text', text: KICKOFF_REPLY }] },
      { role: 'user', content: [{ type: 'text', text: 'Me and my partner; we share every recipe.' }] },
    ]);
    // Cache breakpoints: on the stable system block and on the newest message, within the API's 4.
    for (const body of [first, second]) {
      expect(Array.isArray(body.system) && body.system[0]?.cache_control).toEqual({ type: 'ephemeral' });
      expect(cacheMarks(body.messages.at(-1))).toBe(1);
      expect(cacheMarks(body)).toBeLessThanOrEqual(4);
    }
  });

  // Regression: the platform routing used not to reach the model.
  it("gives the agent the chosen platform's toolchain, as its agent file promises", async () => {
    const server = await startFakeModel('streaming');
    const h = makeHome({ setupComplete: true });
    writeSettings(h.home);
    const run = await runHeadless({ home: h.home, env: modelEnv(server), script: newProjectLines(h.projectDir('toolchain')) });
    expect(run.stdout).toContain('Next.js / React / Node.js'); // what the person was shown
    expect(run.stdout).toContain(KICKOFF_REPLY);
    const first = bodyOf(messageCalls(server)[0]!);
    expect(`${systemText(first)}\n${JSON.stringify(first.messages)}`).toContain('Next.js / React / Node.js');
  });
});
