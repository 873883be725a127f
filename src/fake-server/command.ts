import { UserError, errorMessage } from '../core/errors.js';
import { startFakeServer, type FakeServer } from './server.js';

/** What `codesleuth fake-server` needs from its surroundings. */
export interface FakeServerCommandIo {
  /** Writes one line for the person (or a script) to read on stdout. */
  out(line: string): void;
  /** Writes one line on stderr. */
  err(line: string): void;
  /** Resolves when the server should stop. Defaults to the first SIGINT or SIGTERM. */
  untilStopped?: () => Promise<void>;
}

/** Parsed flags of the subcommand. */
export interface FakeServerArgs {
  readonly cassette: string;
  readonly port: number;
}

/** Usage line shown with argument errors. */
export const FAKE_SERVER_USAGE = 'usage: codesleuth fake-server --cassette FILE [--port N]';

/** Parses `--cassette FILE [--port N]` (also `--flag=value`); throws UserError (exit 2) on bad input. */
export function parseFakeServerArgs(args: readonly string[]): FakeServerArgs {
  const fail = (message: string): never => {
    throw new UserError(message, { hint: FAKE_SERVER_USAGE, exitCode: 2 });
  };
  let cassette: string | undefined;
  let port = 0;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    const inline = equals === -1 ? undefined : arg.slice(equals + 1);
    const value = (): string => {
      const next = inline ?? args[++index];
      return next === undefined || next === '' ? fail(`${flag} needs a value.`) : next;
    };
    if (flag === '--cassette') {
      cassette = value();
    } else if (flag === '--port') {
      const raw = value();
      port = Number(raw);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        fail(`--port must be a whole number from 0 to 65535, got "${raw}".`);
      }
    } else {
      fail(`Unknown argument "${arg}".`);
    }
  }
  return { cassette: cassette ?? fail('--cassette is required.'), port };
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/**
 * `codesleuth fake-server --cassette FILE [--port N]`: serves the cassette on loopback,
 * prints `fake-server listening on URL` and stays up until stopped. Returns the exit code:
 * 0 after a clean stop, 2 for bad arguments or a bad cassette, 1 when the server cannot start.
 */
export async function runFakeServerCommand(args: readonly string[], io: FakeServerCommandIo): Promise<number> {
  let server: FakeServer;
  try {
    const parsed = parseFakeServerArgs(args);
    server = await startFakeServer({ cassette: parsed.cassette, port: parsed.port });
  } catch (error) {
    io.err(`codesleuth fake-server: ${errorMessage(error)}`);
    if (error instanceof UserError) {
      if (error.hint !== undefined) io.err(error.hint);
      return error.exitCode;
    }
    return 1;
  }
  io.out(`fake-server listening on ${server.url}`);
  io.out(`Point the CLI at it with ANTHROPIC_BASE_URL=${server.url} (any ANTHROPIC_API_KEY value works).`);
  await (io.untilStopped ?? untilSignal)();
  await server.close();
  const left = Object.entries(server.remainingTurns()).filter(([, count]) => count > 0);
  if (left.length > 0) io.err(`fake-server: unplayed turns: ${left.map(([agent, count]) => `${agent} (${count})`).join(', ')}`);
  return 0;
}
