import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handoffSchema } from '../../../src/core/handoff/handoff.schema.js';
import { ARTIFACT_WRITERS } from '../../../src/core/session/artifact-writers.js';
import { FEATURE_SPEC, makeTempHome, recordingSession, submitAll, type TempHome } from '../../support/temp-home.js';

let home: TempHome;
beforeEach(async () => {
  home = await makeTempHome();
});
afterEach(async () => home.cleanup());

/** The planner's artifacts, rendered the way the runtime renders them from the demo cassette. */
async function plannerArtifacts(): Promise<{ name: string; text: string }[]> {
  const cassette = JSON.parse(await readFile('demo/cassette.json', 'utf8')) as { turns: { agent: string; content: { type: string; name?: string; input?: unknown }[] }[] };
  const inputs = cassette.turns.flatMap((t) => t.content).filter((b) => b.type === 'tool_use' && (b.name === 'write_design' || b.name === 'write_task_graph'));
  return inputs.flatMap((b) => ARTIFACT_WRITERS.get(b.name!)!.render(b.input));
}

async function projectInPlanning() {
  const recorder = await recordingSession(home);
  const dir = path.join(home.scratch, 'tidy');
  await submitAll(recorder.session, ['Start agent 0', 'A to-do list', 'web', dir, 'yes']);
  const id = recorder.text().match(/\[(tidy-[0-9a-f]+)\]/)![1]!;
  const artifacts = path.join(home.home, 'artifacts', id);
  await writeFile(path.join(artifacts, 'feature-spec.md'), FEATURE_SPEC);
  expect((await recorder.session.submit('!plan')).ok).toBe(true);
  for (const file of await plannerArtifacts()) await writeFile(path.join(artifacts, file.name), file.text);
  return { ...recorder, artifacts };
}

async function handoff(artifacts: string) {
  return handoffSchema.parse(JSON.parse(await readFile(path.join(artifacts, 'HANDOFF.json'), 'utf8')));
}

describe('the build forecast', () => {
  it('shows the tasks and cost, and starts only after yes', async () => {
    const { session, text, artifacts } = await projectInPlanning();
    await session.submit('!build');
    expect(text()).toContain('Build forecast');
    expect(text()).toContain('4 tasks to build');
    expect(text()).toMatch(/≈ \$\d+\.\d\d/);
    await session.submit('not yet');
    expect(text()).toContain('Build not started; the project stays in Planning.');
    expect((await handoff(artifacts)).stage).toBe('planning');

    await submitAll(session, ['!build', 'yes']);
    const state = await handoff(artifacts);
    expect(state.stage).toBe('building');
    expect(state.version).toBe(2);
    expect(state.approvals.map((a) => a.gate)).toEqual(['plan', 'build']);
    await session.shutdown();
  });
});

describe('approvals bound to artifacts', () => {
  it('marks an edited spec stale, refuses !build until !plan re-approves it', async () => {
    const { session, text, artifacts } = await projectInPlanning();
    await writeFile(path.join(artifacts, 'feature-spec.md'), `${FEATURE_SPEC}\n- a late edit\n`);

    await session.submit('!status');
    expect(text()).toContain('STALE:    feature-spec.md changed since !plan approved it');

    const refused = await session.submit('!build');
    expect(refused.ok).toBe(false);
    expect(text()).toContain('!build refused: an approval it builds on no longer holds.');

    expect((await session.submit('!plan')).ok).toBe(true);
    expect(text()).toContain('Re-approved feature-spec.md with !plan; HANDOFF.json is now v2.');
    const state = await handoff(artifacts);
    expect(state.stage).toBe('planning');
    expect(state.history.at(-1)).toMatchObject({ event: 're-approve !plan', from: 'planning', to: 'planning' });

    await session.submit('!plan');
    expect(text()).toContain('exactly as approved; nothing to re-approve');
    await submitAll(session, ['!build', 'yes']);
    expect((await handoff(artifacts)).stage).toBe('building');
    await session.shutdown();
  });

  it('refuses a hand-edited TASK-GRAPH.md that no longer parses, with line numbers', async () => {
    const { session, text, artifacts } = await projectInPlanning();
    const file = path.join(artifacts, 'TASK-GRAPH.md');
    const broken = (await readFile(file, 'utf8')).replace(/\| TASK-002 \|/, '| TASK-0X2 |');
    await writeFile(file, broken);
    expect((await session.submit('!build')).ok).toBe(false);
    expect(text()).toMatch(/TASK-GRAPH\.md does not validate: line \d+/);
    expect(await readFile(file, 'utf8')).toBe(broken);
    await session.shutdown();
  });
});

describe('!critic needs a finished build', () => {
  it('refuses a BUILD_REPORT.md on disk while the tasks are not built, saying which and what to type', async () => {
    const { session, text, artifacts } = await projectInPlanning();
    await submitAll(session, ['!build', 'yes']);
    expect((await handoff(artifacts)).stage).toBe('building');
    // A report left from elsewhere: it has the heading, but HANDOFF.json has no finished build.
    await writeFile(path.join(artifacts, 'BUILD_REPORT.md'), '# Build report\n\n## Tasks\n\nAll done.\n');
    expect((await session.submit('!critic')).ok).toBe(false);
    expect(text()).toContain('!critic refused: the Critic stage needs what Builder produces.');
    expect(text()).toContain('• the build is not finished: TASK-001 PENDING, TASK-002 PENDING, TASK-003 PENDING, TASK-004 PENDING — type !continue to go on with the build.');
    expect((await handoff(artifacts)).stage).toBe('building');
    await session.shutdown();
  });
});

describe('!skip in the session', () => {
  it('asks naming the dependents, skips after yes, and !status shows the skipped task and what is built without it', async () => {
    const { session, text, artifacts, entries } = await projectInPlanning();
    await submitAll(session, ['!build', 'yes']);
    await session.submit('!skip TASK-002');
    expect(text()).toContain('Skip TASK-002? It will not be built. TASK-003 depends on it and will be built without it, marked in !status and BUILD_REPORT.md. Type yes to skip, anything else to keep it.');
    expect(session.status().waitingFor).toBe('yes to confirm');
    await session.submit('yes');
    expect(text()).toContain('TASK-002 is SKIPPED. Marked for your attention: TASK-003 depends on it and will be built without it; !status and BUILD_REPORT.md show it.');
    expect((await handoff(artifacts)).tasks.find((r) => r.id === 'TASK-002')?.status).toBe('SKIPPED');

    await session.submit('!status');
    const status = entries.at(-1)!.text;
    expect(status).toContain('  TASK-002 SKIPPED by you; built without it: TASK-003 (!retry TASK-002 builds it after all)');
    expect(status).toContain('  TASK-003 marked: depends on TASK-002, which a person chose to skip; check that TASK-003 still makes sense without it');
    await session.shutdown();
  });
});
