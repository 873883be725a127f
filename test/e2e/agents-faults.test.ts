// Faults of the model service survived end to end: a 429 with retry-after and a stream that
// breaks in the middle of a tool call (headless), and the person cancelling a slow turn with
// Ctrl+C in the REPL.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { newProjectLines, readJson, registeredEntry, sha256 } from '../helpers/fixtures.js';
import { cleanup, makeHome, runHeadless, spawnCli } from '../helpers/pty-cli.js';
import { bodyOf, closeFakeModels, createProjectInRepl, invalidCalls, messageCalls, modelEnv, startFakeModel, writeSettings } from '../helpers/fake-model.js';

afterEach(async () => {
  await cleanup();
  await closeFakeModels();
});

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('model faults', () => {
  it('waits out a 429 and re-asks after a stream cut mid tool call; the spec is written once and the run finishes', async () => {
    const server = await startFakeModel('faults');
    const h = makeHome({ setupComplete: true });
    writeSettings(h.home);
    const dir = h.projectDir('faulty');

    const started = Date.now();
    const run = await runHeadless({ home: h.home, env: modelEnv(server), script: [...newProjectLines(dir), 'The shift lead and the baristas.', '!plan'] });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // The 429 said "retry-after: 1": the CLI told the person and waited that long.
    expect(run.stdout).toMatch(/The model call broke off \(.*429 rate_limit_error.*\); retrying in 1\.0 s \(attempt 2\)\./);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(run.stdout).toContain('Who ticks the tasks off during a shift?');
    // The broken stream was retried too, and its half-streamed text is not shown twice.
    expect(count(run.stdout, 'The model call broke off')).toBe(2);
    expect(run.stdout).toMatch(/The model call broke off \(.*stream.*broke off.*\); retrying in \d\.\d s \(attempt 2\)\./);
    expect(count(run.stdout, 'Here it is.')).toBe(1);
    expect(count(run.stdout, '⚙ write_feature_spec')).toBe(1);
    expect(count(run.stdout, 'Discovery wrote:')).toBe(1);
    expect(run.stdout).toContain('!plan passed: Discovery → Planning');
    expect(run.stdout).toContain('Read the spec; the design comes next.');

    // Two discovery turns, each asked twice (fault, then the retry that played).
    const discovery = messageCalls(server, 'discovery');
    expect(discovery).toHaveLength(4);
    // Each retry re-sends the very request that failed: nothing of the broken stream was kept.
    expect(discovery[1]!.body).toEqual(discovery[0]!.body);
    expect(discovery[3]!.body).toEqual(discovery[2]!.body);
    expect(invalidCalls(server)).toEqual([]);
    expect(server.remainingTurns()).toEqual({ discovery: 0, planner: 0 });

    // One tool call in the saved conversation, and the gate approved the file that was written.
    const id = registeredEntry(h, dir)!.id;
    const artifacts = h.artifactsDir(id);
    const conversation = readFileSync(path.join(artifacts, 'conversations', 'discovery.json'), 'utf8');
    expect(count(conversation, '"name":"write_feature_spec"') + count(conversation, '"name": "write_feature_spec"')).toBe(1);
    const spec = readFileSync(path.join(artifacts, 'feature-spec.md'));
    expect(spec.toString('utf8')).toContain('### F-02: Tick off tasks');
    const handoff = readJson<{ approvals: Array<{ artifacts: Array<{ sha256: string }> }> }>(path.join(artifacts, 'HANDOFF.json'));
    expect(handoff.approvals[0]?.artifacts[0]?.sha256).toBe(sha256(spec));
    // Only successful calls are billed: one telemetry line per played turn.
    const lines = readFileSync(path.join(artifacts, 'telemetry', 'token_log.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
  });

  it('Ctrl+C cancels a slow turn, the REPL stays usable, and Ctrl+C twice exits 0', async () => {
    const server = await startFakeModel('slow');
    const h = makeHome({ setupComplete: true });
    writeSettings(h.home);
    const cli = spawnCli({ home: h.home, env: modelEnv(server) });

    await createProjectInRepl(cli, h.projectDir('patience'));
    await cli.waitFor('agent 1 (Discovery) is starting.');
    await cli.waitFor('working… (Ctrl+C cancels)');
    // The request is out and the server sits on it (5 s).
    while (messageCalls(server).length === 0) await sleep(20);
    cli.write('\x03');
    const cancelledAt = Date.now();
    await cli.waitFor("Cancelling the agent's turn…");
    await cli.waitFor("Cancelled the agent's turn. Type a message to let it go on.");
    expect(Date.now() - cancelledAt).toBeLessThan(3000); // well before the slow turn would have ended

    await cli.type('!status');
    await cli.waitFor('Stage: Discovery');
    await cli.waitFor('Agent: agent 1 (Discovery) — idle');
    // The cancelled call was not retried, and the agent still answers the next message.
    expect(messageCalls(server)).toHaveLength(1);
    await cli.type('Still there?');
    await cli.waitFor('Back again: what should the first version do?');
    expect(cli.screen()).not.toContain('This slow question should never be shown.');
    const second = bodyOf(messageCalls(server)[1]!);
    expect(JSON.stringify(second.messages)).toContain('Still there?');
    expect(invalidCalls(server)).toEqual([]);

    // Past the double-press window of the cancelling Ctrl+C, a new pair is needed to leave.
    const wait = cancelledAt + 2100 - Date.now();
    if (wait > 0) await sleep(wait);
    cli.write('\x03');
    await cli.waitFor('Ctrl+C again to'); // the status bar's notice (it may wrap before "exit")
    cli.write('\x03');
    expect(await cli.waitForExit()).toBe(0);
  });
});
