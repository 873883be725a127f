import { entry } from '../../transcript.js';
import type { CommandDefinition } from '../types.js';
import { BUILDER_STAGES } from './build-stages.js';

const USAGE = '!decide <id> <answer>   e.g. !decide D-1 Use SQLite';

/** `!decide D-1 <answer>`: answers a question a task raised (NEEDS_CONTEXT); the task resumes with it. */
export const decideCommand: CommandDefinition = {
  name: 'decide',
  aliases: [],
  availability: { kind: 'stages', stages: BUILDER_STAGES },
  summary: 'Answer a question the Builder raised (see !status); the task resumes with your answer',
  usage: USAGE,
  run(ctx) {
    const match = /^(\S+)\s+([\s\S]+)$/.exec(ctx.args.trim());
    const decisions = ctx.project?.handoff.build?.decisions ?? [];
    if (!match?.[1] || !match[2]) {
      const open = decisions.filter((d) => d.answer === undefined);
      const list = open.length > 0 ? `\nOpen decisions:\n${open.map((d) => `  ${d.id} (${d.taskId}): ${d.question}`).join('\n')}` : '\nNo decision is open.';
      return { kind: 'message', failed: true, entries: [entry.error(`!decide needs an id and an answer. Usage: ${USAGE}${list}`)] };
    }
    return { kind: 'build', action: { kind: 'decide', id: match[1].toUpperCase(), answer: match[2].trim() } };
  },
};
