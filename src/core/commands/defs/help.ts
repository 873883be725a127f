import { entry } from '../../transcript.js';
import { renderTable } from '../../render/table.js';
import { availabilityAt, type Place } from '../registry.js';
import type { CommandAvailability, CommandContext, CommandDefinition } from '../types.js';

function describeAvailability(availability: CommandAvailability): string {
  switch (availability.kind) {
    case 'always':
      return 'any time';
    case 'project':
      return 'with an open project';
    case 'stages':
      return availability.stages.map((s) => (s === 'paused' ? 'while paused' : s)).join(', ');
  }
}

function placeOf(ctx: CommandContext): Place {
  return ctx.project
    ? { kind: 'project', stage: ctx.project.position.stage, paused: ctx.project.position.paused }
    : { kind: 'no-project' };
}

/** `!help` lists the commands valid right now; `!help CMD` explains one. */
export const helpCommand: CommandDefinition = {
  name: 'help',
  aliases: ['h', '?'],
  availability: { kind: 'always' },
  summary: 'Show the commands valid now, or how to use one',
  usage: '!help [command]',
  run(ctx) {
    const wanted = ctx.args.replace(/^!/, '').trim();
    if (wanted) {
      const definition = ctx.registry.get(wanted);
      if (!definition) {
        return { kind: 'message', failed: true, entries: [entry.error(`There is no command !${wanted}. Type !help to list the commands.`)] };
      }
      const aliases = definition.aliases.length > 0 ? `\nAliases: ${definition.aliases.map((a) => `!${a}`).join(', ')}` : '';
      return {
        kind: 'message',
        entries: [
          entry.info(
            `!${definition.name} — ${definition.summary}\nUsage: ${definition.usage}\nValid: ${describeAvailability(definition.availability)}${aliases}`,
          ),
        ],
      };
    }
    const place = placeOf(ctx);
    const rows = ctx.registry
      .all()
      .filter((d) => availabilityAt(d, place).ok)
      .map((d) => [d.usage, d.summary]);
    const where = ctx.project
      ? `in ${ctx.project.position.stage}${ctx.project.position.paused ? ' (paused)' : ''}`
      : 'before a project is open';
    const start = ctx.project ? '' : ctx.waitingFor ? `\nThe Orchestrator is waiting for your answer (${ctx.waitingFor}).` : '\nType `Start agent 0` to start the Orchestrator.';
    return {
      kind: 'message',
      entries: [
        entry.info(
          `${renderTable([{ header: 'Command', maxWidth: 30 }, { header: 'What it does', maxWidth: 42 }], rows, `Commands valid ${where}:`)}${start}\n!help CMD explains one command.`,
        ),
      ],
    };
  },
};
