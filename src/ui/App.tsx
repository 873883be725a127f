import { Box, Static, useApp, useInput } from 'ink';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Session, SessionStatus } from '../core/session/session.js';
import type { TranscriptEntry } from '../core/transcript.js';
import { EntryView } from './EntryView.js';
import { InputLine } from './InputLine.js';
import { StatusBar } from './StatusBar.js';

/** How long a first Ctrl+C waits for a second one before it is forgotten. */
export const EXIT_WINDOW_MS = 2000;

/**
 * The REPL: history in <Static> (never re-rendered), the status bar, the prompt. It renders
 * session state and sends it lines; every decision is the session's.
 */
export function App({ session, greeting }: { readonly session: Session; readonly greeting: TranscriptEntry }) {
  const { exit } = useApp();
  const [entries, setEntries] = useState<TranscriptEntry[]>([greeting]);
  const [status, setStatus] = useState<SessionStatus>(() => session.status());
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const lastCtrlC = useRef(0);

  useEffect(
    () =>
      session.subscribe((event) => {
        if (event.type === 'entry') setEntries((all) => [...all, event.entry]);
        else setStatus(event.status);
      }),
    [session],
  );

  const leave = useCallback(() => {
    setNotice('saving…');
    void session.shutdown().finally(() => exit());
  }, [session, exit]);

  useInput((input, key) => {
    if (!(key.ctrl && input === 'c')) return;
    const now = Date.now();
    if (now - lastCtrlC.current < EXIT_WINDOW_MS) {
      leave();
      return;
    }
    lastCtrlC.current = now;
    const cancelled = session.cancel();
    setNotice(cancelled ? 'cancelled — Ctrl+C again to exit' : 'Ctrl+C again to exit');
  });

  const submit = useCallback(
    (line: string) => {
      setNotice(undefined);
      setBusy(true);
      void session.submit(line).then((outcome) => {
        setBusy(false);
        if (outcome.quit) exit();
      });
    },
    [session, exit],
  );

  return (
    <Box flexDirection="column">
      <Static items={entries}>{(entry) => <EntryView key={entry.id} entry={entry} />}</Static>
      <StatusBar status={status} notice={notice} />
      <InputLine busy={busy} onSubmit={submit} />
    </Box>
  );
}
