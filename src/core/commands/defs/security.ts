import { entry } from '../../transcript.js';
import type { CommandDefinition, CommandResult } from '../types.js';
import { gateCommand } from './gate-command.js';

const gate = gateCommand('security', 'Gate: Critic → Security (needs the Critic verdict); `fix` or `accept` findings');

const fail = (text: string): CommandResult => ({ kind: 'message', failed: true, entries: [entry.error(text)] });

/**
 * `!security`: the gate Critic → Security (needs the Critic verdict). `!security fix` turns
 * the open findings into fix tasks; `!security accept <id> <reason>` accepts one finding's
 * risk in writing (the reason is required and recorded).
 */
export const securityCommand: CommandDefinition = {
  ...gate,
  // In Maintenance too, for what `!verify`'s new scan finds (the gate itself is behind it).
  availability: gate.availability.kind === 'stages' ? { kind: 'stages', stages: [...gate.availability.stages, 'maintenance'] } : gate.availability,
  usage: '!security [fix | accept <id> <reason>]',
  run: (ctx) => {
    const args = ctx.args.trim();
    if (args === '' && ctx.project?.position.stage === 'maintenance') {
      return fail('In Maintenance the scanners run again with !verify; then !security fix turns open findings into fix tasks, or !security accept <id> <reason> accepts one in writing.');
    }
    if (args === '') return gate.run(ctx);
    const [sub = '', id = '', ...rest] = args.split(/\s+/);
    switch (sub.toLowerCase()) {
      case 'fix':
        if (id !== '') return fail(`!security fix takes nothing after it (it makes tasks of every open finding). To accept one, type !security accept ${id} <reason>.`);
        return { kind: 'review', action: { kind: 'security-fix' } };
      case 'accept': {
        if (id === '') return fail('Name the finding and say why its risk is acceptable: !security accept <id> <reason> (the ids are in SECURITY_REPORT.md).');
        const reason = rest.join(' ').trim();
        if (reason === '') return fail(`Accepting ${id} needs a written reason, which is recorded: !security accept ${id} <why the risk is acceptable>.`);
        return { kind: 'review', action: { kind: 'security-accept', findingId: id, reason } };
      }
      default:
        return fail(`!security takes fix or accept, not "${sub}". Type !security, !security fix, or !security accept <id> <reason>.`);
    }
  },
};
