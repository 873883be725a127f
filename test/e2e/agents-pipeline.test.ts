// Discovery → !plan → Planner, headless (--script) against the fake Anthropic server: the
// artifacts each agent writes, the approval the gate records, the telemetry of every model call,
// and that the API key never lands in a file.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newProjectLines, readJson, registeredEntry, sha256 } from '../helpers/fixtures.js';
import { cleanup, makeHome, runHeadless } from '../helpers/pty-cli.js';
import { FAKE_KEY, closeFakeModels, filesUnder, invalidCalls, messageCalls, modelEnv, startFakeModel, writeSettings } from '../helpers/fake-model.js';

afterEach(async () => {
  await cleanup();
  await closeFakeModels();
});

interface HandoffJson {
  schemaVersion: number;
  version: number;
  stage: string;
  approvals: Array<{ gate: string; artifacts: Array<{ name: string; sha256: string }> }>;
}

describe('Discovery → !plan → Planner, headless', () => {
  it('writes every artifact, records the approval hash and one telemetry line per call, and never writes the key', async () => {
    const server = await startFakeModel('pipeline');
    const h = makeHome({ setupComplete: true });
    writeSettings(h.home);
    const dir = h.projectDir('tidy');

    const run = await runHeadless({
      home: h.home,
      env: modelEnv(server),
      script: [...newProjectLines(dir, { brief: 'A shift to-do list for a café' }), 'Baristas, from their phones.', '!plan', '!status'],
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // What the person reads along the way.
    expect(run.stdout).toContain('A shift to-do list for a café. Who ticks tasks off, and from which device?');
    expect(run.stdout).toContain('⚙ write_feature_spec');
    expect(run.stdout).toMatch(/Discovery wrote:\n\s+\S+feature-spec\.md\nReview it; when you agree, type !plan/);
    expect(run.stdout).toContain('!plan passed: Discovery → Planning. HANDOFF.json is now v1; agent 2 (Planner) is active.');
    expect(run.stdout).toContain('One small Node service and a plain page will do.');
    expect(run.stdout).toContain('↳ wrote TDD.md, INTERFACES.md, SCHEMA.md');
    expect(run.stdout).toMatch(/Planner wrote:\n\s+\S+TDD\.md\n\s+\S+INTERFACES\.md\n(\s+\S+SCHEMA\.md\n)?\s+\S+TASK-GRAPH\.md\nReview them; when you agree, type !build/);
    expect(run.stdout).toContain('Next:     !build once TDD.md, INTERFACES.md, TASK-GRAPH.md validate');
    expect(server.remainingTurns()).toEqual({ discovery: 0, planner: 0 });

    const id = registeredEntry(h, dir)!.id;
    const artifacts = h.artifactsDir(id);
    for (const name of ['feature-spec.md', 'TDD.md', 'INTERFACES.md', 'SCHEMA.md', 'TASK-GRAPH.md']) {
      expect(readFileSync(path.join(artifacts, name), 'utf8').trim().length, name).toBeGreaterThan(0);
    }
    expect(readFileSync(path.join(artifacts, 'feature-spec.md'), 'utf8')).toContain('### F-01: Add tasks to a shift');
    expect(readFileSync(path.join(artifacts, 'TASK-GRAPH.md'), 'utf8')).toContain('TASK-003');

    const handoff = readJson<HandoffJson>(path.join(artifacts, 'HANDOFF.json'));
    expect(handoff).toMatchObject({ schemaVersion: 1, version: 1, stage: 'planning' });
    expect(handoff.approvals).toEqual([
      expect.objectContaining({ gate: 'plan', artifacts: [{ name: 'feature-spec.md', sha256: sha256(readFileSync(path.join(artifacts, 'feature-spec.md'))) }] }),
    ]);

    // One telemetry line per model call the server answered, each a JSON object with a cost.
    const calls = messageCalls(server);
    expect(invalidCalls(server)).toEqual([]);
    expect(calls.map((c) => c.agent)).toEqual(['discovery', 'discovery', 'planner', 'planner']);
    const lines = readFileSync(path.join(artifacts, 'telemetry', 'token_log.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(calls.length);
    const records = lines.map((l) => JSON.parse(l) as { agent: string; stage: string; cost_usd: number; model: string });
    expect(records.map((r) => r.agent)).toEqual(['discovery', 'discovery', 'planner', 'planner']);
    for (const record of records) {
      expect(record.cost_usd).toBeGreaterThan(0);
      expect(record.model).toBe('claude-sonnet-4-6');
    }

    // The key went to the server (it answers 401 without one) but into no file and no output.
    const files = [...filesUnder(h.home), ...filesUnder(dir).filter((f) => !f.includes(`${path.sep}.git${path.sep}objects${path.sep}`))];
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      expect(readFileSync(file, 'latin1').includes(FAKE_KEY), file).toBe(false);
    }
    expect(readdirSync(path.join(artifacts, 'conversations')).sort()).toEqual(['discovery.json', 'planning.json']);
    expect(run.stdout).not.toContain(FAKE_KEY);
  });
});
