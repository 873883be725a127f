import { entry } from '../../transcript.js';
import type { CommandDefinition } from '../types.js';
import { BUILDER_STAGES, parseTaskId } from './build-stages.js';

/** `!retry TASK-003`: runs a BLOCKED, STALLED or skipped task again from its last checkpoint. */
export const retryCommand: CommandDefinition = {
  name: 'retry',
  aliases: [],
  availability: { kind: 'stages', stages: BUILDER_STAGES },
  summary: 'Run a BLOCKED, STALLED or skipped task again from its last checkpoint',
  usage: '!retry TASK-NNN',
  run(ctx) {
    const taskId = parseTaskId(ctx.args);
    if (!taskId) return { kind: 'message', failed: true, entries: [entry.error(`!retry needs one task id, e.g. !retry TASK-003 (got "${ctx.args.trim()}").`)] };
    return { kind: 'build', action: { kind: 'retry', taskId } };
  },
};
