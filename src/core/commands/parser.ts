import { availabilityAt, type CommandRegistry, type Place } from './registry.js';
import { closestName } from './suggest.js';
import type { CommandDefinition } from './types.js';

/** What one line of input means, before anything runs. */
export type ParsedInput =
  | { readonly kind: 'empty' }
  | { readonly kind: 'start-agent'; readonly agent: number }
  | { readonly kind: 'command'; readonly definition: CommandDefinition; readonly args: string }
  | { readonly kind: 'unknown-command'; readonly name: string; readonly suggestion?: string }
  | { readonly kind: 'unavailable'; readonly definition: CommandDefinition; readonly reason: string }
  | { readonly kind: 'text'; readonly text: string };

const START_AGENT = /^start\s+agent\s+(\d+)$/i;
const BANG = /^!(\S*)\s*([\s\S]*)$/;

/** Pure: classifies a line against the registry and where the person is. */
export function parseInput(line: string, registry: CommandRegistry, place: Place): ParsedInput {
  const text = line.trim();
  if (text === '') return { kind: 'empty' };

  const start = START_AGENT.exec(text.replace(/\s+/g, ' '));
  if (start) return { kind: 'start-agent', agent: Number(start[1]) };

  const bang = BANG.exec(text);
  if (!bang) return { kind: 'text', text };

  const name = (bang[1] ?? '').toLowerCase();
  const args = (bang[2] ?? '').trim();
  const definition = registry.get(name);
  if (!definition) {
    const suggestion = name === '' ? undefined : closestName(name, registry.names());
    return suggestion === undefined ? { kind: 'unknown-command', name } : { kind: 'unknown-command', name, suggestion };
  }
  const available = availabilityAt(definition, place);
  if (!available.ok) return { kind: 'unavailable', definition, reason: available.reason };
  return { kind: 'command', definition, args };
}
