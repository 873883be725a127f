import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeSession } from '../../src/app/compose.js';
import type { Session, SessionEvent } from '../../src/core/session/session.js';
import type { TranscriptEntry } from '../../src/core/transcript.js';

export const INSTALL_DIR = path.resolve(import.meta.dirname, '..', '..');

/** A temporary CodeSleuth home (and a scratch area for project directories). */
export interface TempHome {
  readonly home: string;
  readonly scratch: string;
  cleanup(): Promise<void>;
}

/** `null` leaves config/context.json out; a string is written as it is. */
export async function makeTempHome(context: unknown = { _setup_complete: true, registered_projects: [] }): Promise<TempHome> {
  const root = await mkdtemp(path.join(tmpdir(), 'codesleuth-test-'));
  const home = path.join(root, 'home');
  const scratch = path.join(root, 'work');
  await mkdir(path.join(home, 'config'), { recursive: true });
  await mkdir(scratch, { recursive: true });
  if (context !== null) {
    await writeFile(path.join(home, 'config', 'context.json'), typeof context === 'string' ? context : JSON.stringify(context, null, 2));
  }
  return { home, scratch, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** A session over real adapters in a temp home, recording everything it says. */
export async function recordingSession(home: TempHome, cwd = home.scratch): Promise<{ session: Session; entries: TranscriptEntry[]; text: () => string }> {
  // No API key: these tests are about the Orchestrator, and never call a model.
  const session = await composeSession({ homeDir: home.home, installDir: INSTALL_DIR, cwd }, { env: {} });
  const entries: TranscriptEntry[] = [];
  session.subscribe((event: SessionEvent) => {
    if (event.type === 'entry') entries.push(event.entry);
  });
  return { session, entries, text: () => entries.map((e) => e.text).join('\n') };
}

/** Submits lines one after another; returns each outcome. */
export async function submitAll(session: Session, lines: readonly string[]) {
  const outcomes = [];
  for (const line of lines) outcomes.push(await session.submit(line));
  return outcomes;
}

export const FEATURE_SPEC =
  '# Feature spec\n\n## Summary\nA todo app.\n\n## Users\n- Teams\n\n## Features\n\n### F-01: Lists\nShared lists.\n\n#### Acceptance criteria\n- a list can be created\n';
