// Behaviour the end-to-end suite once found broken, kept as regression tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject, newProjectLines } from '../helpers/fixtures.js';
import { cleanup, makeHome, runHeadless, spawnCli } from '../helpers/pty-cli.js';

afterEach(cleanup);

describe('regressions', () => {
  // src/ui/: Ink's colours come from chalk, which does not read NO_COLOR; only the headless
  // formatter (src/headless/run-script.ts) checks it. `--help` promises "NO_COLOR turns colour off."
  it('the REPL draws no colour when NO_COLOR is set', async () => {
    const h = makeHome({ setupComplete: true });
    const cli = spawnCli({ home: h.home, env: { NO_COLOR: '1' } });
    await cli.type('!bild');
    await cli.waitFor('Did you mean !build?');
    expect(cli.rawOutput()).not.toMatch(/\u001b\[(3[0-7]|9[0-7]|1;3\d)m/);
  });

  // src/ui/App.tsx: on a quit outcome, exit() runs before Ink has drawn the last entries, so the
  // echoed `› !quit` and "Saved. Goodbye." never reach the terminal.
  it('!quit in the REPL says "Saved. Goodbye." before it exits', async () => {
    const h = makeHome({ setupComplete: true });
    const cli = spawnCli({ home: h.home });
    await cli.type('!quit');
    expect(await cli.waitForExit()).toBe(0);
    expect(cli.screen()).toContain('Saved. Goodbye.');
  });

  // src/ui/InputLine.tsx: a chunk holding several lines submits the first and drops the rest
  // (`submit(next.slice(0, newline))`); keys typed while a line is handled are lost too, since
  // the text input is unmounted while busy.
  it('a pasted block of two lines submits both', async () => {
    const h = makeHome({ setupComplete: true });
    const cli = spawnCli({ home: h.home });
    await cli.waitFor('type `Start agent 0`');
    cli.write('Start agent 0\rA to-do list\r');
    await cli.waitFor('1/3');
    await cli.waitFor('2/3 Which platform', 2500);
  });

  // src/core/session/session.ts: the reset confirmation stays pending across other commands, so
  // a later "yes" still resets although the prompt said "anything else to keep going".
  it('a command typed after !reset cancels the pending reset', async () => {
    const h = makeHome({ setupComplete: true });
    const run = await runHeadless({ home: h.home, script: [...newProjectLines(h.projectDir('keep')), '!reset', '!status', 'yes'] });
    expect(run.stdout).not.toContain('Reset to Discovery.');
  });

  // src/store/config-store.ts: two REPLs on one home used to overwrite each other's
  // registration; updates of context.json are now serialised by a lock file.
  it('two CLIs creating projects at once on one home both register', async () => {
    // A project already registered makes both runs see the menu whatever their timing.
    const h = makeHome({ setupComplete: true });
    await createProject(h, 'first');
    const [a, b] = await Promise.all([
      runHeadless({ home: h.home, script: newProjectLines(h.projectDir('alpha'), { menu: true }) }),
      runHeadless({ home: h.home, script: newProjectLines(h.projectDir('beta'), { menu: true }) }),
    ]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const context = JSON.parse(readFileSync(path.join(h.home, 'config', 'context.json'), 'utf8')) as { registered_projects: { name: string }[] };
    expect(context.registered_projects.map((p) => p.name).sort()).toEqual(['alpha', 'beta', 'first']);
  });
});
