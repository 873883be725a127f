import { resetPrompt } from '../../handoff/reset-scope.js';
import type { CommandDefinition } from '../types.js';

/** `!reset`: the pipeline starts over in Discovery after the person types `yes`; the old state is backed up. */
export const resetCommand: CommandDefinition = {
  name: 'reset',
  aliases: [],
  availability: { kind: 'project' },
  summary: 'Start the pipeline over in Discovery (asks first; keeps a backup)',
  usage: '!reset',
  run(ctx) {
    const project = ctx.project!;
    return {
      kind: 'confirm',
      action: { kind: 'reset' },
      prompt: resetPrompt(project.handoff, project.handoffPath),
    };
  },
};
