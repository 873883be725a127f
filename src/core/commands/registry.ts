import type { Stage } from '../pipeline/stages.js';
import type { CommandDefinition } from './types.js';

/** Where the person is: no project yet, or a project at a stage (possibly paused). */
export type Place = { readonly kind: 'no-project' } | { readonly kind: 'project'; readonly stage: Stage; readonly paused: boolean };

/** Every command, looked up by name or alias. Later stages register more through `register`. */
export class CommandRegistry {
  private readonly byName = new Map<string, CommandDefinition>();
  private readonly ordered: CommandDefinition[] = [];

  constructor(definitions: readonly CommandDefinition[] = []) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: CommandDefinition): void {
    for (const key of [definition.name, ...definition.aliases]) {
      if (this.byName.has(key)) throw new Error(`command name !${key} is registered twice`);
      this.byName.set(key, definition);
    }
    this.ordered.push(definition);
  }

  get(name: string): CommandDefinition | undefined {
    return this.byName.get(name.toLowerCase());
  }

  all(): readonly CommandDefinition[] {
    return this.ordered;
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}

/** Whether a command may run at a place; the reason is what the person reads when it may not. */
export function availabilityAt(definition: CommandDefinition, place: Place): { ok: true } | { ok: false; reason: string } {
  const availability = definition.availability;
  switch (availability.kind) {
    case 'always':
      return { ok: true };
    case 'project':
      return place.kind === 'project'
        ? { ok: true }
        : { ok: false, reason: `!${definition.name} needs an open project. Type \`Start agent 0\` to start or resume one.` };
    case 'stages': {
      if (place.kind === 'no-project') {
        return { ok: false, reason: `!${definition.name} needs an open project. Type \`Start agent 0\` to start or resume one.` };
      }
      const here = place.paused ? 'paused' : place.stage;
      if (availability.stages.includes(here)) return { ok: true };
      const where = availability.stages.map((s) => (s === 'paused' ? 'while paused' : `in ${s}`)).join(', ');
      const now = place.paused ? `paused in ${place.stage}` : `in ${place.stage}`;
      // Paused in a stage where the command would work: resuming is all it takes (for !pause, nothing is).
      const resume = !place.paused || !availability.stages.includes(place.stage) ? '' : definition.name === 'pause' ? ' It is already paused.' : ' Type !resume first.';
      return { ok: false, reason: `!${definition.name} is valid ${where}; the project is ${now}.${resume}` };
    }
  }
}
