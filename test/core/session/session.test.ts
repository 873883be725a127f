import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handoffSchema } from '../../../src/core/handoff/handoff.schema.js';
import { contextFileSchema } from '../../../src/core/context/context.schema.js';
import { renderTaskGraph } from '../../../src/core/task-graph/render-task-graph.js';
import { RUN_OUTPUTS } from '../../../src/core/handoff/reset-scope.js';
import { FEATURE_SPEC, INSTALL_DIR, makeTempHome, recordingSession, submitAll, type TempHome } from '../../support/temp-home.js';

let home: TempHome;
afterEach(async () => home?.cleanup());

async function readContext() {
  return contextFileSchema.parse(JSON.parse(await readFile(path.join(home.home, 'config', 'context.json'), 'utf8')));
}

async function createProject(dirName = 'todo') {
  const recorder = await recordingSession(home);
  const dir = path.join(home.scratch, dirName);
  const outcomes = await submitAll(recorder.session, ['Start agent 0', 'A shared todo list for small teams', 'Web', dir, 'yes']);
  const context = await readContext();
  const id = context.registered_projects.find((p) => p.path === dir)!.id;
  const handoffFile = path.join(home.home, 'artifacts', id, 'HANDOFF.json');
  return { ...recorder, dir, id, handoffFile, outcomes };
}

async function readHandoff(file: string) {
  return handoffSchema.parse(JSON.parse(await readFile(file, 'utf8')));
}

describe('the startup protocol', () => {
  beforeEach(async () => {
    home = await makeTempHome();
  });

  it('asks for set-up when context.json is missing, and fails the line', async () => {
    home = await makeTempHome(null);
    const { session, text } = await recordingSession(home);
    const outcome = await session.submit('Start agent 0');
    expect(outcome.ok).toBe(false);
    expect(text()).toContain('Setup required before starting the pipeline');
    expect(text()).toContain('bash SETUP.sh');
    expect(text()).toContain('.\\SETUP.ps1');
  });

  it('asks for set-up when _setup_complete is false', async () => {
    home = await makeTempHome({ _setup_complete: false, registered_projects: [] });
    const { session, text } = await recordingSession(home);
    await session.submit('Start agent 0');
    expect(text()).toContain('_setup_complete is false');
  });

  it('names the file and field of an invalid context.json and leaves it alone', async () => {
    const raw = '{"_setup_complete": "yes", "registered_projects": []}';
    home = await makeTempHome(raw);
    const { session, text } = await recordingSession(home);
    await session.submit('Start agent 0');
    expect(text()).toContain('config/context.json, field `_setup_complete`');
    expect(await readFile(path.join(home.home, 'config', 'context.json'), 'utf8')).toBe(raw);
  });

  it('on a fresh home shows the status line, banner, tables and the first question', async () => {
    const { session, text } = await recordingSession(home);
    expect((await session.submit('start   AGENT 0')).ok).toBe(true);
    const out = text();
    expect(out).toContain('Setup verified — no registered projects found');
    expect(out).toContain('|____/|_|');
    expect(out).toContain('Pipeline stages');
    for (const target of ['Web', 'Linux', 'Windows', 'macOS', 'Android', 'iOS']) expect(out).toContain(target);
    expect(out).toContain('1/3 What does the project do?');
    expect(session.status().waitingFor).toBe('what the project does');
    // !help in the middle of the welcome says what is asked, not to start the Orchestrator again.
    await session.submit('!help');
    expect(text()).toContain('The Orchestrator is waiting for your answer (what the project does).');
    expect(text()).not.toContain('Type `Start agent 0` to start the Orchestrator.');
    expect(session.status().waitingFor).toBe('what the project does');
  });

  it('creates, initialises and registers a new project from the three answers', async () => {
    const { dir, handoffFile, outcomes, text, session } = await createProject();
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(existsSync(path.join(dir, '.git'))).toBe(true);
    const handoff = await readHandoff(handoffFile);
    expect(handoff).toMatchObject({ version: 0, stage: 'discovery', project: { name: 'todo', platform: 'Web', path: dir } });
    expect((await readContext()).registered_projects[0]).toMatchObject({ name: 'todo', stage: 'discovery', last_active_agent: 'discovery' });
    expect(text()).toContain('Discovery has started');
    await session.shutdown();
  });

  it('refuses project directories inside the home or the install, and asks again', async () => {
    const { session, text } = await recordingSession(home);
    await submitAll(session, ['Start agent 0', 'An app', 'linux']);
    expect((await session.submit(path.join(home.home, 'inside'))).ok).toBe(false);
    expect(text()).toContain('inside the CodeSleuth home');
    expect((await session.submit(INSTALL_DIR)).ok).toBe(false);
    expect(text()).toContain('the CodeSleuth install');
    expect(session.status().waitingFor).toBe('the project directory');
  });

  it('re-asks on an unknown platform and on a non yes/no answer', async () => {
    const { session, text } = await recordingSession(home);
    await submitAll(session, ['Start agent 0', 'An app']);
    expect((await session.submit('toaster')).ok).toBe(false);
    expect(text()).toContain('I did not recognise "toaster"');
    await session.submit('an android app');
    await session.submit(path.join(home.scratch, 'droid'));
    expect((await session.submit('maybe')).ok).toBe(false);
    expect(text()).toContain('Please answer yes or no.');
    await session.submit('no');
    expect(session.status().waitingFor).toBe('the project directory');
  });
});

describe('gates, pause and reset', () => {
  beforeEach(async () => {
    home = await makeTempHome();
  });

  it('refuses !plan with its reason, then passes it once the spec validates', async () => {
    const { session, text, id, handoffFile } = await createProject();
    const refused = await session.submit('!plan');
    expect(refused.ok).toBe(false);
    expect(text()).toContain('!plan refused');
    expect(text()).toContain('feature-spec.md does not exist yet');

    await writeFile(path.join(home.home, 'artifacts', id, 'feature-spec.md'), '# Spec\n## Summary\nx\n');
    await session.submit('!plan');
    expect(text()).toContain('missing the section "## Users"');

    await writeFile(path.join(home.home, 'artifacts', id, 'feature-spec.md'), FEATURE_SPEC);
    expect((await session.submit('!plan')).ok).toBe(true);
    const handoff = await readHandoff(handoffFile);
    expect(handoff.stage).toBe('planning');
    expect(handoff.version).toBe(1);
    expect(handoff.approvals[0]).toMatchObject({
      gate: 'plan',
      artifacts: [{ name: 'feature-spec.md', sha256: createHash('sha256').update(FEATURE_SPEC).digest('hex') }],
    });
    expect(handoff.history.at(-1)).toMatchObject({ event: '!plan', from: 'discovery', to: 'planning' });
    expect((await readContext()).registered_projects[0]).toMatchObject({ stage: 'planning', last_active_agent: 'planner' });
    await session.shutdown();
  });

  it('pauses, refuses gates while paused, and resumes', async () => {
    const { session, handoffFile, text } = await createProject();
    await session.submit('!pause');
    expect((await readHandoff(handoffFile)).stage).toBe('paused');
    expect((await session.submit('!plan')).ok).toBe(false);
    expect(text()).toContain('the project is paused in discovery');
    await session.submit('!resume');
    expect((await readHandoff(handoffFile)).stage).toBe('discovery');
    await session.shutdown();
  });

  it('resets only after yes, keeping a backup', async () => {
    const { session, id, handoffFile, text } = await createProject();
    await writeFile(path.join(home.home, 'artifacts', id, 'feature-spec.md'), FEATURE_SPEC);
    await session.submit('!plan');
    await session.submit('!reset');
    await session.submit('no thanks');
    expect(text()).toContain('Reset cancelled');
    expect((await readHandoff(handoffFile)).stage).toBe('planning');

    await session.submit('!reset');
    await session.submit('yes');
    const handoff = await readHandoff(handoffFile);
    expect(handoff.stage).toBe('discovery');
    expect(handoff.approvals).toEqual([]);
    const backups = await readdir(path.join(home.home, 'artifacts', id, 'backups'));
    expect(backups).toHaveLength(1);
    const backup = await readHandoff(path.join(home.home, 'artifacts', id, 'backups', backups[0]!));
    expect(backup.stage).toBe('planning');
    await session.shutdown();
  });

  it('starts the pipeline over after a shipped run: no tasks, no build, no milestone, old reports in backups/', async () => {
    const first = await createProject();
    await first.session.shutdown();
    const artifacts = path.join(home.home, 'artifacts', first.id);
    const task = (id: string, deps: string[]) => ({ id, title: `Task ${id}`, description: 'Do it.', acceptance_criteria: ['it works'], output_files: [`src/${id}.js`], depends_on: deps, size: 'S' as const, status: 'DONE' as const });
    await writeFile(path.join(artifacts, 'TASK-GRAPH.md'), renderTaskGraph({ tasks: [task('TASK-001', []), task('TASK-002', ['TASK-001'])] }));
    await writeFile(path.join(artifacts, 'feature-spec.md'), FEATURE_SPEC);
    for (const name of RUN_OUTPUTS) await writeFile(path.join(artifacts, name), `old ${name}\n`);
    const done = (id: string) => ({ id, status: 'DONE', attempts: 1, sha: 'abcdef1', concerns: [], receipts: [], changedFiles: [], inputTokens: 0, outputTokens: 0, costUsd: 0, reviewRounds: 2 });
    await writeFile(
      first.handoffFile,
      JSON.stringify({
        ...(await readHandoff(first.handoffFile)),
        tasks: [done('TASK-001'), done('TASK-002')],
        build: { autonomy: 'end_only', decisions: [{ id: 'D-1', taskId: 'TASK-001', question: 'Which port?', askedAt: 'then', answer: '8080', answeredAt: 'then' }], completedAt: '2026-01-01T00:00:00.000Z', branch: 'main' },
        milestone: 'shipped',
      }),
    );

    const second = await recordingSession(home);
    await submitAll(second.session, ['Start agent 0', '1']);
    expect(second.text()).toContain('Resumed todo in Maintenance');
    await second.session.submit('!reset');
    // The prompt says what goes and where the old state is kept.
    expect(second.text()).toContain('2 task records');
    expect(second.text()).toContain('the build\'s state (completed 2026-01-01T00:00:00.000Z, branch main)');
    expect(second.text()).toContain('the "shipped" milestone are cleared from HANDOFF.json');
    expect(second.text()).toContain(`move to ${path.join(artifacts, 'backups')}`);
    expect((await second.session.submit('yes')).ok).toBe(true);

    const handoff = await readHandoff(first.handoffFile);
    expect(handoff).toMatchObject({ stage: 'discovery', tasks: [], approvals: [] });
    expect(handoff.build).toBeUndefined();
    expect(handoff.milestone).toBeUndefined();
    expect((await readContext()).registered_projects[0]).toMatchObject({ stage: 'discovery' });
    const backups = await readdir(path.join(artifacts, 'backups'));
    const run = backups.find((f) => f.startsWith('run-'))!;
    for (const name of RUN_OUTPUTS) {
      expect(existsSync(path.join(artifacts, name))).toBe(false);
      expect(await readFile(path.join(artifacts, 'backups', run, name), 'utf8')).toBe(`old ${name}\n`);
    }
    // The starting point stays, with nothing reading as DONE.
    expect(await readFile(path.join(artifacts, 'feature-spec.md'), 'utf8')).toBe(FEATURE_SPEC);
    const graph = await readFile(path.join(artifacts, 'TASK-GRAPH.md'), 'utf8');
    expect(graph).toContain('TASK-002 [PENDING]');
    expect(graph).not.toContain('DONE |');
    const said = second.text();
    expect(said).toContain(`The old run's reports moved to ${path.join(artifacts, 'backups', run)}: BUILD_REPORT.md, DECISIONS.md`);
    expect(said).toContain('Every task in TASK-GRAPH.md is PENDING again.');
    expect(said).toContain('Cleared from HANDOFF.json: the approvals (none yet), 2 task records, the build\'s state');

    await second.session.submit('!status');
    const status = second.entries.at(-1)!.text;
    expect(status).toContain('Stage:    Discovery');
    expect(status).not.toContain('shipped');
    expect(status).not.toContain('Tasks:');
    await second.session.shutdown();

    // A resume stays in Discovery: the reset is not undone by the old milestone, nor by a
    // registry that still says shipped (as when its update failed after the reset).
    const registry = await readContext();
    registry.registered_projects[0]!.stage = 'shipped';
    await writeFile(path.join(home.home, 'config', 'context.json'), JSON.stringify(registry));
    const third = await recordingSession(home);
    await submitAll(third.session, ['Start agent 0', '1']);
    expect(third.text()).toContain('Resumed todo in Discovery');
    expect(third.session.status().stage).toBe('discovery');
    await third.session.shutdown();
  });

  it('answers natural language with a suggestion and never moves', async () => {
    const { session, id, handoffFile, text } = await createProject();
    await writeFile(path.join(home.home, 'artifacts', id, 'feature-spec.md'), FEATURE_SPEC);
    await session.submit('looks good');
    expect(text()).toContain('type !plan to start the Planner');
    expect((await readHandoff(handoffFile)).stage).toBe('discovery');
    await session.shutdown();
  });
});

describe('resuming', () => {
  beforeEach(async () => {
    home = await makeTempHome();
  });

  it('resumes a paused project in its stage from the menu', async () => {
    const first = await createProject();
    await writeFile(path.join(home.home, 'artifacts', first.id, 'feature-spec.md'), FEATURE_SPEC);
    await submitAll(first.session, ['!plan', '!pause']);
    await first.session.shutdown();

    const second = await recordingSession(home);
    await second.session.submit('Start agent 0');
    expect(second.text()).toContain('Type a number to resume that project, or N to start a new one.');
    expect((await second.session.submit('1')).ok).toBe(true);
    expect(second.text()).toContain('Resumed todo in Planning');
    expect(second.session.status().stage).toBe('planning');
    expect((await readHandoff(first.handoffFile)).history.at(-1)).toMatchObject({ event: 'resume', to: 'planning' });
    await second.session.shutdown();
  });

  it('routes a shipped project to Maintenance', async () => {
    const first = await createProject();
    await first.session.shutdown();
    const context = await readContext();
    context.registered_projects[0]!.stage = 'shipped';
    await writeFile(path.join(home.home, 'config', 'context.json'), JSON.stringify(context));
    await writeFile(first.handoffFile, JSON.stringify({ ...(await readHandoff(first.handoffFile)), milestone: 'shipped' }));
    const second = await recordingSession(home);
    await submitAll(second.session, ['Start agent 0', '1']);
    expect(second.text()).toContain('Resumed todo in Maintenance');
    // The status bar says the project shipped, as !status does.
    expect(second.session.status().stage).toBe('maintenance (shipped)');
    await second.session.shutdown();
  });

  it('reports a corrupt HANDOFF.json with its field and keeps it byte for byte', async () => {
    const first = await createProject();
    await first.session.shutdown();
    const raw = (await readFile(first.handoffFile, 'utf8')).replace('"stage": "discovery"', '"stage": "launch"');
    await writeFile(first.handoffFile, raw);
    const second = await recordingSession(home);
    await second.session.submit('Start agent 0');
    expect((await second.session.submit('1')).ok).toBe(false);
    expect(second.text()).toContain('field `stage`');
    expect(await readFile(first.handoffFile, 'utf8')).toBe(raw);
    expect(second.session.status().waitingFor).toBe('a project number or N');
    await second.session.submit('N');
    expect(second.text()).toContain('1/3 What does the project do?');
  });

  it('refuses a project another live session holds', async () => {
    const first = await createProject();
    const second = await recordingSession(home);
    await second.session.submit('Start agent 0');
    expect((await second.session.submit('1')).ok).toBe(false);
    expect(second.text()).toContain(`is open in another CodeSleuth (pid ${process.pid}`);
    await first.session.shutdown();
    expect((await second.session.submit('1')).ok).toBe(true);
    await second.session.shutdown();
  });

  it('takes over a stale lock left by a dead process', async () => {
    const first = await createProject();
    await first.session.shutdown();
    await writeFile(path.join(home.home, 'artifacts', first.id, '.lock'), JSON.stringify({ pid: 2 ** 22 + 17, since: 'earlier', host: (await import('node:os')).hostname() }));
    const second = await recordingSession(home);
    await submitAll(second.session, ['Start agent 0', '1']);
    expect(second.text()).toContain('Took over a stale lock');
    await second.session.shutdown();
  });
});
