import type { Session } from '../core/session/session.js';
import type { Tone, TranscriptEntry } from '../core/transcript.js';

const ANSI: Partial<Record<Tone, string>> = {
  error: '\u001b[31m',
  warning: '\u001b[33m',
  success: '\u001b[32m',
  hint: '\u001b[36m',
  banner: '\u001b[35m',
  accent: '\u001b[1;36m',
  dim: '\u001b[2m',
  user: '\u001b[1m',
};
const RESET = '\u001b[0m';

/** Plain text for a transcript entry; colour only when asked (a TTY without NO_COLOR). */
export function formatEntry(entry: TranscriptEntry, color: boolean): string {
  if (!color) return entry.text;
  if (entry.segments) {
    return entry.segments.map((s) => (s.tone && ANSI[s.tone] ? `${ANSI[s.tone]}${s.text}${RESET}` : s.text)).join('');
  }
  const code = ANSI[entry.tone];
  return code ? `${code}${entry.text}${RESET}` : entry.text;
}

/**
 * Runs lines through the same session the REPL uses, printing the transcript as text.
 * Returns the exit code: 0 when every line succeeded, 1 otherwise.
 */
export async function runScript(
  session: Session,
  lines: readonly string[],
  write: (text: string) => void,
  color: boolean,
): Promise<number> {
  const unsubscribe = session.subscribe((event) => {
    if (event.type === 'entry') write(`${formatEntry(event.entry, color)}\n`);
  });
  let failed = 0;
  try {
    for (const line of lines) {
      if (line.trim() === '') continue;
      const outcome = await session.submit(line);
      if (!outcome.ok) failed++;
      if (outcome.quit) break;
    }
  } finally {
    unsubscribe();
    await session.shutdown();
  }
  if (failed > 0) write(`${failed} line${failed === 1 ? '' : 's'} failed.\n`);
  return failed === 0 ? 0 : 1;
}
