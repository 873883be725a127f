import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UserError, errorMessage } from './core/errors.js';
import { paintEarly } from './ui/early-paint.js';

declare const CODESLEUTH_VERSION: string | undefined;

/** The package root: dist/cli.js lives one level below it (src/cli.ts too, in tests). */
const INSTALL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VERSION = typeof CODESLEUTH_VERSION === 'string' ? CODESLEUTH_VERSION : '0.0.0-dev';

const HELP = `codesleuth ${VERSION} — from an idea to shipped code, with a human at every gate

Usage:
  codesleuth [--home DIR]                 open the REPL (type \`Start agent 0\`)
  codesleuth --script FILE [--home DIR]   run the lines of FILE (- for standard input) without the UI
  codesleuth --demo [--home DIR]          the REPL against a scripted local model: no key, no network
  codesleuth demo [DIR] [--home DIR]      the showcase: the pipeline run end to end on a sample project
  codesleuth fake-server --cassette FILE [--port N]
                                          serve scripted Messages API replies on 127.0.0.1
  codesleuth --help | --version

Options:
  --home DIR     where config/ and artifacts/ live (also CODESLEUTH_HOME; default: the install)
  --script FILE  headless: one command or answer per line; exit code 0 only if every line succeeded

When standard input is not a terminal, the lines are read from it as with --script -.
NO_COLOR turns colour off.`;

interface Io {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `codesleuth --script f | head`: once the reader has gone, stop like a tool killed by SIGPIPE
 * (quietly, status 141) instead of dying on an unhandled EPIPE. Every state write is atomic and
 * a dead process's project lock is taken over, so stopping here loses nothing.
 */
function stopWhenOutputCloses(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(141);
    throw error;
  });
}

/** Runs the CLI; resolves to the process exit code. Errors a person can fix exit 2. */
export async function main(argv: readonly string[], io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() }): Promise<number> {
  if (io.stdout === process.stdout) stopWhenOutputCloses(process.stdout);
  try {
    if (argv[0] === 'fake-server') {
      const { runFakeServerCommand } = await import('./fake-server/command.js');
      return await runFakeServerCommand(argv.slice(1), { out: (l) => io.stdout.write(`${l}\n`), err: (l) => io.stderr.write(`${l}\n`) });
    }
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        options: {
          help: { type: 'boolean', short: 'h' },
          version: { type: 'boolean', short: 'v' },
          home: { type: 'string' },
          script: { type: 'string' },
          demo: { type: 'boolean' },
        },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UserError(errorMessage(error), { hint: 'Run codesleuth --help for the options.', exitCode: 2 });
    }
    const { values, positionals } = parsed;
    const [command, ...rest] = positionals;
    if (command !== undefined && command !== 'demo') {
      throw new UserError(`Unknown command "${command}".`, { hint: 'Run codesleuth --help for the commands.', exitCode: 2 });
    }
    if (command === 'demo' && rest.length > 1) throw new UserError('codesleuth demo takes at most one directory.', { hint: 'Usage: codesleuth demo [DIR]', exitCode: 2 });
    if (values.help) {
      io.stdout.write(`${HELP}\n`);
      return 0;
    }
    if (values.version) {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const homeOption = values.home ?? io.env.CODESLEUTH_HOME;
    // no-color.org: a NO_COLOR that is present and not empty turns colour off.
    const noColor = (io.env.NO_COLOR ?? '') !== '';
    const color = io.stdout.isTTY === true && !noColor;
    if (command === 'demo') {
      const { runDemo } = await import('./app/run-demo.js');
      return await runDemo({ installDir: INSTALL_DIR, home: homeOption === undefined ? undefined : path.resolve(io.cwd, homeOption), dir: rest[0] === undefined ? undefined : path.resolve(io.cwd, rest[0]), cwd: io.cwd, env: io.env, write: (t) => io.stdout.write(t), color });
    }
    const home = path.resolve(io.cwd, homeOption ?? INSTALL_DIR);
    // --demo: the scripted model on a local fake server, started in this process.
    let demo: { baseURL: string; close(): Promise<void> } | undefined;
    let demoNotice = '';
    if (values.demo) {
      const { startDemoServer, DEMO_NOTICE } = await import('./app/run-demo.js');
      demo = await startDemoServer(INSTALL_DIR);
      demoNotice = DEMO_NOTICE;
    }
    // Loaded on demand: the REPL draws its prompt before the pipeline and stores are loaded.
    const loadSession = async () =>
      (await import('./app/compose.js')).composeSession({ homeDir: home, installDir: INSTALL_DIR, cwd: io.cwd }, { env: io.env, ...(demo ? { demo: { baseURL: demo.baseURL, notice: demoNotice } } : {}) });
    if (values.script !== undefined || !io.stdin.isTTY) {
      const source = values.script ?? '-';
      let text: string;
      try {
        text = source === '-' ? await readAll(io.stdin) : await readFile(path.resolve(io.cwd, source), 'utf8');
      } catch (error) {
        throw new UserError(`Cannot read the script ${source}: ${errorMessage(error)}`, { hint: 'Check the path.', exitCode: 2 });
      }
      const { runScript } = await import('./headless/run-script.js');
      try {
        return await runScript(await loadSession(), text.split(/\r?\n/), (t) => io.stdout.write(t), color);
      } finally {
        await demo?.close();
      }
    }
    // Ink's colour library reads FORCE_COLOR, not NO_COLOR, when it loads.
    if (noColor) process.env.FORCE_COLOR = '0';
    const erase = paintEarly(io.stdout, io.stdin, VERSION, !noColor);
    const { runRepl } = await import('./ui/run-repl.js');
    try {
      return await runRepl(loadSession(), VERSION, erase);
    } finally {
      await demo?.close();
    }
  } catch (error) {
    if (error instanceof UserError) {
      io.stderr.write(`codesleuth: ${error.message}${error.hint ? `\n${error.hint}` : ''}\n`);
      return error.exitCode;
    }
    io.stderr.write(`codesleuth: unexpected error: ${errorMessage(error)}\n`);
    return 1;
  }
}
