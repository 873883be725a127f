import type { CommandDefinition } from '../types.js';

/** `!reset`: back to Discovery after the person types `yes`; the old state is backed up. */
export const resetCommand: CommandDefinition = {
  name: 'reset',
  aliases: [],
  availability: { kind: 'project' },
  summary: 'Return the project to Discovery (asks first; keeps a backup)',
  usage: '!reset',
  run(ctx) {
    const project = ctx.project!;
    return {
      kind: 'confirm',
      action: { kind: 'reset' },
      prompt: `Reset ${project.handoff.project.name} to Discovery? Approvals are cleared; HANDOFF.json is backed up first and your project files are not touched. Type yes to reset, anything else to keep going.`,
    };
  },
};
