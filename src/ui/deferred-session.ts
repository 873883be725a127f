import type { Session, SessionEvent, SessionStatus, SubmitOutcome } from '../core/session/session.js';

/** What the REPL needs of a session; `Session` itself fits it. */
export type SessionLike = Pick<Session, 'subscribe' | 'status' | 'submit' | 'cancel' | 'shutdown'>;

const BEFORE_LOAD: SessionStatus = { agent: 'Orchestrator (agent 0)', budget: 'budget: not set', budgetTier: 'ok' };

/**
 * A session that is still loading: the prompt is drawn before the pipeline, schemas and stores
 * are loaded, and lines typed meanwhile wait for them in order.
 */
export function deferSession(loading: Promise<Session>): SessionLike {
  let loaded: Session | undefined;
  void loading.then((session) => {
    loaded = session;
  }, () => undefined);
  return {
    subscribe(listener: (event: SessionEvent) => void) {
      let unsubscribe: (() => void) | undefined;
      let active = true;
      void loading.then((session) => {
        if (active) unsubscribe = session.subscribe(listener);
      }, () => undefined);
      return () => {
        active = false;
        unsubscribe?.();
      };
    },
    status: () => loaded?.status() ?? BEFORE_LOAD,
    submit: async (line: string): Promise<SubmitOutcome> => (await loading).submit(line),
    cancel: () => loaded?.cancel() ?? false,
    shutdown: async () => {
      const session = await loading.catch(() => undefined);
      await session?.shutdown();
    },
  };
}
