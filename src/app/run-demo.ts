import { existsSync } from 'node:fs';
import path from 'node:path';
import { startFakeServer } from '../fake-server/server.js';
import { runScript } from '../headless/run-script.js';
import { composeSession } from './compose.js';
import { demoCassettePath, demoScript, homeHasProjects, prepareDemoHome, prepareDemoProject } from './demo.js';

/** Said when `--demo` starts the Orchestrator: what the scripted model can and cannot do. */
export const DEMO_NOTICE = [
  'Demo mode: the model is a local fake replaying the showcase script (demo/cassette.json), so every agent says what the script says, whatever you type.',
  'It follows the showcase in order (see `codesleuth demo` for the lines it expects); a task run again after !retry or a stopped build has no scripted reply.',
  'With ANTHROPIC_API_KEY set, `npm start` runs the same pipeline on Claude.',
].join('\n');

/** The fake server with the bundled cassette, for `--demo` and `demo`. */
export async function startDemoServer(installDir: string): Promise<{ baseURL: string; close(): Promise<void> }> {
  const server = await startFakeServer({ cassette: demoCassettePath(installDir) });
  return { baseURL: server.url, close: () => server.close() };
}

export interface DemoOptions {
  readonly installDir: string;
  readonly home: string | undefined;
  readonly dir: string | undefined;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly write: (text: string) => void;
  readonly color: boolean;
}

/**
 * `codesleuth demo [DIR]`: the whole pipeline as far as it is built, the person's answers and
 * gate commands scripted, the model a local fake replaying the bundled cassette. Prints the
 * transcript, leaves every artifact, exits 0 only when every line succeeded.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const home = await prepareDemoHome(options.home);
  const project = await prepareDemoProject(options.dir);
  const lines = demoScript(project, { hasProjects: await homeHasProjects(home), isGitRepo: existsSync(path.join(project, '.git')) });
  const server = await startDemoServer(options.installDir);
  options.write(`CodeSleuth demo — offline: the model is a local fake replaying ${path.relative(options.installDir, demoCassettePath(options.installDir))}.\nHome:    ${home}\nProject: ${project}\n\n`);
  try {
    const session = await composeSession({ homeDir: home, installDir: options.installDir, cwd: options.cwd }, { env: options.env, demo: { baseURL: server.baseURL } });
    const code = await runScript(session, lines, options.write, options.color);
    options.write(
      code === 0
        ? `\nThe demo reached its end. Artifacts: ${path.join(home, 'artifacts')}\nProject:   ${project}\n`
        : `\nThe demo stopped early (see the lines marked above). Everything it made is kept in ${home} and ${project}.\n`,
    );
    return code;
  } finally {
    await server.close();
  }
}
