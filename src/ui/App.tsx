import { Box, Static, Text, useApp, useInput, useStdout } from 'ink';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SessionStatus } from '../core/session/session.js';
import type { TranscriptEntry } from '../core/transcript.js';
import { EntryView } from './EntryView.js';
import { InputLine } from './InputLine.js';
import { LiveArea } from './LiveArea.js';
import { StatusBar } from './StatusBar.js';
import type { SessionLike } from './deferred-session.js';

/** How long a first Ctrl+C waits for a second one before it is forgotten. */
export const EXIT_WINDOW_MS = 2000;

/**
 * The REPL: history in <Static> (never re-rendered), the status bar, the prompt. It renders
 * session state and sends it lines, one at a time in the order typed; every decision is the
 * session's.
 */
export function App({ session, greeting }: { readonly session: SessionLike; readonly greeting: TranscriptEntry }) {
  const { exit } = useApp();
  const { write } = useStdout();
  // The terminal bell: something waits for the person (a gate, an approval, a decision).
  const bell = useCallback(() => write('\u0007'), [write]);
  const [entries, setEntries] = useState<TranscriptEntry[]>([greeting]);
  const [status, setStatus] = useState<SessionStatus>(() => session.status());
  const [busy, setBusy] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const [live, setLive] = useState<{ readonly text: string; readonly board: boolean } | undefined>();
  const lastCtrlC = useRef(0);
  const queue = useRef<string[]>([]);
  const running = useRef(false);

  useEffect(
    () =>
      session.subscribe((event) => {
        if (event.type === 'entry') setEntries((all) => [...all, event.entry]);
        else if (event.type === 'live') setLive(event.text === undefined ? undefined : { text: event.text, board: event.board === true });
        else if (event.type === 'bell') bell();
        else setStatus(event.status);
      }),
    [session],
  );

  // Exit only after the render that drew the last entries ("Saved. Goodbye.") has committed.
  useEffect(() => {
    if (leaving) exit();
  }, [leaving, exit]);

  const leave = useCallback(() => {
    setNotice('saving…');
    void session.shutdown().finally(() => setLeaving(true));
  }, [session]);

  useInput((input, key) => {
    if (!(key.ctrl && input === 'c')) return;
    const now = Date.now();
    if (now - lastCtrlC.current < EXIT_WINDOW_MS) {
      leave();
      return;
    }
    lastCtrlC.current = now;
    queue.current = [];
    const cancelled = session.cancel();
    setNotice(cancelled ? 'cancelled — Ctrl+C again to exit' : 'Ctrl+C again to exit');
  });

  const pump = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    while (queue.current.length > 0) {
      const line = queue.current.shift()!;
      const outcome = await session.submit(line);
      if (outcome.quit) {
        queue.current = [];
        setLeaving(true);
        break;
      }
    }
    running.current = false;
    setBusy(false);
  }, [session]);

  const submit = useCallback(
    (line: string) => {
      setNotice(undefined);
      queue.current.push(line);
      void pump();
    },
    [pump],
  );

  return (
    <Box flexDirection="column">
      <Static items={entries}>{(entry) => <EntryView key={entry.id} entry={entry} />}</Static>
      {live ? <LiveArea text={live.text} board={live.board} /> : null}
      {leaving ? null : (
        <>
          <StatusBar status={status} notice={notice ?? (busy ? 'working… (Ctrl+C cancels)' : undefined)} />
          <InputLine onSubmit={submit} />
        </>
      )}
    </Box>
  );
}
