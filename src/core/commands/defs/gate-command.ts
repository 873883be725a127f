import { GATE_SPECS, type Gate } from '../../pipeline/gates.js';
import type { CommandDefinition } from '../types.js';

/**
 * The five gate commands share one shape: valid in the stage the gate leaves, and they only
 * ask the session to check the artifacts and send the event. The machine's guard decides.
 */
export function gateCommand(gate: Gate, summary: string): CommandDefinition {
  const spec = GATE_SPECS[gate];
  return {
    name: gate,
    aliases: [],
    availability: { kind: 'stages', stages: [spec.from] },
    summary,
    usage: spec.command,
    run: () => ({ kind: 'gate', gate }),
  };
}
