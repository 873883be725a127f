import type { CommandDefinition } from '../types.js';
import { STAGES } from '../../pipeline/stages.js';

/** `!pause`: stop the current stage and save; `!resume` or the resume menu continues it. */
export const pauseCommand: CommandDefinition = {
  name: 'pause',
  aliases: [],
  availability: { kind: 'stages', stages: STAGES },
  summary: 'Pause the current stage and save the state',
  usage: '!pause',
  run: () => ({ kind: 'pipeline', event: 'PAUSE' }),
};
