// A stage's conversation with its agent across sessions and resets: what the model is sent when
// the person comes back, and after they start the stage over.
import { afterEach, describe, expect, it } from 'vitest';
import { newProjectLines } from '../helpers/fixtures.js';
import { cleanup, makeHome, runHeadless } from '../helpers/pty-cli.js';
import { bodyOf, closeFakeModels, invalidCalls, messageCalls, modelEnv, startFakeModel, writeSettings } from '../helpers/fake-model.js';

afterEach(async () => {
  await cleanup();
  await closeFakeModels();
});

const FIRST = 'First question: who is the garden planner for?';
const SECOND = 'Second question: which plants do they grow?';
const THIRD = 'Third question: do they plan by season or by bed?';

describe('the conversation with a stage agent', () => {
  it('goes on where it stopped when the project is resumed in a new session', async () => {
    const server = await startFakeModel('resume');
    const h = makeHome({ setupComplete: true });
    writeSettings(h.home);
    const first = await runHeadless({ home: h.home, env: modelEnv(server), script: [...newProjectLines(h.projectDir('garden')), 'My allotment group.', '!quit'] });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(SECOND);

    const second = await runHeadless({ home: h.home, env: modelEnv(server), script: ['Start agent 0', '1', 'Vegetables, mostly.'] });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Resumed garden in Discovery');
    expect(second.stdout).toContain(THIRD);
    // The kick-off is not repeated on resume; the third call carries the whole conversation.
    expect(second.stdout).not.toContain('agent 1 (Discovery) is starting.');
    const calls = messageCalls(server);
    expect(calls).toHaveLength(3);
    expect(invalidCalls(server)).toEqual([]);
    const texts = bodyOf(calls[2]!).messages.map((m) => JSON.stringify(m.content));
    expect(texts).toHaveLength(5);
    expect(texts[1]).toContain(FIRST);
    expect(texts[2]).toContain('My allotment group.');
    expect(texts[3]).toContain(SECOND);
    expect(texts[4]).toContain('Vegetables, mostly.');
  });

  // Regression: !reset used to leave the old conversation on disk (session.ts confirm()).
  it('starts afresh after !reset', async () => {
    const server = await startFakeModel('resume');
    const h = makeHome({ setupComplete: true });
    writeSettings(h.home);
    const run = await runHeadless({
      home: h.home,
      env: modelEnv(server),
      script: [...newProjectLines(h.projectDir('again')), 'My allotment group.', '!reset', 'yes', 'A planner for my balcony instead.'],
    });
    expect(run.stdout).toContain('Reset to Discovery.');
    const calls = messageCalls(server);
    expect(calls).toHaveLength(3);
    const afterReset = JSON.stringify(bodyOf(calls[2]!).messages);
    expect(afterReset).toContain('A planner for my balcony instead.');
    expect(afterReset).not.toContain('My allotment group.');
    expect(afterReset).not.toContain(SECOND);
  });
});
