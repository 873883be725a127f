// The end-to-end harness: the BUILT CLI (bin/codesleuth.js -> dist/) in a pseudo-terminal, or
// headless through child_process, against a throw-away home. Never builds; test/global-setup.ts
// builds dist/ once when it is missing.
import { spawn as spawnChild } from 'node:child_process';
import { mkdtempSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn as spawnPty, type IPty } from 'node-pty';

/** The CodeSleuth install under test (the repository root). */
export const INSTALL_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_BIN = path.join(INSTALL_DIR, 'bin', 'codesleuth.js');

/** The text of the empty prompt's placeholder: it is drawn only when the input is idle. */
const IDLE_PROMPT = 'a !command, or a message';
const DEFAULT_TIMEOUT_MS = 10_000;
const COLUMNS = 100;
const ROWS = 40;

// CSI (colours, cursor moves, erase), OSC (titles, links), and the two-byte ESC sequences.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[()#][0-9A-Za-z]|\u001b[@-Z\\-_=>78]/g;

/** Removes ANSI escape codes and turns CRLF into LF. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '').replace(/\r\n?/g, '\n');
}

/** True when the text holds any escape sequence at all. */
export function hasAnsi(text: string): boolean {
  return /[\u001b\u009b]/.test(text);
}

/** Whitespace runs (line wraps included) as one space: phrases survive Ink's word wrapping. */
export function flatten(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/**
 * Joins lines that fill the whole terminal width to the next one: that is where Ink hard-wraps
 * a word longer than the line (a long path), and the break is not part of the text.
 */
export function unwrap(text: string, columns: number): string {
  return text
    .split('\n')
    .map((line, i, all) => (i < all.length - 1 && [...line].length >= columns ? line : `${line}\n`))
    .join('');
}

/**
 * The environment the CLI sees: no inherited CODESLEUTH_HOME, no colour switches, and no CI
 * variables (Ink renders only the last frame when it believes it runs in CI).
 */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (key === 'CODESLEUTH_HOME' || key === 'NO_COLOR' || key === 'FORCE_COLOR' || key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_')) continue;
    if (key.startsWith('VITEST') || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return { ...env, TERM: 'xterm-256color', ...extra };
}

// ---------------------------------------------------------------------------------------------
// Temp directories and processes, released by cleanup() (call it from afterEach).

const tempRoots = new Set<string>();
const running = new Set<PtyCli>();

/** A fresh directory under the OS temp dir (resolved, so paths compare equal to the CLI's). */
export function makeTempDir(prefix = 'codesleuth-e2e-'): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  tempRoots.add(dir);
  return dir;
}

/** Kills every CLI still running and removes every temp directory made since the last call. */
export async function cleanup(): Promise<void> {
  const exits = [...running].map((cli) => {
    cli.kill();
    return Promise.race([cli.exitCode().catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
  });
  await Promise.all(exits);
  running.clear();
  for (const dir of tempRoots) rmSync(dir, { recursive: true, force: true });
  tempRoots.clear();
}

/** A throw-away CodeSleuth home; `root` also holds project directories (outside the home). */
export interface TestHome {
  readonly root: string;
  readonly home: string;
  readonly contextFile: string;
  /** A path under `root` (not created): a good project directory. */
  projectDir(name: string): string;
  artifactsDir(projectId: string): string;
}

export interface MakeHomeOptions {
  /** Omit to write no context.json at all. */
  readonly setupComplete?: boolean;
  readonly projects?: readonly unknown[];
  /** Written as is instead of the JSON built from the other options. */
  readonly contextRaw?: string | Buffer;
}

/** Creates <tmp>/home/config/context.json as asked. */
export function makeHome(options: MakeHomeOptions = {}): TestHome {
  const root = makeTempDir();
  const home = path.join(root, 'home');
  const contextFile = path.join(home, 'config', 'context.json');
  mkdirSync(path.dirname(contextFile), { recursive: true });
  if (options.contextRaw !== undefined) {
    writeFileSync(contextFile, options.contextRaw);
  } else if (options.setupComplete !== undefined) {
    const context = { _setup_complete: options.setupComplete, registered_projects: options.projects ?? [] };
    writeFileSync(contextFile, `${JSON.stringify(context, null, 2)}\n`);
  }
  return {
    root,
    home,
    contextFile,
    projectDir: (name) => path.join(root, name),
    artifactsDir: (projectId) => path.join(home, 'artifacts', projectId),
  };
}

// ---------------------------------------------------------------------------------------------
// The REPL in a pseudo-terminal.

export interface SpawnOptions {
  readonly home?: string;
  readonly args?: readonly string[];
  readonly env?: Record<string, string>;
  readonly cwd?: string;
}

/** One CLI process in a 100x40 pseudo-terminal. */
export class PtyCli {
  private raw = '';
  /** Where the next waitFor starts looking, in the flattened text. */
  private cursor = 0;
  /** Flattened length when the last line was typed: the idle prompt must be drawn after it. */
  private typedAt = 0;
  private readonly exited: Promise<number>;
  private exitedCode: number | undefined;
  private readonly watchers = new Set<() => void>();
  private readonly pty: IPty;

  constructor(options: SpawnOptions = {}) {
    const args = [CLI_BIN, ...(options.home !== undefined ? ['--home', options.home] : []), ...(options.args ?? [])];
    this.pty = spawnPty(process.execPath, args, {
      name: 'xterm-256color',
      cols: COLUMNS,
      rows: ROWS,
      cwd: options.cwd ?? INSTALL_DIR,
      env: cliEnv(options.env),
    });
    this.exited = new Promise((resolve) => {
      this.pty.onExit(({ exitCode }) => {
        this.exitedCode = exitCode;
        running.delete(this);
        resolve(exitCode);
        this.notify();
      });
    });
    this.pty.onData((data) => {
      this.raw += data;
      this.notify();
    });
    running.add(this);
  }

  get pid(): number {
    return this.pty.pid;
  }

  /** Everything written so far, escape codes included. */
  rawOutput(): string {
    return this.raw;
  }

  /** Everything written so far without escape codes (line breaks kept). */
  screen(): string {
    return stripAnsi(this.raw);
  }

  /**
   * Waits until `pattern` appears after the previous match (like expect), matched against the
   * flattened screen; a string's own whitespace is flattened too. Fails with the screen so far.
   */
  async waitFor(pattern: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    const found = await this.until(() => this.match(pattern, this.cursor), timeoutMs, `waiting for ${String(pattern)}`);
    this.cursor = found.end;
    return found.text;
  }

  /** Types a line and Enter, once the prompt is idle again (keys typed while busy are dropped). */
  async type(line: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    await this.until(() => this.match(IDLE_PROMPT, this.typedAt), timeoutMs, 'waiting for the idle prompt before typing');
    this.typedAt = this.flat().length;
    this.pty.write(`${line}\r`);
  }

  /** Writes raw bytes (Ctrl+C is '\x03'). */
  write(data: string): void {
    this.pty.write(data);
  }

  /** Resolves with the exit code once the process has ended. */
  exitCode(): Promise<number> {
    return this.exited;
  }

  /** Resolves with the exit code, or fails with the screen if the process is still running. */
  async waitForExit(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
    await this.until(() => (this.exitedCode === undefined ? undefined : true), timeoutMs, 'waiting for the process to exit');
    return this.exitedCode!;
  }

  kill(): void {
    if (this.exitedCode !== undefined) return;
    try {
      this.pty.kill();
    } catch {
      // already gone
    }
  }

  private flat(): string {
    return flatten(unwrap(this.screen(), COLUMNS));
  }

  private match(pattern: string | RegExp, from: number): { text: string; end: number } | undefined {
    const text = this.flat();
    if (typeof pattern === 'string') {
      const needle = flatten(pattern);
      const index = text.indexOf(needle, from);
      return index === -1 ? undefined : { text: needle, end: index + needle.length };
    }
    const regex = new RegExp(pattern.source, pattern.flags.replace('g', ''));
    const found = regex.exec(text.slice(from));
    return found ? { text: found[0], end: from + found.index + found[0].length } : undefined;
  }

  private until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const finish = (error?: Error, value?: T) => {
        clearTimeout(timer);
        this.watchers.delete(watcher);
        if (error) reject(error);
        else resolve(value as T);
      };
      const watcher = () => {
        const value = check();
        if (value !== undefined) finish(undefined, value);
        else if (this.exitedCode !== undefined) finish(this.failure(`the CLI exited with code ${this.exitedCode} while ${what}`));
      };
      const timer = setTimeout(() => finish(this.failure(`timed out after ${timeoutMs} ms ${what}`)), timeoutMs);
      this.watchers.add(watcher);
      watcher();
    });
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }

  private failure(message: string): Error {
    const screen = this.screen();
    const shown = screen.length > 6000 ? `…${screen.slice(-6000)}` : screen;
    return new Error(`${message}\n----- screen so far (ANSI stripped) -----\n${shown}\n----- end of screen -----`);
  }
}

/** Starts the built CLI in a pseudo-terminal. */
export function spawnCli(options: SpawnOptions = {}): PtyCli {
  return new PtyCli(options);
}

// ---------------------------------------------------------------------------------------------
// Headless: child_process with pipes, so standard input is not a TTY.

export interface HeadlessOptions {
  readonly home?: string;
  readonly args?: readonly string[];
  /** Lines for --script FILE (written to a temp file). */
  readonly script?: readonly string[];
  /** Text piped into standard input (then closed). */
  readonly stdin?: string;
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

export interface HeadlessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI to the end without a terminal; stdin is always a pipe. */
export function runHeadless(options: HeadlessOptions = {}): Promise<HeadlessResult> {
  const args: string[] = [CLI_BIN];
  if (options.home !== undefined) args.push('--home', options.home);
  if (options.script !== undefined) {
    const file = path.join(makeTempDir('codesleuth-script-'), 'script.txt');
    writeFileSync(file, `${options.script.join('\n')}\n`);
    args.push('--script', file);
  }
  args.push(...(options.args ?? []));
  return new Promise((resolve, reject) => {
    const child = spawnChild(process.execPath, args, {
      cwd: options.cwd ?? INSTALL_DIR,
      env: cliEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`headless run timed out\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined); // the CLI may exit before reading it all
    child.stdin.end(options.stdin ?? '');
  });
}
