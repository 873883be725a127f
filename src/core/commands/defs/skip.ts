import { entry } from '../../transcript.js';
import type { CommandDefinition } from '../types.js';
import { BUILDER_STAGES, parseTaskId } from './build-stages.js';

/**
 * `!skip TASK-003`: the Builder checks the task, then asks (naming the tasks that depend on it);
 * after a yes the task never runs and its dependents are built without it, marked. Works while
 * other tasks run, like !retry.
 */
export const skipCommand: CommandDefinition = {
  name: 'skip',
  aliases: [],
  availability: { kind: 'stages', stages: BUILDER_STAGES },
  summary: 'Skip a task (asks first, naming its dependents); they are built without it and marked',
  usage: '!skip TASK-NNN',
  run(ctx) {
    const taskId = parseTaskId(ctx.args);
    if (!taskId) return { kind: 'message', failed: true, entries: [entry.error(`!skip needs one task id, e.g. !skip TASK-003 (got "${ctx.args.trim()}").`)] };
    return { kind: 'build', action: { kind: 'skip', taskId } };
  },
};
