import { GATE_SPECS } from '../../pipeline/gates.js';
import { STAGES } from '../../pipeline/stages.js';
import type { CommandDefinition } from '../types.js';

/**
 * `!build`: the gate Planning → Builder (needs TDD, INTERFACES and a valid TASK-GRAPH); in a
 * later stage it re-approves the plan, and in Maintenance it builds the new tasks.
 */
export const buildCommand: CommandDefinition = {
  name: 'build',
  aliases: [],
  availability: { kind: 'stages', stages: STAGES.slice(STAGES.indexOf(GATE_SPECS.build.from)) },
  summary: 'Gate: Planning → Builder (needs TDD, INTERFACES and a valid TASK-GRAPH); in Maintenance, build the new tasks',
  usage: '!build',
  run: (ctx) => (ctx.project?.position.stage === 'maintenance' ? { kind: 'build', action: { kind: 'start' } } : { kind: 'gate', gate: 'build' }),
};
