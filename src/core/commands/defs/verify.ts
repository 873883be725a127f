import { entry } from '../../transcript.js';
import type { CommandDefinition } from '../types.js';
import { gateCommand } from './gate-command.js';

const gate = gateCommand('verify', 'Gate: Security → Verifier (needs a security report, no open blocking finding); later, verify again');

/**
 * `!verify`: the gate Security → Verifier (needs a security report without an open
 * CRITICAL or HIGH finding). Typed in the Verifier stage (after a HOLD) or in Maintenance
 * (after maintenance tasks were built), it runs the scanners, the release checks and the Verifier again.
 */
export const verifyCommand: CommandDefinition = {
  ...gate,
  availability: { kind: 'stages', stages: ['security', 'verification', 'maintenance'] },
  run: (ctx) => {
    if (ctx.args.trim() !== '') return { kind: 'message', failed: true, entries: [entry.error('!verify takes nothing after it.')] };
    const stage = ctx.project?.position.stage;
    if (stage === 'verification' || stage === 'maintenance') return { kind: 'review', action: { kind: 'reverify' } };
    return gate.run(ctx);
  },
};
