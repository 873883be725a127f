import { GATE_SPECS, type Gate } from '../../pipeline/gates.js';
import { STAGES } from '../../pipeline/stages.js';
import type { CommandDefinition } from '../types.js';

/**
 * The five gate commands share one shape: they only ask the session to check the artifacts
 * and send the event; the machine's guard decides.
 */
export function gateCommand(gate: Gate, summary: string): CommandDefinition {
  const spec = GATE_SPECS[gate];
  return {
    name: gate,
    aliases: [],
    // In its own stage it moves the pipeline; in a later one it re-approves changed artifacts.
    availability: { kind: 'stages', stages: STAGES.slice(STAGES.indexOf(spec.from), STAGES.indexOf('maintenance')) },
    summary,
    usage: spec.command,
    run: () => ({ kind: 'gate', gate }),
  };
}
