import type { CommandDefinition } from '../types.js';

/** `!resume`: continue a paused project where it stopped. */
export const resumeCommand: CommandDefinition = {
  name: 'resume',
  aliases: [],
  availability: { kind: 'stages', stages: ['paused'] },
  summary: 'Continue a paused project where it stopped',
  usage: '!resume',
  run: () => ({ kind: 'pipeline', event: 'RESUME' }),
};
