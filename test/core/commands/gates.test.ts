import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/core/commands/defs/index.js';
import { gatesCommand, parseGatesArgs } from '../../../src/core/commands/defs/gates.js';
import { applyGatesChange, renderGates } from '../../../src/core/build/gate-settings.js';
import type { GateDetection } from '../../../src/core/build/gate-commands.js';
import { busyRefusal } from '../../../src/core/session/session-status.js';

const registry = createBuiltinRegistry();

describe('!gates: what the person types', () => {
  it.each([
    ['', { kind: 'show' }],
    ['show', { kind: 'show' }],
    ['reset', { kind: 'reset' }],
    ['set test node --test', { kind: 'set', name: 'test', command: 'node --test' }],
    ['set test "node --test"', { kind: 'set', name: 'test', command: 'node --test' }],
    ["SET e2e  'npx playwright test'  ", { kind: 'set', name: 'e2e', command: 'npx playwright test' }],
    ['set lint eslint "src/**/*.ts"', { kind: 'set', name: 'lint', command: 'eslint "src/**/*.ts"' }],
    ['remove lint', { kind: 'remove', name: 'lint' }],
  ])('!gates %s', (args, change) => {
    expect(parseGatesArgs(args)).toEqual({ ok: true, change });
    expect(gatesCommand.run({ args, registry })).toEqual({ kind: 'build', action: { kind: 'gates', change } });
  });

  it.each([
    ['set', '!gates set needs a gate name and the command it runs, e.g. !gates set test npm test.'],
    ['set test', '!gates set test needs the command to run: the command must not be empty. For example: !gates set test npm test.'],
    ['set test ""', '!gates set test needs the command to run: the command must not be empty.'],
    ['set Test npm test', '"Test" is not a gate name: a gate name is a short lowercase word'],
    ['set unit_tests npm test', '"unit_tests" is not a gate name'],
    ['set a-very-long-gate-name-indeed x', '"a-very-long-gate-name-indeed" is not a gate name'],
    ['set test npm test\nrm -rf /', '!gates set test needs the command to run: the command must be one line.'],
    ['remove', '!gates remove takes one gate name, e.g. !gates remove lint.'],
    ['remove lint test', '!gates remove takes one gate name'],
    ['remove 9', '"9" is not a gate name'],
    ['reset now', '!gates reset takes nothing more'],
    ['show all', '!gates show takes nothing more'],
    ['add test x', '!gates does not know "add". Usage: !gates | !gates set <name> <command> | !gates remove <name> | !gates reset'],
  ])('!gates %j says what to type', (args, message) => {
    const result = gatesCommand.run({ args, registry });
    expect(result.kind).toBe('message');
    if (result.kind !== 'message') return;
    expect(result.failed).toBe(true);
    expect(result.entries[0]!.tone).toBe('error');
    expect(result.entries[0]!.text).toContain(message);
  });

  it('is listed by !help with its usage', () => {
    const help = registry.get('help')!.run({ args: 'gates', registry });
    expect(help.kind === 'message' && help.entries[0]!.text).toContain('Usage: !gates | !gates set <name> <command> | !gates remove <name> | !gates reset');
  });
});

describe('applyGatesChange', () => {
  const detected: GateDetection = { commands: [{ name: 'lint', command: 'npm run lint' }, { name: 'build', command: 'npm run build' }], notes: [] };

  it('adds a known gate where its kind runs and another name last, and replaces one in place', () => {
    const withTest = applyGatesChange({ kind: 'set', name: 'test', command: 'node --test' }, detected);
    expect(withTest.ok && withTest.next).toEqual([
      { name: 'lint', command: 'npm run lint' },
      { name: 'test', command: 'node --test' },
      { name: 'build', command: 'npm run build' },
    ]);
    const withE2e = applyGatesChange({ kind: 'set', name: 'e2e', command: 'node e2e.mjs' }, detected, withTest.ok ? withTest.next : undefined);
    expect(withE2e.ok && withE2e.next!.map((g) => g.name)).toEqual(['lint', 'test', 'build', 'e2e']);
    const replaced = applyGatesChange({ kind: 'set', name: 'lint', command: 'eslint .' }, detected);
    expect(replaced.ok && replaced.next).toEqual([{ name: 'lint', command: 'eslint .' }, { name: 'build', command: 'npm run build' }]);
    expect(replaced.ok && replaced.text).toMatch(/^Gate lint replaced: eslint \./);
  });

  it('says nothing changed when reset finds no list of the person', () => {
    const reset = applyGatesChange({ kind: 'reset' }, detected);
    expect(reset).toMatchObject({ ok: true, changed: false, next: undefined });
    expect(reset.ok && reset.text).toContain('already the ones detected from the project; nothing changed');
  });
});

describe('renderGates', () => {
  it('says what to type when there are no gates, with the problem found', () => {
    expect(renderGates({ commands: [], notes: [], problem: '/p/package.json is not valid JSON' })).toBe(
      'No gate commands: /p/package.json is not valid JSON.\nEvery task fails its gates until there is one. Type !gates set test <command>, e.g. !gates set test npm test.',
    );
  });
});

describe('!gates while an agent works', () => {
  const busy = { building: false, agentActive: true, agentWaiting: false };

  it('shows the gates, but a change waits for the agent', () => {
    expect(busyRefusal({ kind: 'build', action: { kind: 'gates', change: { kind: 'show' } } }, busy)).toBeUndefined();
    expect(busyRefusal({ kind: 'build', action: { kind: 'gates', change: { kind: 'reset' } } }, busy)).toBe(
      'The agent is working — wait for it, or press Ctrl+C to cancel its turn, before changing the gate commands.',
    );
  });
});
