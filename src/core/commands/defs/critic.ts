import { gateCommand } from './gate-command.js';

/** `!critic`: Gate: Builder → Critic (needs a completed build). */
export const criticCommand = gateCommand('critic', 'Gate: Builder → Critic (needs a completed build)');
