import { render } from 'ink';
import type { Session } from '../core/session/session.js';
import { App } from './App.js';
import { deferSession } from './deferred-session.js';
import type { EraseEarlyPaint } from './early-paint.js';
import { greetingText } from './greeting.js';

/**
 * Starts the Ink REPL and resolves when it has exited. The session arrives as a promise so the
 * prompt is drawn while the rest of CodeSleuth is still loading.
 */
export async function runRepl(session: Promise<Session>, version: string, eraseEarlyPaint?: EraseEarlyPaint): Promise<number> {
  const greeting = { id: 0, tone: 'info' as const, text: greetingText(version) };
  eraseEarlyPaint?.();
  const instance = render(<App session={deferSession(session)} greeting={greeting} />, { exitOnCtrlC: false });
  await instance.waitUntilExit();
  return 0;
}
