import type { CommandDefinition } from '../types.js';

/** `!quit`: save and leave the REPL. */
export const quitCommand: CommandDefinition = {
  name: 'quit',
  aliases: ['exit', 'q'],
  availability: { kind: 'always' },
  summary: 'Save and leave CodeSleuth',
  usage: '!quit',
  run: () => ({ kind: 'quit' }),
};
