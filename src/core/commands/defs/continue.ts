import type { CommandDefinition } from '../types.js';
import { BUILDER_STAGES } from './build-stages.js';

/** `!continue`: the next task after a per_task stop, or the build again after it stopped. */
export const continueCommand: CommandDefinition = {
  name: 'continue',
  aliases: [],
  availability: { kind: 'stages', stages: BUILDER_STAGES },
  summary: 'Go on with the build (after a per_task stop, a pause or a crash)',
  usage: '!continue',
  run: () => ({ kind: 'build', action: { kind: 'continue' } }),
};
