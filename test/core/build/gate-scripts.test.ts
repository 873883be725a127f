import { describe, expect, it } from 'vitest';
import { gateScriptChanges, gateScriptConcern, gateScriptsOf, nextGateScripts, scriptOfCommand } from '../../../src/core/build/gate-scripts.js';

describe('scriptOfCommand', () => {
  it.each([
    ['npm test', 'test'],
    ['npm t', 'test'],
    ['npm run lint', 'lint'],
    ['npm run-script typecheck', 'typecheck'],
    ['pnpm run build', 'build'],
    ['yarn run test:unit', 'test:unit'],
    ['make check', undefined],
    ['npx vitest run', undefined],
    ['npm run', undefined],
  ])('%s runs the script %s', (command, script) => {
    expect(scriptOfCommand(command)).toBe(script);
  });
});

describe('gateScriptsOf', () => {
  it('keeps the bodies of the scripts the gate commands run, and no other script', () => {
    const commands = [
      { name: 'lint', command: 'npm run lint' },
      { name: 'test', command: 'npm test' },
      { name: 'check', command: 'make check' },
    ];
    expect(gateScriptsOf(commands, { lint: 'eslint .', test: 'node --test', start: 'node server.js' })).toEqual({ lint: 'eslint .', test: 'node --test' });
    expect(gateScriptsOf(commands, {})).toEqual({});
  });
});

describe('gateScriptChanges and the concern', () => {
  const recorded = { lint: 'eslint .', test: 'node --test' };

  it('finds a changed and a removed gate script, with the old and the new body', () => {
    const changes = gateScriptChanges(recorded, { test: 'exit 0', start: 'node .' });
    expect(changes).toEqual([
      { name: 'lint', before: 'eslint .', after: undefined },
      { name: 'test', before: 'node --test', after: 'exit 0' },
    ]);
    expect(changes.map(gateScriptConcern)).toEqual([
      'This task removed the gate script "lint" from package.json (it was `eslint .`); the runtime could not run that gate as recorded. Check that the task did not weaken its own gates.',
      'This task changed the gate script "test" in package.json: it was `node --test`, now `exit 0`. The gates ran the new script; check that the task did not weaken its own gates.',
    ]);
  });

  it('a script that was not recorded (the task created it) or is unchanged is no concern', () => {
    expect(gateScriptChanges(recorded, { ...recorded, build: 'tsc' })).toEqual([]);
    expect(gateScriptChanges({}, { test: 'node --test' })).toEqual([]);
  });
});

describe('nextGateScripts', () => {
  it('adds what a task created and takes what it changed or removed', () => {
    expect(nextGateScripts({ test: 'node --test' }, { test: 'node --test' }, { test: 'node --test --coverage', lint: 'eslint .' })).toEqual({ test: 'node --test --coverage', lint: 'eslint .' });
    expect(nextGateScripts({ test: 'node --test', lint: 'eslint .' }, { test: 'node --test', lint: 'eslint .' }, { test: 'node --test' })).toEqual({ test: 'node --test' });
  });

  it('a task that started before another changed a script does not undo that change', () => {
    // TASK-002 changed test while TASK-003 ran from the old record; TASK-003 left test as it found it.
    const recorded = { test: 'node --test --coverage' };
    expect(nextGateScripts(recorded, { test: 'node --test' }, { test: 'node --test' })).toEqual(recorded);
  });
});
