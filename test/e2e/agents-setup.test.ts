// What stands between the person and a working agent: no API key, a broken agent file in the
// home, a budget too small for the first call. Each is explained where the person looks, and
// nothing is sent to the model that should not be.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newProjectLines } from '../helpers/fixtures.js';
import { INSTALL_DIR, cleanup, makeHome, runHeadless, spawnCli, type TestHome } from '../helpers/pty-cli.js';
import {
  agentBody,
  bodyOf,
  closeFakeModels,
  createProjectInRepl,
  messageCalls,
  modelEnv,
  noKeyEnv,
  startFakeModel,
  systemText,
  writeSettings,
} from '../helpers/fake-model.js';

afterEach(async () => {
  await cleanup();
  await closeFakeModels();
});

describe('no ANTHROPIC_API_KEY', () => {
  it('says how to fix it when the project starts and when the person talks to the agent; the REPL goes on', async () => {
    const server = await startFakeModel('streaming');
    const h = makeHome({ setupComplete: true });
    writeSettings(h.home);
    const cli = spawnCli({ home: h.home, env: noKeyEnv(server.url) });

    await createProjectInRepl(cli, h.projectDir('keyless'));
    await cli.waitFor('ANTHROPIC_API_KEY is not set, so no agent can call Claude.');
    await cli.waitFor('run `codesleuth --demo` to try the whole pipeline offline');
    await cli.type('Who is this for? Me.');
    await cli.waitFor('› Who is this for? Me.');
    await cli.waitFor('ANTHROPIC_API_KEY is not set, so no agent can call Claude.');
    await cli.waitFor('codesleuth --demo');
    await cli.type('!status');
    await cli.waitFor('Stage: Discovery');
    await cli.type('!quit');
    expect(await cli.waitForExit()).toBe(0);
    expect(cli.screen()).not.toMatch(/Something went wrong|unexpected error|TypeError/);
    expect(server.requests).toHaveLength(0);
  });
});

/** Copies the install's agents/ into the home and breaks the home's Discovery file. */
function homeWithBrokenDiscovery(h: TestHome): string {
  const agents = path.join(h.home, 'agents');
  cpSync(path.join(INSTALL_DIR, 'agents'), agents, { recursive: true });
  const discovery = path.join(agents, '01-discovery.md');
  const text = readFileSync(discovery, 'utf8');
  writeFileSync(discovery, `${text.replace('tools: read_file,', 'tools: read_flie,')}\nHOME-DISCOVERY-MARKER\n`);
  // A valid home Planner with a marker shows which copy is in force for the other agents.
  const planner = path.join(agents, '02-planner.md');
  writeFileSync(planner, `${readFileSync(planner, 'utf8')}\nHOME-PLANNER-MARKER: keep the plan short.\n`);
  return discovery;
}

describe('a broken agent file in the home', () => {
  it('is named with its field; Discovery runs from the installed copy and the other home agents are used', async () => {
    const server = await startFakeModel('override');
    const h = makeHome({ setupComplete: true });
    writeSettings(h.home);
    homeWithBrokenDiscovery(h);

    const run = await runHeadless({ home: h.home, env: modelEnv(server), script: [...newProjectLines(h.projectDir('layered')), '!plan'] });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Some agent or rule files are broken; the others loaded.');
    expect(run.stdout).toMatch(/agents\/01-discovery\.md:5: field `tools\[0\]`: unknown tool `read_flie`/);
    expect(run.stdout).toContain('did you mean `read_file`?');
    expect(run.stdout).toContain('meanwhile the installed copy is used');
    // Said once, before the agent starts.
    expect(run.stdout.indexOf('unknown tool `read_flie`')).toBeLessThan(run.stdout.indexOf('agent 1 (Discovery) is starting.'));
    expect(run.stdout.split('unknown tool `read_flie`')).toHaveLength(2);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('The brief is clear enough; here is the spec.');
    expect(run.stdout).toContain('Planner here, reading the approved spec.');

    const discovery = systemText(bodyOf(messageCalls(server, 'discovery')[0]!));
    expect(discovery).toContain(agentBody(path.join(INSTALL_DIR, 'agents', '01-discovery.md')));
    expect(discovery).not.toContain('HOME-DISCOVERY-MARKER');
    const planner = systemText(bodyOf(messageCalls(server, 'planner')[0]!));
    expect(planner).toContain('HOME-PLANNER-MARKER: keep the plan short.');
  });

  // Regression: broken files used to be named with a misleading ~ (the CodeSleuth home).
  it('names the broken file by a path the person can open', async () => {
    const server = await startFakeModel('override');
    const h = makeHome({ setupComplete: true });
    writeSettings(h.home);
    const broken = homeWithBrokenDiscovery(h);
    const run = await runHeadless({ home: h.home, env: modelEnv(server), script: newProjectLines(h.projectDir('where')) });
    const named = /^(\S+01-discovery\.md):5: field `tools\[0\]`/m.exec(run.stdout)?.[1];
    expect(named).toBeDefined();
    const opened = named!.startsWith('~/') ? path.join(homedir(), named!.slice(2)) : path.resolve(INSTALL_DIR, named!);
    expect(opened).toBe(broken);
  });
});

describe('a budget too small for the first call', () => {
  it('stops before sending anything, pauses the stage, and goes on after !budget extend and !resume', async () => {
    const server = await startFakeModel('budget');
    const h = makeHome({ setupComplete: true });
    writeSettings(h.home, { budget_usd: 0.001 });

    const run = await runHeadless({
      home: h.home,
      env: modelEnv(server),
      script: [...newProjectLines(h.projectDir('thrifty')), '!status', '!budget extend 5', '!resume', 'A tool for my bike club.'],
    });
    expect(run.stderr).toBe('');
    const [beforeExtend, afterExtend] = run.stdout.split('› !budget extend 5');
    // Refused before sending: the message says so, and the server saw no request at that point.
    expect(beforeExtend).toMatch(/Stopped before calling claude-sonnet-4-6: the call could cost up to \$\d+\.\d+/);
    expect(beforeExtend).toContain('Nothing was sent.');
    expect(beforeExtend).toContain('!budget extend');
    expect(beforeExtend).toContain('The stage is paused before spending past the budget. Type !budget extend N (US dollars), then !resume');
    expect(beforeExtend).toContain('Stage:    Discovery — paused (type !resume to continue)');
    expect(beforeExtend).not.toContain('Thanks for raising the budget.');

    expect(afterExtend).toContain('Budget raised by $5.00 to $5.00.');
    expect(afterExtend).toContain('Resumed Discovery; agent 1 (Discovery) is active.');
    expect(afterExtend).toContain('Thanks for raising the budget. Who is the tool for?');
    expect(run.code).toBe(0);

    // Exactly one request ever reached the server: the one after the extension, carrying the
    // person's message (the refused kick-off was never sent).
    expect(server.requests).toHaveLength(1);
    const calls = messageCalls(server);
    expect(calls).toHaveLength(1);
    expect(JSON.stringify(bodyOf(calls[0]!).messages)).toContain('A tool for my bike club.');
  });
});
