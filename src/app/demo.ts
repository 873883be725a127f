import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { contextFilePath } from '../store/config-store.js';

/** The cassette the demo and --demo replay: scripted agent turns for the whole pipeline so far. */
export function demoCassettePath(installDir: string): string {
  return path.join(installDir, 'demo', 'cassette.json');
}

/** The person's side of the showcase: the lines a person would type, in order. */
export const DEMO_BRIEF = 'A shared to-do list for a small café team: tasks per shift, ticked off from a phone.';

/** After shipping, the person asks Maintenance for a small change (the Critic's empty-state finding). */
export const DEMO_CHANGE = 'When a shift has no tasks yet the list is just blank; please show a hint instead.';

export function demoScript(projectDir: string, options: { readonly hasProjects: boolean; readonly isGitRepo: boolean }): string[] {
  return [
    'Start agent 0',
    ...(options.hasProjects ? ['N'] : []),
    DEMO_BRIEF,
    'web',
    projectDir,
    ...(options.isGitRepo ? [] : ['yes']),
    'The shift lead and three baristas; everyone uses their own phone.',
    'Tasks have a title and belong to a shift; nothing else for now. No accounts in the first version.',
    'looks good',
    '!plan',
    '!status',
    '!build',
    'yes',
    '!critic',
    '!security',
    '!verify',
    DEMO_CHANGE,
    '!build',
    '!verify',
    '!status',
    '!budget',
    '!pipeline',
  ];
}

/** A home for the demo: the one given, or a fresh temporary one, set up so `Start agent 0` works. */
export async function prepareDemoHome(home: string | undefined): Promise<string> {
  const dir = home ?? (await mkdtemp(path.join(tmpdir(), 'codesleuth-demo-home-')));
  const context = contextFilePath(dir);
  if (!existsSync(context)) {
    await mkdir(path.dirname(context), { recursive: true });
    await writeFile(context, `${JSON.stringify({ _setup_complete: true, registered_projects: [] }, null, 2)}\n`);
  }
  return dir;
}

/** The sample project's directory: DIR as given (created when missing), or a new temporary one. */
export async function prepareDemoProject(dir: string | undefined): Promise<string> {
  if (dir === undefined) return mkdtemp(path.join(tmpdir(), 'codesleuth-demo-project-'));
  await mkdir(dir, { recursive: true });
  return dir;
}

export async function homeHasProjects(home: string): Promise<boolean> {
  try {
    const context = JSON.parse(await readFile(contextFilePath(home), 'utf8')) as { registered_projects?: unknown[] };
    return (context.registered_projects?.length ?? 0) > 0;
  } catch {
    return false;
  }
}
