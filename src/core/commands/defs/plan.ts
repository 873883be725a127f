import { gateCommand } from './gate-command.js';

/** `!plan`: Gate: Discovery → Planning (needs a valid feature-spec.md). */
export const planCommand = gateCommand('plan', 'Gate: Discovery → Planning (needs a valid feature-spec.md)');
