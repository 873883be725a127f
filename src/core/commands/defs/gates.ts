import { gateLineSchema, gateNameSchema, type GatesChange } from '../../build/gate-settings.js';
import { entry } from '../../transcript.js';
import type { CommandDefinition, CommandResult } from '../types.js';

const USAGE = '!gates | !gates set <name> <command> | !gates remove <name> | !gates reset';

function failure(text: string): CommandResult {
  return { kind: 'message', failed: true, entries: [entry.error(text)] };
}

/** The command line as typed, without one pair of quotes around all of it (`"node --test"`). */
function unquoted(text: string): string {
  const match = /^(["'])([\s\S]*)\1$/.exec(text.trim());
  return match ? match[2]! : text;
}

/** Reads what follows `!gates`: the change it asks for, or the message saying what to type. */
export function parseGatesArgs(args: string): { readonly ok: true; readonly change: GatesChange } | { readonly ok: false; readonly message: string } {
  const text = args.trim();
  const [verb = '', ...rest] = text.split(/\s+/).filter(Boolean);
  switch (verb.toLowerCase()) {
    case '':
    case 'show':
      return rest.length === 0 ? { ok: true, change: { kind: 'show' } } : { ok: false, message: `!gates ${verb} takes nothing more. Usage: ${USAGE}` };
    case 'reset':
      return rest.length === 0 ? { ok: true, change: { kind: 'reset' } } : { ok: false, message: `!gates reset takes nothing more (it goes back to the detected gates). Usage: ${USAGE}` };
    case 'remove': {
      if (rest.length !== 1) return { ok: false, message: `!gates remove takes one gate name, e.g. !gates remove lint. Usage: ${USAGE}` };
      const name = gateNameSchema.safeParse(rest[0]);
      if (!name.success) return { ok: false, message: `"${rest[0]}" is not a gate name: ${name.error.issues[0]!.message}.` };
      return { ok: true, change: { kind: 'remove', name: name.data } };
    }
    case 'set': {
      const match = /^\S+\s+(\S+)(?:\s+([\s\S]*))?$/.exec(text);
      if (!match) return { ok: false, message: `!gates set needs a gate name and the command it runs, e.g. !gates set test npm test. Usage: ${USAGE}` };
      const name = gateNameSchema.safeParse(match[1]);
      if (!name.success) return { ok: false, message: `"${match[1]}" is not a gate name: ${name.error.issues[0]!.message}. For example: !gates set test npm test.` };
      const command = gateLineSchema.safeParse(unquoted(match[2] ?? ''));
      if (!command.success) return { ok: false, message: `!gates set ${name.data} needs the command to run: ${command.error.issues[0]!.message}. For example: !gates set ${name.data} npm test.` };
      return { ok: true, change: { kind: 'set', name: name.data, command: command.data } };
    }
    default:
      return { ok: false, message: `!gates does not know "${verb}". Usage: ${USAGE}` };
  }
}

/**
 * `!gates`: the gate commands that decide whether a task is DONE, where they come from and what
 * each runs; `set`, `remove` and `reset` change the person's own list in HANDOFF.json. The build
 * controller reads the project's files and saves the change.
 */
export const gatesCommand: CommandDefinition = {
  name: 'gates',
  aliases: [],
  availability: { kind: 'project' },
  summary: 'Show the gate commands that decide when a task is DONE; set, remove or reset them',
  usage: USAGE,
  run(ctx) {
    const parsed = parseGatesArgs(ctx.args);
    if (!parsed.ok) return failure(parsed.message);
    return { kind: 'build', action: { kind: 'gates', change: parsed.change } };
  },
};
