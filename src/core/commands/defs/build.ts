import { gateCommand } from './gate-command.js';

/** `!build`: Gate: Planning → Builder (needs TDD, INTERFACES and a valid TASK-GRAPH). */
export const buildCommand = gateCommand('build', 'Gate: Planning → Builder (needs TDD, INTERFACES and a valid TASK-GRAPH)');
