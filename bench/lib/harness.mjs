// What every benchmark shares: the built CLI in a node-pty pseudo-terminal (the same size and
// environment as the end-to-end tests), a throw-away home, and a few statistics.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';

export const INSTALL_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_BIN = path.join(INSTALL_DIR, 'bin', 'codesleuth.js');

/** The first prompt: Ink draws the greeting, the status bar and `› ` in one frame. */
export const PROMPT_MARK = '›';

/** The environment without CI variables (Ink draws only the last frame in CI) or colour switches. */
export function benchEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (['CODESLEUTH_HOME', 'NO_COLOR', 'FORCE_COLOR', 'CI', 'CONTINUOUS_INTEGRATION', 'NODE_OPTIONS'].includes(key) || key.startsWith('CI_')) continue;
    env[key] = value;
  }
  return { ...env, TERM: 'xterm-256color' };
}

/** A home whose set-up is complete and that has no projects; call the returned remove() after. */
export function makeBenchHome() {
  const root = mkdtempSync(path.join(tmpdir(), 'codesleuth-bench-'));
  const home = path.join(root, 'home');
  mkdirSync(path.join(home, 'config'), { recursive: true });
  writeFileSync(path.join(home, 'config', 'context.json'), '{"_setup_complete": true, "registered_projects": []}\n');
  return { home, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Spawns `file args` in a 100x40 pseudo-terminal and resolves when `mark` has appeared in its
 * output: { ms, pid, stop() } where ms is measured from just before the spawn.
 */
export function spawnUntil(file, args, mark, { timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const term = pty.spawn(file, args, { name: 'xterm-256color', cols: 100, rows: 40, cwd: INSTALL_DIR, env: benchEnv() });
    const exited = new Promise((done) => term.onExit(done));
    const stop = async () => {
      try {
        term.kill();
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((done) => setTimeout(done, 3000))]);
    };
    let output = '';
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      void stop();
      reject(new Error(`"${mark}" did not appear within ${timeoutMs} ms; output so far:\n${output}`));
    }, timeoutMs);
    term.onData((data) => {
      if (settled) return;
      output += data;
      if (!output.includes(mark)) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ms: performance.now() - started, pid: term.pid, stop });
    });
    void exited.then(({ exitCode }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`exited with code ${exitCode} before "${mark}" appeared; output:\n${output}`));
    });
  });
}

/** Resident memory of a live process in MB, from /proc/<pid>/status (Linux only). */
export function residentMb(pid, field = 'VmRSS') {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  if (kb === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(kb) / 1024;
}

/** The q-quantile (0..1) of a list of numbers, nearest-rank. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * Spawns the CLI, waits for `mark` (the prompt), types one key at once and waits for the
 * input line to show it: the time until the prompt is live, not just drawn.
 */
export function spawnUntilLive(file, args, mark, { key = 'q', timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const term = pty.spawn(file, args, { name: 'xterm-256color', cols: 100, rows: 40, cwd: INSTALL_DIR, env: benchEnv() });
    let output = '';
    let promptMs;
    const strip = (text) => text.replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '');
    const timer = setTimeout(() => {
      term.kill();
      reject(new Error(`no live prompt within ${timeoutMs} ms; output so far:\n${output}`));
    }, timeoutMs);
    term.onData((data) => {
      output += data;
      if (promptMs === undefined) {
        if (!output.includes(mark)) return;
        promptMs = performance.now() - started;
        output = '';
        term.write(key);
        return;
      }
      if (!strip(output).includes(`› ${key}`)) return;
      clearTimeout(timer);
      const liveMs = performance.now() - started;
      term.kill();
      resolve({ promptMs, liveMs });
    });
  });
}
