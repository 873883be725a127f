import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { Cassette } from '../../src/fake-server/cassette.js';
import { startFakeServer, type FakeServer } from '../../src/fake-server/server.js';

/*
 * Lanes: `agent@TASK-NNN` turns serve the conversations whose first message names that task
 * (the Builder's "Implement TASK-002: ..." and the task reviewer's "Review TASK-002: ..."), so
 * parallel tasks each get their own script. The release tests rely on the rest: the stage
 * agents (the Critic scoring the product, Security, the Verifier, Maintenance) are served from
 * their plain turns even when lanes of the same agent exist.
 */

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const say = (agent: string, text: string) => ({ agent, content: [{ type: 'text' as const, text }] });

async function ask(cassette: Cassette) {
  server = await startFakeServer({ cassette });
  const client = new Anthropic({ apiKey: 'sk-ant-test-lanes', baseURL: server.url, maxRetries: 0, logLevel: 'off' });
  return async (agent: string, ...messages: string[]): Promise<string> => {
    const turns = messages.map((content, i) => ({ role: i % 2 === 0 ? ('user' as const) : ('assistant' as const), content }));
    const reply = await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 50, messages: turns }, { headers: { 'x-codesleuth-agent': agent } });
    const first = reply.content[0];
    return first?.type === 'text' ? first.text : '';
  };
}

describe('fake server lanes', () => {
  it('serve each task its own turns, whatever order the tasks ask in', async () => {
    const reply = await ask({ turns: [say('builder@TASK-001', 'one'), say('builder@TASK-002', 'two')] });
    expect(await reply('builder', 'Implement TASK-002: HTTP API\n\nIt builds on TASK-001.')).toBe('two');
    expect(await reply('builder', 'Implement TASK-001: Store')).toBe('one');
  });

  it('give a task review its lane and the stage Critic its plain turns', async () => {
    const reply = await ask({ turns: [say('critic@TASK-001', 'review'), say('critic', 'scores')] });
    expect(await reply('critic', 'Project "till" (web), in /w/till.\nThe build is complete. Review the product against the spec and score it.')).toBe('scores');
    expect(await reply('critic', 'Review TASK-001: Order totals — stage 1 of 2, spec compliance.')).toBe('review');
    expect(server!.remainingTurns()).toEqual({ 'critic@TASK-001': 0, critic: 0 });
  });

  it('follow the first message only, and fall back to the plain turns when the named lane is not scripted', async () => {
    const reply = await ask({ turns: [say('critic@TASK-001', 'review'), say('critic', 'first'), say('critic', 'second'), say('maintenance', 'fix')] });
    expect(await reply('critic', 'Score the product.')).toBe('first');
    // A later message naming a task does not move the conversation into that task's lane.
    expect(await reply('critic', 'Score the product.', 'Scored.', 'Look at TASK-001 again.')).toBe('second');
    // Maintenance has no lanes: a request that names a task is still its own.
    expect(await reply('maintenance', 'The person asks for this bug fix: TASK-001 totals are NaN')).toBe('fix');
    expect(server!.remainingTurns()).toEqual({ 'critic@TASK-001': 1, critic: 0, maintenance: 0 });
  });
});
