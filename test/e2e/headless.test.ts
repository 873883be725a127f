// Headless runs (--script FILE, or lines piped into standard input) and the command-line flags:
// plain text out, an exit code that says whether every line succeeded.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FEATURE_SPEC, createProject, newProjectLines, readJson, registeredEntry, sha256 } from '../helpers/fixtures.js';
import { CLI_BIN, cleanup, hasAnsi, makeHome, makeTempDir, runHeadless, spawnCli, stripAnsi } from '../helpers/pty-cli.js';

afterEach(cleanup);

const VERSION = readJson<{ version: string }>(new URL('../../package.json', import.meta.url).pathname).version;

interface HandoffJson {
  stage: string;
  version: number;
  approvals: Array<{ gate: string; artifacts: Array<{ name: string; sha256: string }> }>;
}

describe('--script FILE', () => {
  it('walks the welcome, refuses !plan without feature-spec.md and exits 1', async () => {
    const h = makeHome({ setupComplete: true });
    const dir = h.projectDir('scripted');
    const run = await runHeadless({ home: h.home, script: [...newProjectLines(dir), '!plan'] });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✓ Setup verified');
    expect(run.stdout).toContain('1/3 What does the project do?');
    expect(run.stdout).toMatch(/Project scripted created \[scripted-[0-9a-f]+\]/);
    expect(run.stdout).toContain('!plan refused');
    expect(run.stdout).toContain('feature-spec.md does not exist yet');
    expect(run.stdout).toContain('1 line failed.');
    expect(hasAnsi(run.stdout)).toBe(false);
    expect(registeredEntry(h, dir)).toMatchObject({ stage: 'discovery' });
  });

  it('exits 0 when every line succeeds', async () => {
    const h = makeHome({ setupComplete: true });
    const run = await runHeadless({ home: h.home, script: [...newProjectLines(h.projectDir('fine')), '!status', '!help', '!pipeline', '', '!quit'] });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Stage:    Discovery');
    expect(run.stdout).toContain('Saved. Goodbye.');
    expect(run.stdout).not.toContain('failed.');
  });

  it('stops at !quit and ignores the lines after it', async () => {
    const h = makeHome({ setupComplete: true });
    const run = await runHeadless({ home: h.home, script: ['!help', '!quit', '!nonsense'] });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('!nonsense');
  });

  it('counts every failed line and keeps going after one', async () => {
    const h = makeHome({ setupComplete: true });
    const run = await runHeadless({ home: h.home, script: ['!bild', 'Start agent 0', '!plan'] });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Did you mean !build?');
    expect(run.stdout).toContain('1/3 What does the project do?');
    expect(run.stdout).toContain('2 lines failed.');
  });

  it('passes !plan once a valid feature-spec.md is in place: HANDOFF v1 with the SHA-256 approved', async () => {
    const h = makeHome({ setupComplete: true });
    const project = await createProject(h, 'specced');
    const specFile = path.join(project.artifacts, 'feature-spec.md');
    writeFileSync(specFile, FEATURE_SPEC);

    const run = await runHeadless({ home: h.home, script: ['Start agent 0', '1', '!plan'] });
    expect(run.stdout).toContain('!plan passed: Discovery → Planning. HANDOFF.json is now v1');
    expect(run.code).toBe(0);

    const handoff = readJson<HandoffJson>(project.handoffFile);
    expect(handoff.stage).toBe('planning');
    expect(handoff.version).toBe(1);
    expect(handoff.approvals).toHaveLength(1);
    expect(handoff.approvals[0]).toMatchObject({
      gate: 'plan',
      artifacts: [{ name: 'feature-spec.md', sha256: sha256(readFileSync(specFile)) }],
    });
    expect(registeredEntry(h, project.dir)?.stage).toBe('planning');
  });

  it('refuses an invalid feature-spec.md with the missing section', async () => {
    const h = makeHome({ setupComplete: true });
    const project = await createProject(h, 'thin');
    writeFileSync(path.join(project.artifacts, 'feature-spec.md'), '## Summary\nA thing.\n');
    const run = await runHeadless({ home: h.home, script: ['Start agent 0', '1', '!plan'] });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('feature-spec.md does not validate: missing the section "## Users"; missing the section "## Features"');
    expect(readJson<HandoffJson>(project.handoffFile)).toMatchObject({ stage: 'discovery', version: 0 });
  });

  it('shows the gates detected from a Go project, stores !gates set test in HANDOFF.json and says what to type after a mistake', async () => {
    const h = makeHome({ setupComplete: true });
    const project = await createProject(h, 'gopher');
    writeFileSync(path.join(project.dir, 'go.mod'), 'module example.com/gopher\n');
    const run = await runHeadless({ home: h.home, script: ['Start agent 0', '1', '!gates', '!gates set test node --test', '!gates set Test x', '!gates'] });
    expect(run.stdout).toContain('  test       go test ./...   (from go.mod)');
    expect(run.stdout).toContain('Gate test replaced: node --test');
    expect(run.stdout).toContain('"Test" is not a gate name');
    expect(run.stdout).toContain('Gate commands in force, set by you (HANDOFF.json build.gateCommands), run in this order:\n  test       node --test\n  build      go build ./...');
    expect(run.stdout).toContain('1 line failed.');
    expect(run.code).toBe(1);
    expect(readJson<{ build?: { gateCommands?: unknown } }>(project.handoffFile).build?.gateCommands).toEqual([
      { name: 'test', command: 'node --test' },
      { name: 'build', command: 'go build ./...' },
    ]);
  });

  it('names a script file that cannot be read (exit 2)', async () => {
    const h = makeHome({ setupComplete: true });
    const missing = path.join(makeTempDir(), 'nope.txt');
    const run = await runHeadless({ home: h.home, args: ['--script', missing] });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Cannot read the script ${missing}`);
  });
});

describe('standard input that is not a terminal', () => {
  it('is read like a script, with the same output and exit code', async () => {
    const h = makeHome({ setupComplete: true });
    const lines = [...newProjectLines(h.projectDir('piped')), '!plan'];
    const piped = await runHeadless({ home: h.home, stdin: `${lines.join('\n')}\n` });
    expect(piped.code).toBe(1);
    expect(piped.stdout).toMatch(/Project piped created \[piped-[0-9a-f]+\]/);
    expect(piped.stdout).toContain('feature-spec.md does not exist yet');
    expect(hasAnsi(piped.stdout)).toBe(false);

    const valid = await runHeadless({ home: h.home, stdin: 'Start agent 0\r\n1\r\n!status\r\n' }); // CRLF too
    expect(valid.stdout).toContain('Resumed piped in Discovery');
    expect(valid.code).toBe(0);
  });

  it('is read with --script - as well', async () => {
    const h = makeHome({ setupComplete: true });
    const run = await runHeadless({ home: h.home, args: ['--script', '-'], stdin: 'Start agent 0\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1/3 What does the project do?');
  });
});

describe('standard output closed early (codesleuth --script f | head)', () => {
  it('stops quietly with status 141, like a tool killed by SIGPIPE, and leaves the project valid', async () => {
    const h = makeHome({ setupComplete: true });
    const dir = h.projectDir('cut');
    const lines = [...newProjectLines(dir), ...Array.from({ length: 40 }, () => '!help')];
    const child = spawn(process.execPath, [CLI_BIN, '--home', h.home, '--script', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(`${lines.join('\n')}\n`);
    // Read until the project exists, then close the reading end, as `head` does.
    await new Promise<void>((resolve) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/Project cut created/.test(out)) {
          child.stdout.destroy();
          resolve();
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).toBe('');
    expect(code).toBe(141);
    expect(registeredEntry(h, dir)).toMatchObject({ stage: 'discovery' });
  });
});

describe('colour in headless output', () => {
  const script = ['!bild'];

  it('is on for a terminal (the control case for the next test)', async () => {
    const h = makeHome({ setupComplete: true });
    const file = path.join(h.root, 'script.txt');
    writeFileSync(file, `${script.join('\n')}\n`);
    const cli = spawnCli({ home: h.home, args: ['--script', file] });
    expect(await cli.waitForExit()).toBe(1);
    expect(cli.rawOutput()).toContain('\u001b[31m');
    expect(stripAnsi(cli.rawOutput())).toContain('Did you mean !build?');
  });

  it('is off with NO_COLOR even on a terminal', async () => {
    const h = makeHome({ setupComplete: true });
    const file = path.join(h.root, 'script.txt');
    writeFileSync(file, `${script.join('\n')}\n`);
    const cli = spawnCli({ home: h.home, args: ['--script', file], env: { NO_COLOR: '1' } });
    expect(await cli.waitForExit()).toBe(1);
    expect(cli.rawOutput()).toContain('Did you mean !build?');
    expect(hasAnsi(cli.rawOutput())).toBe(false);
  });
});

describe('command-line flags', () => {
  it('--help prints the usage and exits 0', async () => {
    const run = await runHeadless({ args: ['--help'] });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`codesleuth ${VERSION}`);
    expect(run.stdout).toContain('Usage:');
    expect(run.stdout).toContain('--script FILE');
    expect(run.stdout).toContain('--home DIR');
    expect(run.stderr).toBe('');
  });

  it('--version prints the package version and exits 0', async () => {
    const run = await runHeadless({ args: ['--version'] });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${VERSION}\n`);
  });

  it('an unknown flag exits 2 with a message and a hint', async () => {
    const run = await runHeadless({ args: ['--frobnicate'] });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^codesleuth: .*--frobnicate/);
    expect(run.stderr).toContain('Run codesleuth --help for the options.');
  });

  it('a stray argument exits 2 as well', async () => {
    const run = await runHeadless({ args: ['start'] });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown command "start"');
  });
});
