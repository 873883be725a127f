/** How an entry should look; the UI maps tones to colours, headless mode ignores them. */
export type Tone = 'plain' | 'info' | 'success' | 'warning' | 'error' | 'hint' | 'user' | 'agent' | 'banner' | 'accent' | 'dim';

/** A run of text inside an entry with its own tone (a highlighted stage, a command name). */
export interface Segment {
  readonly text: string;
  readonly tone?: Tone;
}

/** One block of the transcript. `text` is plain; `segments`, when present, is the same text styled. */
export interface TranscriptEntry {
  readonly id: number;
  readonly tone: Tone;
  readonly text: string;
  readonly segments?: readonly Segment[];
}

export type EntryInput = Omit<TranscriptEntry, 'id'>;

export const entry = {
  plain: (text: string): EntryInput => ({ tone: 'plain', text }),
  info: (text: string): EntryInput => ({ tone: 'info', text }),
  success: (text: string): EntryInput => ({ tone: 'success', text }),
  warning: (text: string): EntryInput => ({ tone: 'warning', text }),
  error: (text: string): EntryInput => ({ tone: 'error', text }),
  hint: (text: string): EntryInput => ({ tone: 'hint', text }),
  banner: (text: string): EntryInput => ({ tone: 'banner', text }),
  styled: (segments: readonly Segment[], tone: Tone = 'plain'): EntryInput => ({
    tone,
    text: segments.map((s) => s.text).join(''),
    segments,
  }),
};
