import { entry } from '../../transcript.js';
import type { CommandDefinition } from '../types.js';
import { BUILDER_STAGES, parseTaskId } from './build-stages.js';

/** `!skip TASK-003`: after a yes, the task never runs and its dependents are built without it. */
export const skipCommand: CommandDefinition = {
  name: 'skip',
  aliases: [],
  availability: { kind: 'stages', stages: BUILDER_STAGES },
  summary: 'Skip a task (asks first); tasks that depend on it are marked',
  usage: '!skip TASK-NNN',
  run(ctx) {
    const taskId = parseTaskId(ctx.args);
    if (!taskId) return { kind: 'message', failed: true, entries: [entry.error(`!skip needs one task id, e.g. !skip TASK-003 (got "${ctx.args.trim()}").`)] };
    return {
      kind: 'confirm',
      prompt: `Skip ${taskId}? It will not be built, and tasks that depend on it are built without it. Type yes to skip, anything else to keep it.`,
      action: { kind: 'skip', taskId },
    };
  },
};
