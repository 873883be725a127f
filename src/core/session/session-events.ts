import type { TranscriptEntry } from '../transcript.js';

/** What the status bar shows. */
export interface SessionStatus {
  readonly project?: string;
  readonly stage?: string;
  readonly agent: string;
  readonly budget: string;
  /** How close spending is to the cap: the status bar warns from 80 %. */
  readonly budgetTier: 'ok' | 'warning' | 'exhausted';
  readonly waitingFor?: string;
}

/** What the UI and the headless runner hear from the session: one stream for both. */
export type SessionEvent =
  | { readonly type: 'entry'; readonly entry: TranscriptEntry }
  | { readonly type: 'status'; readonly status: SessionStatus }
  /**
   * The agent's text while it streams in (wraps), or the Builder's task board (`board`: one
   * line per task, cut at the terminal's width); undefined once it became an entry or the build ended.
   */
  | { readonly type: 'live'; readonly text: string | undefined; readonly board?: boolean }
  /** Something waits for the person: the terminal bell. */
  | { readonly type: 'bell' };

/** How one submitted line ended: `ok` is false when it printed an error. */
export interface SubmitOutcome {
  readonly ok: boolean;
  readonly quit: boolean;
}
