// The startup protocol as a person meets it: the REPL in a pseudo-terminal, `Start agent 0`,
// the set-up check, the banner and tables, the welcome questions, the resume menu.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject, readJson } from '../helpers/fixtures.js';
import { INSTALL_DIR, cleanup, makeHome, spawnCli } from '../helpers/pty-cli.js';

afterEach(cleanup);

const PLATFORMS = ['Web', 'Linux', 'Windows', 'macOS', 'Android', 'iOS'];

describe('Start agent 0 on a fresh home', () => {
  it('verifies set-up, shows the banner and both tables, and asks the first welcome question', async () => {
    const h = makeHome({ setupComplete: true });
    const cli = spawnCli({ home: h.home });
    await cli.waitFor('type `Start agent 0`');
    await cli.type('Start agent 0');
    await cli.waitFor('✓ Setup verified — no registered projects found.');
    await cli.waitFor('From an idea to shipped code'); // the banner's tagline
    const info = await cli.waitFor(/Pipeline stages[\s\S]*Context backends[\s\S]*Design contract[\s\S]*Commands/);
    expect(info).toContain('Discovery → Planning');
    const targets = await cli.waitFor(/CodeSleuth Build Targets[\s\S]*?└/);
    for (const name of PLATFORMS) expect(targets).toMatch(new RegExp(`│ ${name} │`));
    await cli.waitFor('1/3 What does the project do?');
    expect(cli.screen()).toMatch(/_{4}/); // the ASCII-art banner itself
  });

  it('creates HANDOFF.json, registers the project and initialises git from the three answers', async () => {
    const h = makeHome({ setupComplete: true });
    const dir = h.projectDir('tidy');
    const cli = spawnCli({ home: h.home });
    await cli.type('Start agent 0');
    await cli.waitFor('1/3');
    await cli.type('A to-do list for a small team');
    await cli.waitFor('2/3 Which platform is it for?');
    await cli.type('web');
    await cli.waitFor('Platform: Web');
    await cli.waitFor('3/3 Which directory');
    await cli.type(dir);
    await cli.waitFor(`Created ${dir}.`);
    await cli.waitFor('is not a git repository');
    await cli.type('yes');
    await cli.waitFor(`Initialised a git repository in ${dir}.`);
    await cli.waitFor(/Project tidy created \[(tidy-[0-9a-f]+)\]/);
    await cli.waitFor('Discovery has started');

    const context = readJson<{ registered_projects: Array<{ id: string; path: string; stage: string }> }>(h.contextFile);
    expect(context.registered_projects).toHaveLength(1);
    const registered = context.registered_projects[0]!;
    expect(registered).toMatchObject({ path: dir, stage: 'discovery', name: 'tidy' });

    const handoffFile = path.join(h.artifactsDir(registered.id), 'HANDOFF.json');
    const handoff = JSON.parse(readFileSync(handoffFile, 'utf8')) as Record<string, unknown>;
    expect(handoff).toMatchObject({
      stage: 'discovery',
      version: 0,
      project: { id: registered.id, path: dir, platform: 'Web', brief: 'A to-do list for a small team' },
    });
    expect(existsSync(path.join(dir, '.git'))).toBe(true);
    expect(execFileSync('git', ['-C', dir, 'rev-parse', '--is-inside-work-tree'], { encoding: 'utf8' }).trim()).toBe('true');

    await cli.type('!quit');
    expect(await cli.waitForExit()).toBe(0);
  });

  it('accepts `start   AGENT 0` (any case, any spacing)', async () => {
    const h = makeHome({ setupComplete: true });
    const cli = spawnCli({ home: h.home });
    await cli.type('  start   AGENT 0  ');
    await cli.waitFor('Setup verified');
    await cli.waitFor('1/3 What does the project do?');
  });
});

describe('Start agent 0 before set-up', () => {
  const SETUP_HINTS = ['Setup required before starting the pipeline', 'bash SETUP.sh', '.\\SETUP.ps1'];

  /** The home is not the install folder, so the printed command names it; run as printed, it sets the home up. */
  async function runPrintedSetUp(cli: ReturnType<typeof spawnCli>, home: string, next: string): Promise<void> {
    await cli.waitFor('then type `Start agent 0` again.');
    for (const hint of SETUP_HINTS) expect(cli.screen()).toContain(hint);
    expect(cli.screen()).not.toContain('1/3');
    const printed = cli.screen().match(/^\s*(CODESLEUTH_HOME=\S+ bash SETUP\.sh)\s+\(Linux \/ macOS\)$/m);
    expect(printed?.[1]).toBe(`CODESLEUTH_HOME=${home} bash SETUP.sh`);
    execFileSync('bash', ['-c', printed![1]!], { cwd: INSTALL_DIR, stdio: 'ignore' });
    await cli.type('Start agent 0');
    await cli.waitFor(next);
  }

  it('names both set-up scripts for this home when config/context.json is missing; the printed command creates it', async () => {
    const h = makeHome();
    const cli = spawnCli({ home: h.home });
    await cli.type('Start agent 0');
    await cli.waitFor(`${h.contextFile} does not exist`);
    await runPrintedSetUp(cli, h.home, '1/3 What does the project do?');
    expect(readJson(h.contextFile)).toEqual({ _setup_complete: true, registered_projects: [] });
  });

  it('names both set-up scripts when _setup_complete is false; the printed command completes it and keeps the projects', async () => {
    const project = { id: 'p-1', name: 'kept', path: '/tmp/kept', stage: 'discovery', last_active_agent: 'discovery', updated: '2026-01-02T03:04:05.000Z' };
    const h = makeHome({ setupComplete: false, projects: [project] });
    const cli = spawnCli({ home: h.home });
    await cli.type('Start agent 0');
    await cli.waitFor('_setup_complete is false');
    await runPrintedSetUp(cli, h.home, 'Type a number to resume that project, or N to start a new one.');
    expect(readJson(h.contextFile)).toEqual({ _setup_complete: true, registered_projects: [project] });
  });
});

describe('the resume menu', () => {
  it('lists registered projects; 1 resumes the first, and N from a fresh menu starts the welcome', async () => {
    const h = makeHome({ setupComplete: true });
    const alpha = await createProject(h, 'alpha');
    await createProject(h, 'beta');

    const cli = spawnCli({ home: h.home });
    await cli.type('Start agent 0');
    const menu = await cli.waitFor(/Registered projects:[\s\S]*?or N to start a new one/);
    expect(menu).toMatch(/│ 1 │ alpha │ discovery │/);
    expect(menu).toMatch(/│ 2 │ beta │ discovery │/);
    await cli.type('7');
    await cli.waitFor('Type a number from 1 to 2');
    await cli.type('1');
    await cli.waitFor('Resumed alpha in Discovery (HANDOFF v0)');
    expect(readFileSync(alpha.handoffFile, 'utf8')).toContain('"stage": "discovery"');
    await cli.type('!quit');
    expect(await cli.waitForExit()).toBe(0);

    const second = spawnCli({ home: h.home });
    await second.type('Start agent 0');
    await second.waitFor('Registered projects:');
    await second.type('N');
    await second.waitFor('From an idea to shipped code');
    await second.waitFor('CodeSleuth Build Targets');
    await second.waitFor('1/3 What does the project do?');
  });
});

describe('input that means nothing', () => {
  it('answers each line with a clear message and keeps the REPL going until !quit', async () => {
    const h = makeHome({ setupComplete: true });
    const cli = spawnCli({ home: h.home });
    await cli.type('asdf qwer zxcv');
    await cli.waitFor('Type `Start agent 0` to start the Orchestrator');
    await cli.type('!nonsense');
    await cli.waitFor('Unknown command !nonsense.');
    await cli.type('!bild');
    await cli.waitFor('Did you mean !build?');
    await cli.type('!plan');
    await cli.waitFor('!plan needs an open project');
    await cli.type('Start agent 7');
    await cli.waitFor('Only agent 0, the Orchestrator, is started by hand');
    await cli.type('!');
    await cli.waitFor('Unknown command !.');
    await cli.type('!help');
    await cli.waitFor(/│ !quit │ Save and leave CodeSleuth │/);
    await cli.type('!quit');
    expect(await cli.waitForExit()).toBe(0);
  });
});
