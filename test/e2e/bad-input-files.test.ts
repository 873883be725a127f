// Files a person (or a crash) broke, and directories CodeSleuth must not use: each is named in
// the message, nothing is rewritten, and the REPL carries on.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject, registeredEntry } from '../helpers/fixtures.js';
import { INSTALL_DIR, cleanup, makeHome, spawnCli } from '../helpers/pty-cli.js';

afterEach(cleanup);

describe('a corrupt config/context.json', () => {
  it('that is not JSON is named, left byte for byte, and the REPL goes on', async () => {
    const raw = Buffer.from('{ "_setup_complete": true,\n  "registered_projects": [\n');
    const h = makeHome({ contextRaw: raw });
    const cli = spawnCli({ home: h.home });
    await cli.type('Start agent 0');
    await cli.waitFor('config/context.json is not valid:');
    await cli.waitFor('config/context.json, field `(top level)`: is not valid JSON');
    await cli.waitFor('Nothing was changed.');
    await cli.type('!help');
    await cli.waitFor('Type `Start agent 0` to start the Orchestrator.');
    await cli.type('!quit');
    expect(await cli.waitForExit()).toBe(0);
    expect(readFileSync(h.contextFile).equals(raw)).toBe(true);
  });

  it('with a field of the wrong type names the field and is left byte for byte', async () => {
    // Odd spacing, a tab and no final newline: any rewrite would show.
    const raw = Buffer.from('{"_setup_complete":  "yes",\t"registered_projects": []}');
    const h = makeHome({ contextRaw: raw });
    const cli = spawnCli({ home: h.home });
    await cli.type('Start agent 0');
    await cli.waitFor(/config\/context\.json, field `_setup_complete`: [^\n]*expected boolean/);
    await cli.type('N');
    await cli.waitFor('Type `Start agent 0` to start the Orchestrator'); // no menu, so N is just text
    await cli.type('!quit');
    expect(await cli.waitForExit()).toBe(0);
    expect(readFileSync(h.contextFile).equals(raw)).toBe(true);
  });

  it('with a bad registered project names the nested field', async () => {
    const raw = Buffer.from(
      JSON.stringify({
        _setup_complete: true,
        registered_projects: [{ id: 'x-1', name: 'x', path: '/tmp/x', stage: 'flying', last_active_agent: 'discovery', updated: 'now' }],
      }),
    );
    const h = makeHome({ contextRaw: raw });
    const cli = spawnCli({ home: h.home });
    await cli.type('Start agent 0');
    await cli.waitFor('config/context.json, field `registered_projects.0.stage`');
    expect(cli.screen()).not.toContain('Registered projects:');
    expect(readFileSync(h.contextFile).equals(raw)).toBe(true);
  });
});

describe('a corrupt HANDOFF.json of a registered project', () => {
  it('is named with its field, kept byte for byte, and the menu still offers N', async () => {
    const h = makeHome({ setupComplete: true });
    const wrongType = await createProject(h, 'wrong-type');
    const notJson = await createProject(h, 'not-json');
    const mismatch = await createProject(h, 'mismatch');

    const wrongTypeBytes = Buffer.from(readFileSync(wrongType.handoffFile, 'utf8').replace('"version": 0', '"version": "zero"'));
    writeFileSync(wrongType.handoffFile, wrongTypeBytes);
    const notJsonBytes = Buffer.from('{"schemaVersion": 1, "version": ');
    writeFileSync(notJson.handoffFile, notJsonBytes);
    // Valid against the schema, but the stage disagrees with the machine snapshot.
    const mismatchBytes = Buffer.from(readFileSync(mismatch.handoffFile, 'utf8').replace('"stage": "discovery"', '"stage": "building"'));
    writeFileSync(mismatch.handoffFile, mismatchBytes);

    const cli = spawnCli({ home: h.home });
    await cli.type('Start agent 0');
    await cli.waitFor('Registered projects:');
    await cli.type('1');
    await cli.waitFor(`${wrongType.handoffFile} is not valid:`);
    await cli.waitFor(/field `version`: [^\n]*expected number/);
    await cli.waitFor('It was left exactly as it is.');
    await cli.type('2');
    await cli.waitFor(`${notJson.handoffFile} is not valid:`);
    await cli.waitFor('field `(top level)`: is not valid JSON');
    await cli.type('3');
    await cli.waitFor(`${mismatch.handoffFile} cannot be resumed:`);
    await cli.waitFor('field `stage`: says "building" but the machine snapshot is at "discovery"');
    await cli.type('N');
    await cli.waitFor('1/3 What does the project do?');
    await cli.type('!quit');
    expect(await cli.waitForExit()).toBe(0);

    expect(readFileSync(wrongType.handoffFile).equals(wrongTypeBytes)).toBe(true);
    expect(readFileSync(notJson.handoffFile).equals(notJsonBytes)).toBe(true);
    expect(readFileSync(mismatch.handoffFile).equals(mismatchBytes)).toBe(true);
    // A refused project is not locked behind the person's back.
    for (const p of [wrongType, notJson, mismatch]) expect(existsSync(path.join(p.artifacts, '.lock'))).toBe(false);
  });
});

describe('a project directory CodeSleuth must not use', () => {
  it('is refused with the reason, created nowhere, and another directory can be typed', async () => {
    const h = makeHome({ setupComplete: true });
    const insideHome = path.join(h.home, 'my-app');
    const insideInstall = path.join(INSTALL_DIR, 'e2e-should-not-exist');
    const aFile = path.join(h.root, 'notes.txt');
    writeFileSync(aFile, 'not a directory');
    const good = h.projectDir('good');

    const cli = spawnCli({ home: h.home });
    await cli.type('Start agent 0');
    await cli.waitFor('1/3');
    await cli.type('A to-do list');
    await cli.waitFor('2/3');
    await cli.type('linux');
    await cli.waitFor('3/3');
    await cli.type(insideHome);
    await cli.waitFor(`${insideHome} is inside the CodeSleuth home (${h.home}).`);
    await cli.waitFor('Type another directory.');
    await cli.type(insideInstall);
    await cli.waitFor(`${insideInstall} is inside the CodeSleuth install`);
    await cli.type(h.root);
    await cli.waitFor(`${h.root} contains the CodeSleuth home`);
    await cli.type('.'); // relative to the CLI's working directory, the install
    await cli.waitFor(/is inside the CodeSleuth install|contains the CodeSleuth install/);
    await cli.type(aFile);
    await cli.waitFor(`${aFile} exists and is a file, not a directory.`);
    await cli.type(good);
    await cli.waitFor('is not a git repository');
    await cli.type('maybe');
    await cli.waitFor('Please answer yes or no.');
    await cli.type('y');
    await cli.waitFor(/Project good created \[good-[0-9a-f]+\]/);

    expect(existsSync(insideHome)).toBe(false);
    const leaked = existsSync(insideInstall);
    rmSync(insideInstall, { recursive: true, force: true }); // never leave litter in the install
    expect(leaked).toBe(false);
    expect(registeredEntry(h, good)).toMatchObject({ stage: 'discovery' });
  });
});
