import { gateCommand } from './gate-command.js';

/** `!security`: Gate: Critic → Security (needs the Critic verdict). */
export const securityCommand = gateCommand('security', 'Gate: Critic → Security (needs the Critic verdict)');
