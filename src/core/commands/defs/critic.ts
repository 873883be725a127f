import { entry } from '../../transcript.js';
import type { CommandDefinition } from '../types.js';
import { gateCommand } from './gate-command.js';

const gate = gateCommand('critic', 'Gate: Builder → Critic (needs a completed build); `fix` turns its findings into fix tasks');

/**
 * `!critic`: the gate Builder → Critic (needs a completed build). `!critic fix`, after a HOLD
 * or CONDITIONAL verdict, turns the Critic's findings into fix tasks for the Builder.
 */
export const criticCommand: CommandDefinition = {
  ...gate,
  usage: '!critic [fix]',
  run: (ctx) => {
    const arg = ctx.args.trim().toLowerCase();
    if (arg === '') return gate.run(ctx);
    if (arg === 'fix') return { kind: 'review', action: { kind: 'critic-fix' } };
    return { kind: 'message', failed: true, entries: [entry.error(`!critic takes no "${ctx.args.trim()}". Type !critic to open the Critic stage, or !critic fix to turn its findings into fix tasks.`)] };
  },
};
