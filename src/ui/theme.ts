import type { Tone } from '../core/transcript.js';

/** The one mapping from a transcript tone to an Ink colour. */
export const TONE_COLOR: Record<Tone, string | undefined> = {
  plain: undefined,
  info: undefined,
  success: 'green',
  warning: 'yellow',
  error: 'red',
  hint: 'cyan',
  user: 'white',
  agent: 'white',
  banner: 'magenta',
  accent: 'cyanBright',
  dim: 'gray',
};
