import { afterEach, describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/core/commands/defs/index.js';
import { gatesCommand } from '../../../src/core/commands/defs/gates.js';
import { task } from '../build/build-fixtures.js';
import { builds, cleanUp, heldStep, setUp, type Harness } from './build-controller-fixtures.js';

/*
 * !gates as the person meets it: typed, turned into a build action, carried out by the
 * controller over real stores; the list lands in HANDOFF.json and the next build's tasks gate with it.
 */

afterEach(cleanUp);

const registry = createBuiltinRegistry();

/** Runs `!gates <args>` as the session does: the command's action, carried out by the controller. */
async function gates(h: Harness, args: string): Promise<void> {
  const result = gatesCommand.run({ args, registry });
  if (result.kind !== 'build') throw new Error(`!gates ${args} gave ${result.kind}`);
  await h.controller.act(h.project, result.action);
}

describe('BuildController: !gates', () => {
  it('stores !gates set test "node --test" in HANDOFF.json, and the next build gates with it', async () => {
    const h = await setUp({ tasks: [task('TASK-001')], steps: { 'TASK-001': [builds] } });
    h.detected = { commands: [{ name: 'lint', command: 'npm run lint' }], notes: [], sources: { lint: 'package.json script "lint": eslint .' } };

    await gates(h, 'set test "node --test"');

    // The detected lint stays in force beside the person's test, cheap check first.
    const list = [
      { name: 'lint', command: 'npm run lint' },
      { name: 'test', command: 'node --test' },
    ];
    expect((await h.stored()).build?.gateCommands).toEqual(list);
    expect(h.seen.said.at(-1)).toEqual({ tone: 'success', text: expect.stringContaining('Gate test added: node --test') });
    expect(h.text()).toContain('Saved in HANDOFF.json; the next build task gates with this list.');

    await h.controller.start(h.project);
    expect(h.executions.map((e) => e.gateCommands)).toEqual([list]);
  });

  it('shows where the gates come from and what each runs, before and after the person sets one', async () => {
    const h = await setUp({ tasks: [task('TASK-001')] });
    h.detected = { commands: [{ name: 'test', command: 'cargo test' }, { name: 'build', command: 'cargo build' }], notes: [], sources: { test: 'Cargo.toml', build: 'Cargo.toml' } };

    await gates(h, '');
    expect(h.seen.said.at(-1)!.text).toBe(
      [
        'Gate commands in force, detected from the project (read again as each task finishes), run in this order:',
        '  test       cargo test   (from Cargo.toml)',
        '  build      cargo build   (from Cargo.toml)',
        'Change: !gates set <name> <command> · !gates remove <name> · !gates reset (back to the detected ones)',
      ].join('\n'),
    );

    await gates(h, 'set test cargo test --all');
    await gates(h, 'show');
    expect(h.seen.said.at(-1)!.text).toContain('Gate commands in force, set by you (HANDOFF.json build.gateCommands), run in this order:\n  test       cargo test --all\n  build      cargo build');
    expect(h.seen.said.at(-1)!.text).toContain('Detected from the project but not used while yours are set: test (cargo test), build (cargo build).');
  });

  it('removes a gate, refuses to remove the last one, and !gates reset goes back to detection', async () => {
    const h = await setUp({ tasks: [task('TASK-001')] });
    await gates(h, 'set test node --test');
    await gates(h, 'set e2e node e2e.mjs');
    await gates(h, 'remove e2e');
    expect((await h.stored()).build?.gateCommands).toEqual([{ name: 'test', command: 'node --test' }]);

    await gates(h, 'remove test');
    expect(h.seen.said.at(-1)).toEqual({ tone: 'error', text: expect.stringContaining('"test" is the only gate') });
    await gates(h, 'remove lint');
    expect(h.seen.said.at(-1)).toEqual({ tone: 'error', text: 'There is no gate named "lint" (the gates are: test). Type !gates to see them.' });
    expect((await h.stored()).build?.gateCommands).toEqual([{ name: 'test', command: 'node --test' }]);

    await gates(h, 'reset');
    expect((await h.stored()).build?.gateCommands).toBeUndefined();
    expect(h.seen.said.at(-1)!.text).toContain('Your gate commands are removed from HANDOFF.json; the detected ones apply again.\nNo gate commands: no gate commands found.');
  });

  it('refuses a change while the build runs, and the running task keeps the list it started with', async () => {
    const held = heldStep();
    const h = await setUp({ tasks: [task('TASK-001')], steps: { 'TASK-001': [held.step] } });
    await gates(h, 'set test node --test');

    const started = h.controller.start(h.project);
    await held.running.promise;
    await gates(h, 'set test exit 0');
    expect(h.seen.said.at(-1)).toEqual({ tone: 'warning', text: expect.stringContaining('The build is running, and its tasks use the gate commands they started with') });
    await gates(h, '');
    expect(h.seen.said.at(-1)!.text).toContain('  test       node --test');
    held.release.open();
    await started;

    expect(h.executions[0]!.gateCommands).toEqual([{ name: 'test', command: 'node --test' }]);
    expect((await h.stored()).build?.gateCommands).toEqual([{ name: 'test', command: 'node --test' }]);
  });

  it('drops the recorded gate scripts when the list changes, so the next build records the new list\'s', async () => {
    const h = await setUp({ tasks: [task('TASK-001')], steps: { 'TASK-001': [builds] } });
    await h.project.update((handoff) => ({ ...handoff, build: { autonomy: 'end_only', decisions: [], gateScripts: { test: 'vitest run' } } }));
    h.gateScripts = { e2e: 'node e2e.mjs' };

    await gates(h, 'set e2e npm run e2e');
    expect((await h.stored()).build?.gateScripts).toBeUndefined();
    await h.controller.start(h.project);
    expect((await h.stored()).build?.gateScripts).toEqual({ e2e: 'node e2e.mjs' });
  });
});
