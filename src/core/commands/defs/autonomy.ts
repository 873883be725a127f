import { AUTONOMY_MODES, type AutonomyMode } from '../../build/build-record.js';
import { entry } from '../../transcript.js';
import type { CommandDefinition } from '../types.js';

/** `!autonomy per_task|end_only`: stop after each task for !continue, or only at the end. */
export const autonomyCommand: CommandDefinition = {
  name: 'autonomy',
  aliases: [],
  availability: { kind: 'project' },
  summary: 'per_task: stop after each task until !continue; end_only (default): report at the end',
  usage: '!autonomy per_task|end_only',
  run(ctx) {
    const mode = ctx.args.trim().toLowerCase().replace('-', '_');
    const current = ctx.project?.handoff.build?.autonomy ?? 'end_only';
    if (mode === '') return { kind: 'message', entries: [entry.info(`Autonomy is ${current}. Type !autonomy per_task or !autonomy end_only to change it.`)] };
    if (!(AUTONOMY_MODES as readonly string[]).includes(mode)) {
      return { kind: 'message', failed: true, entries: [entry.error(`!autonomy takes per_task or end_only (got "${ctx.args.trim()}").`)] };
    }
    return { kind: 'build', action: { kind: 'autonomy', mode: mode as AutonomyMode } };
  },
};
