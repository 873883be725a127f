// A project across REPL sessions: the one-REPL lock, pause and resume, reset, and leaving with
// Ctrl+C, all through the REPL in a pseudo-terminal.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FEATURE_SPEC, createProject, readJson, registeredEntry } from '../helpers/fixtures.js';
import { cleanup, makeHome, spawnCli, type PtyCli } from '../helpers/pty-cli.js';

afterEach(cleanup);

interface HandoffJson {
  stage: string;
  version: number;
  approvals: Array<{ gate: string }>;
  history: Array<{ event: string; from: string; to: string }>;
}

/** Starts a REPL and resumes the first registered project. */
async function resumeFirst(home: string): Promise<PtyCli> {
  const cli = spawnCli({ home });
  await cli.type('Start agent 0');
  await cli.waitFor('Registered projects:');
  await cli.type('1');
  return cli;
}

describe('the project lock', () => {
  it('refuses a second REPL on the same project while the first runs, and frees it on quit', async () => {
    const h = makeHome({ setupComplete: true });
    const project = await createProject(h, 'shared');
    const lockFile = path.join(project.artifacts, '.lock');

    const first = await resumeFirst(h.home);
    await first.waitFor('Resumed shared');
    expect(readJson<{ pid: number }>(lockFile).pid).toBe(first.pid);

    const second = await resumeFirst(h.home);
    await second.waitFor(`shared is open in another CodeSleuth (pid ${first.pid},`);
    await second.waitFor('only one REPL may work on a project at a time');
    await second.waitFor('Pick another project, or N.');

    await first.type('!quit');
    expect(await first.waitForExit()).toBe(0);
    expect(existsSync(lockFile)).toBe(false);

    await second.type('1');
    await second.waitFor('Resumed shared');
    expect(readJson<{ pid: number }>(lockFile).pid).toBe(second.pid);
  });

  it('takes over a stale lock left by a process that is gone', async () => {
    const h = makeHome({ setupComplete: true });
    const project = await createProject(h, 'stale');
    const lockFile = path.join(project.artifacts, '.lock');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(lockFile, JSON.stringify({ pid: dead, since: '2020-01-01T00:00:00.000Z', host: hostname() }));

    const cli = await resumeFirst(h.home);
    await cli.waitFor(`Took over a stale lock left by process ${dead}, which is no longer running.`);
    await cli.waitFor('Resumed stale');
    expect(readJson<{ pid: number }>(lockFile).pid).toBe(cli.pid);
  });
});

describe('!pause', () => {
  it('survives quitting; the menu resumes at the stage and HANDOFF history records both', async () => {
    const h = makeHome({ setupComplete: true });
    const project = await createProject(h, 'pausable');
    writeFileSync(path.join(project.artifacts, 'feature-spec.md'), FEATURE_SPEC);

    const cli = await resumeFirst(h.home);
    await cli.waitFor('Resumed pausable in Discovery');
    await cli.type('!plan');
    await cli.waitFor('!plan passed: Discovery → Planning. HANDOFF.json is now v1');
    await cli.type('!pause');
    await cli.waitFor(`Paused in Planning; state saved to ${project.handoffFile}.`);
    await cli.waitFor('│ planning (paused) │'); // the status bar
    expect(readJson<HandoffJson>(project.handoffFile).stage).toBe('paused');
    expect(registeredEntry(h, project.dir)?.stage).toBe('paused');
    await cli.type('!quit');
    expect(await cli.waitForExit()).toBe(0);

    const again = spawnCli({ home: h.home });
    await again.type('Start agent 0');
    await again.waitFor(/│ 1 │ pausable │ paused │/);
    await again.type('1');
    await again.waitFor('Resumed pausable in Planning (HANDOFF v1)');
    await again.type('!status');
    await again.waitFor('Stage: Planning');

    const handoff = readJson<HandoffJson>(project.handoffFile);
    expect(handoff.stage).toBe('planning');
    expect(handoff.version).toBe(1);
    expect(handoff.history.map((e) => e.event)).toEqual(['create', '!plan', '!pause', 'resume']);
    expect(handoff.history.at(-2)).toMatchObject({ from: 'planning', to: 'paused (planning)' });
    expect(handoff.history.at(-1)).toMatchObject({ from: 'paused (planning)', to: 'planning' });
  });
});

describe('!reset', () => {
  it('asks first; anything but yes cancels, yes backs HANDOFF.json up and returns to Discovery', async () => {
    const h = makeHome({ setupComplete: true });
    const project = await createProject(h, 'resettable');
    writeFileSync(path.join(project.artifacts, 'feature-spec.md'), FEATURE_SPEC);
    const backups = path.join(project.artifacts, 'backups');

    const cli = await resumeFirst(h.home);
    await cli.type('!plan');
    await cli.waitFor('!plan passed');
    const beforeReset = readFileSync(project.handoffFile);

    await cli.type('!reset');
    await cli.waitFor('Reset resettable to Discovery?');
    await cli.waitFor('Type yes to reset, anything else to keep going.');
    await cli.type('no thanks');
    await cli.waitFor('Reset cancelled; nothing changed.');
    expect(readFileSync(project.handoffFile).equals(beforeReset)).toBe(true);
    expect(existsSync(backups)).toBe(false);

    await cli.type('!reset');
    await cli.waitFor('Type yes to reset');
    await cli.type('yes');
    const done = await cli.waitFor(/Reset to Discovery\. The previous state is backed up at \S+\.json/);

    const files = readdirSync(backups);
    expect(files).toHaveLength(1);
    const backupFile = path.join(backups, files[0]!);
    expect(done).toContain(backupFile);
    expect(readFileSync(backupFile).equals(beforeReset)).toBe(true);
    const handoff = readJson<HandoffJson>(project.handoffFile);
    expect(handoff.stage).toBe('discovery');
    expect(handoff.approvals).toEqual([]);
    expect(handoff.history.at(-1)).toMatchObject({ event: '!reset', from: 'planning', to: 'discovery' });
    expect(registeredEntry(h, project.dir)?.stage).toBe('discovery');
  });
});

describe('Ctrl+C', () => {
  it('twice leaves with exit code 0 and removes the lock', async () => {
    const h = makeHome({ setupComplete: true });
    const project = await createProject(h, 'leaving');
    const lockFile = path.join(project.artifacts, '.lock');

    const cli = await resumeFirst(h.home);
    await cli.waitFor('Resumed leaving');
    expect(existsSync(lockFile)).toBe(true);
    cli.write('\x03');
    await cli.waitFor('Ctrl+C again to exit');
    cli.write('\x03');
    expect(await cli.waitForExit()).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
  });

  it('once cancels a pending question and the REPL stays', async () => {
    const h = makeHome({ setupComplete: true });
    const cli = spawnCli({ home: h.home });
    await cli.type('Start agent 0');
    await cli.waitFor('1/3');
    cli.write('\x03');
    await cli.waitFor('Cancelled. Type `Start agent 0` to begin again');
    await cli.waitFor('cancelled — Ctrl+C again to exit');
    await cli.type('!help');
    await cli.waitFor('!help CMD explains one command.');
  });
});
