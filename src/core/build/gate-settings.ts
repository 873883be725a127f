import { z } from 'zod';
import { GATE_ORDER, SET_HINT, type GateCommand, type GateDetection } from './gate-commands.js';

/*
 * The person's own gate commands (`!gates`): what they may type, how a change turns the list
 * in force into the one stored in HANDOFF.json build.gateCommands, and how the list is shown.
 * Pure; the build controller reads the project's files and saves the result.
 */

/** What `!gates` asks for: show the gates, set or remove one, or go back to detection. */
export type GatesChange =
  | { readonly kind: 'show' }
  | { readonly kind: 'set'; readonly name: string; readonly command: string }
  | { readonly kind: 'remove'; readonly name: string }
  | { readonly kind: 'reset' };

/** A gate's name as a person types it: lint, typecheck, test, build or any short lowercase word. */
export const gateNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,19}$/, 'a gate name is a short lowercase word (a letter, then up to 19 letters, digits or "-"), such as test or e2e');

/** A gate's command line: one non-empty line. */
export const gateLineSchema = z
  .string()
  .trim()
  .min(1, 'the command must not be empty')
  .refine((c) => !/[\r\n]/.test(c), 'the command must be one line');

/** The outcome of a change: the list to store (undefined: none, detection applies) and what to tell the person. */
export type GatesApplied =
  | { readonly ok: true; readonly changed: boolean; readonly next: readonly GateCommand[] | undefined; readonly text: string }
  | { readonly ok: false; readonly message: string };

const CHANGE_HINT = '!gates set <name> <command> · !gates remove <name> · !gates reset (back to the detected ones)';

function rank(name: string): number {
  const at = (GATE_ORDER as readonly string[]).indexOf(name);
  return at === -1 ? GATE_ORDER.length : at;
}

/** `list` with `gate` in place of the one of its name, or added where its kind runs (cheap checks first, others last). */
function withGate(list: readonly GateCommand[], gate: GateCommand): GateCommand[] {
  if (list.some((g) => g.name === gate.name)) return list.map((g) => (g.name === gate.name ? gate : g));
  const before = list.findIndex((g) => rank(g.name) > rank(gate.name));
  return before === -1 ? [...list, gate] : [...list.slice(0, before), gate, ...list.slice(before)];
}

function lines(list: readonly GateCommand[]): string {
  return list.map((g) => `  ${g.name.padEnd(10)} ${g.command}`).join('\n');
}

/**
 * Applies a set, remove or reset to the gates in force: the person's `override` when there is
 * one, else the `detected` ones (which the first change copies, so they stay in force beside it).
 */
export function applyGatesChange(change: Exclude<GatesChange, { kind: 'show' }>, detected: GateDetection, override?: readonly GateCommand[]): GatesApplied {
  const base = override ?? detected.commands;
  switch (change.kind) {
    case 'reset': {
      if (!override) return { ok: true, changed: false, next: undefined, text: `The gate commands are already the ones detected from the project; nothing changed.\n${renderGates(detected)}` };
      return { ok: true, changed: true, next: undefined, text: `Your gate commands are removed from HANDOFF.json; the detected ones apply again.\n${renderGates(detected)}` };
    }
    case 'set': {
      const next = withGate(base, { name: change.name, command: change.command });
      const verb = base.some((g) => g.name === change.name) ? 'replaced' : 'added';
      return { ok: true, changed: true, next, text: `Gate ${change.name} ${verb}: ${change.command}\n${renderGates(detected, next)}` };
    }
    case 'remove': {
      if (!base.some((g) => g.name === change.name)) {
        const names = base.map((g) => g.name).join(', ');
        return { ok: false, message: `There is no gate named "${change.name}"${names ? ` (the gates are: ${names})` : ' (there are no gates)'}. Type !gates to see them.` };
      }
      const next = base.filter((g) => g.name !== change.name);
      if (next.length === 0) {
        return {
          ok: false,
          message: `"${change.name}" is the only gate, and a build needs at least one (every task would fail without it); nothing changed. Type !gates set ${change.name} <command> to change it, or !gates reset to go back to the detected ones.`,
        };
      }
      return { ok: true, changed: true, next, text: `Gate ${change.name} removed.\n${renderGates(detected, next)}` };
    }
  }
}

/** What `!gates` shows: the gates in force, where they come from, what each runs, and how to change them. */
export function renderGates(detected: GateDetection, override?: readonly GateCommand[]): string {
  if (override) {
    const unused = detected.commands.length > 0 ? `\nDetected from the project but not used while yours are set: ${detected.commands.map((g) => `${g.name} (${g.command})`).join(', ')}.` : '';
    return `Gate commands in force, set by you (HANDOFF.json build.gateCommands), run in this order:\n${lines(override)}${unused}\nChange: ${CHANGE_HINT}`;
  }
  const said = [...detected.notes, ...(detected.problem ? [detected.problem] : [])];
  if (detected.commands.length === 0) {
    return `No gate commands: ${said.join('; ') || 'none found in the project'}.\nEvery task fails its gates until there is one. Type ${SET_HINT}, e.g. !gates set test npm test.`;
  }
  const rows = detected.commands.map((g) => `  ${g.name.padEnd(10)} ${g.command}${detected.sources?.[g.name] ? `   (from ${detected.sources[g.name]})` : ''}`).join('\n');
  const notes = said.length > 0 ? `\nNote: ${said.join('; ')}.` : '';
  return `Gate commands in force, detected from the project (read again as each task finishes), run in this order:\n${rows}${notes}\nChange: ${CHANGE_HINT}`;
}
