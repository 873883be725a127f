import { render } from 'ink';
import type { Session } from '../core/session/session.js';
import { App } from './App.js';

/** Starts the Ink REPL and resolves when it has exited. */
export async function runRepl(session: Session, version: string): Promise<number> {
  const greeting = {
    id: 0,
    tone: 'info' as const,
    text: `CodeSleuth ${version} — type \`Start agent 0\` to start the Orchestrator, !help for commands, Ctrl+C twice to leave.`,
  };
  const instance = render(<App session={session} greeting={greeting} />, { exitOnCtrlC: false });
  await instance.waitUntilExit();
  return 0;
}
