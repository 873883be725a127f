import { gateCommand } from './gate-command.js';

/** `!verify`: Gate: Security → Verifier (needs a security report). */
export const verifyCommand = gateCommand('verify', 'Gate: Security → Verifier (needs a security report)');
