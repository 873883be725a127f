// The agent's questions (ask_user) end to end: the person sees the question, their next line is
// the answer the model gets back as the tool's result, and a pending question does not trap
// the person.
import { afterEach, describe, expect, it } from 'vitest';
import { newProjectLines } from '../helpers/fixtures.js';
import { cleanup, makeHome, runHeadless, spawnCli } from '../helpers/pty-cli.js';
import {
  bodyOf,
  closeFakeModels,
  conversationProblems,
  createProjectInRepl,
  invalidCalls,
  messageCalls,
  modelEnv,
  startFakeModel,
  writeSettings,
} from '../helpers/fake-model.js';

afterEach(async () => {
  await cleanup();
  await closeFakeModels();
});

const QUESTION = 'Which devices must the app run on?';
const AFTER_ANSWER = 'Phones it is. Who adds the entries, and who only reads them?';

describe('a question from the agent', () => {
  it('is shown, waits for the person, and their line goes back to the model as the answer', async () => {
    const server = await startFakeModel('question');
    const h = makeHome({ setupComplete: true });
    writeSettings(h.home);
    const cli = spawnCli({ home: h.home, env: modelEnv(server) });

    await createProjectInRepl(cli, h.projectDir('asked'));
    await cli.waitFor('Before anything else, one fact I need.');
    await cli.waitFor('⚙ ask_user');
    await cli.waitFor(QUESTION); // the tool call as the transcript shows it
    await cli.waitFor(QUESTION); // the question put to the person
    await cli.waitFor('Discovery) — waiting for you'); // the status bar
    await cli.type('Phones only, Android and iPhone.');
    await cli.waitFor(AFTER_ANSWER);

    const calls = messageCalls(server);
    expect(calls).toHaveLength(2);
    expect(invalidCalls(server)).toEqual([]);
    expect(bodyOf(calls[1]!).messages.at(-1)).toMatchObject({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_question01', content: 'Phones only, Android and iPhone.' }],
    });
  });

  // Regression: Ctrl+C used not to drop a pending question (agent-driver.ts cancel()).
  it('Ctrl+C drops a pending question, as the refusal message says, so the pipeline can move', async () => {
    const server = await startFakeModel('question');
    const h = makeHome({ setupComplete: true });
    writeSettings(h.home);
    const cli = spawnCli({ home: h.home, env: modelEnv(server) });

    await createProjectInRepl(cli, h.projectDir('stuck'));
    await cli.waitFor('Discovery) — waiting for you');
    await cli.type('!pause');
    await cli.waitFor('The agent is waiting for your answer — answer it, or press Ctrl+C to cancel its turn, before moving the pipeline.');
    cli.write('\x03');
    await cli.waitFor('Ctrl+C again to'); // the status bar's notice (it may wrap before "exit")
    await cli.type('!pause');
    expect(await cli.waitFor(/Paused in Discovery|The agent is waiting for your answer/)).toContain('Paused in Discovery');
  });

  // Regression: a question pending when the REPL closed used to block the stage for good.
  it("after quitting with a question pending, the next session takes the person's line as the answer", async () => {
    const server = await startFakeModel('question');
    const h = makeHome({ setupComplete: true });
    writeSettings(h.home);
    const first = await runHeadless({ home: h.home, env: modelEnv(server), script: [...newProjectLines(h.projectDir('later')), '!quit'] });
    expect(first.stdout.split(QUESTION)).toHaveLength(3); // the tool call, then the question put to the person

    const second = await runHeadless({ home: h.home, env: modelEnv(server), script: ['Start agent 0', '1', 'Phones only.'] });
    expect(second.stdout).toContain('Resumed later');
    expect(second.stdout).toContain(AFTER_ANSWER);
    const calls = messageCalls(server);
    expect(calls).toHaveLength(2);
    expect(conversationProblems(bodyOf(calls[1]!))).toEqual([]);
  });
});
