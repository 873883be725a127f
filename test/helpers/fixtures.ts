// Ready-made state for end-to-end tests, made through the CLI itself so it always matches what
// the CLI writes (no hand-written HANDOFF.json to drift from the schema).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runHeadless, type TestHome } from './pty-cli.js';

/** A feature spec that passes the !plan gate (CRLF and non-ASCII on purpose: hashed as bytes). */
export const FEATURE_SPEC = [
  '# Feature spec: Tidy',
  '',
  '## Summary',
  'A to-do list for a small café team.',
  '',
  '## Users',
  '- Baristas and the shift lead',
  '',
  '## Features',
  '',
  '### F-01: Tasks',
  'Add, tick and clear tasks.',
  '',
  '#### Acceptance criteria',
  '- a ticked task shows as done',
  '',
].join('\r\n');

export function readJson<T = Record<string, unknown>>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The welcome answers, as script lines, for a new project in `directory` (N skips the menu). */
export function newProjectLines(directory: string, options: { brief?: string; platform?: string; menu?: boolean } = {}): string[] {
  const { brief = 'A to-do list for a small team', platform = 'web', menu = false } = options;
  return ['Start agent 0', ...(menu ? ['N'] : []), brief, platform, directory, 'yes'];
}

export interface CreatedProject {
  readonly id: string;
  readonly dir: string;
  readonly artifacts: string;
  readonly handoffFile: string;
}

interface RegisteredEntry {
  readonly id: string;
  readonly path: string;
  readonly stage: string;
  readonly name: string;
}

/** The registered_projects entry for a project directory. */
export function registeredEntry(h: TestHome, dir: string): RegisteredEntry | undefined {
  const context = readJson<{ registered_projects: RegisteredEntry[] }>(h.contextFile);
  return context.registered_projects.find((p) => p.path === dir);
}

/** Creates and registers a project headlessly (about as fast as node starts). */
export async function createProject(h: TestHome, name: string): Promise<CreatedProject> {
  const dir = h.projectDir(name);
  const menu = readJson<{ registered_projects?: unknown[] }>(h.contextFile).registered_projects?.length !== 0;
  const run = await runHeadless({ home: h.home, script: newProjectLines(dir, { menu }) });
  if (run.code !== 0) throw new Error(`could not create the project ${name} (exit ${run.code})\n${run.stdout}\n${run.stderr}`);
  const entry = registeredEntry(h, dir);
  if (!entry) throw new Error(`the project ${name} was not registered in ${h.contextFile}\n${run.stdout}`);
  const artifacts = h.artifactsDir(entry.id);
  return { id: entry.id, dir, artifacts, handoffFile: path.join(artifacts, 'HANDOFF.json') };
}
