import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutputCollector } from '../../src/sandbox/output-collector.js';
import { runCommand } from '../../src/sandbox/process-runner.js';
import type { RunCommandOptions } from '../../src/sandbox/process-runner.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'codesleuth-runner-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(command: string, extra: Partial<RunCommandOptions> = {}) {
  return runCommand({ command, cwd: dir, timeoutMs: 10_000, maxOutputBytes: 64 * 1024, ...extra });
}

/** A killed process may linger as a zombie until its new parent reaps it; that counts as dead. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust kill(pid, 0)
  }
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describe.skipIf(process.platform === 'win32')('runCommand', () => {
  it('runs a command in the given directory and reports its exit code and output', async () => {
    const result = await run('pwd; echo out; echo err >&2; exit 3');
    expect(result.exitCode).toBe(3);
    expect(result.signal).toBeNull();
    expect(result.timedOut).toBe(false);
    expect(result.stdout).toBe(`${dir}\nout\n`);
    expect(result.stderr).toBe('err\n');
    expect(result.output).toContain('out\n');
    expect(result.output).toContain('err\n');
    expect(result.truncated).toBe(false);
    expect(result.outputSha256).toBe(createHash('sha256').update(result.output).digest('hex'));
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('interleaves stdout and stderr in the order they were written', async () => {
    const result = await run('echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three');
    expect(result.output).toBe('one\ntwo\nthree\n');
  });

  it('hides API keys and tokens from the command', async () => {
    const result = await run('env', {
      env: { PATH: process.env.PATH, HOME: dir, ANTHROPIC_API_KEY: 'sk-ant-secret', GITHUB_TOKEN: 'ghp_secret', KEEP_ME: 'yes' },
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toContain('ANTHROPIC_API_KEY');
    expect(result.stdout).not.toContain('sk-ant-secret');
    expect(result.stdout).not.toContain('ghp_secret');
    expect(result.stdout).toContain('KEEP_ME=yes');
    expect(result.stdout).toContain('GIT_TERMINAL_PROMPT=0');
  });

  it('kills the whole process group on timeout, grandchildren included', async () => {
    const pidFile = path.join(dir, 'child.pid');
    const result = await run(`sleep 30 & echo $! > ${pidFile}; wait`, { timeoutMs: 500, killGraceMs: 200 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe('SIGTERM');
    expect(result.durationMs).toBeLessThan(5_000);
    const childPid = Number((await readFile(pidFile, 'utf8')).trim());
    expect(await waitFor(() => !isAlive(childPid), 2_000)).toBe(true);
  });

  it('escalates to SIGKILL when the command ignores SIGTERM', async () => {
    const result = await run("trap '' TERM; echo ready; while true; do sleep 0.05; done", { timeoutMs: 300, killGraceMs: 200 });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    expect(result.stdout).toBe('ready\n');
  });

  it('stops when the abort signal fires', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await run('sleep 30', { signal: controller.signal, killGraceMs: 200 });
    expect(result.aborted).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.durationMs).toBeLessThan(5_000);
  });

  it('does not start at all when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await run('touch should-not-exist', { signal: controller.signal });
    expect(result.aborted).toBe(true);
    await expect(readFile(path.join(dir, 'should-not-exist'))).rejects.toThrow();
  });

  it('returns promptly when the command leaves a background process holding its output', async () => {
    const pidFile = path.join(dir, 'bg.pid');
    const result = await run(`sleep 30 & echo $! > ${pidFile}; echo started`, { timeoutMs: 10_000 });
    expect(result.exitCode).toBe(0);
    expect(result.timedOut).toBe(false);
    expect(result.durationMs).toBeLessThan(5_000);
    const bgPid = Number((await readFile(pidFile, 'utf8')).trim());
    expect(await waitFor(() => !isAlive(bgPid), 2_000)).toBe(true);
  });

  it('caps output, keeping the head and the tail, and hashes all of it', async () => {
    const result = await run('seq 1 20000', { maxOutputBytes: 1_000 });
    expect(result.truncated).toBe(true);
    expect(result.stdout.startsWith('1\n2\n3\n')).toBe(true);
    expect(result.stdout.trimEnd().endsWith('19999\n20000')).toBe(true);
    expect(result.stdout).toMatch(/\[\.\.\. \d+ bytes of output cut here \.\.\.\]/);
    expect(result.output.length).toBeLessThan(1_200);
    let full = '';
    for (let i = 1; i <= 20000; i++) full += `${i}\n`;
    expect(result.outputSha256).toBe(createHash('sha256').update(full).digest('hex'));
  });

  it('gives the command no standard input', async () => {
    const result = await run('cat; echo after', { timeoutMs: 5_000 });
    expect(result.timedOut).toBe(false);
    expect(result.stdout).toBe('after\n');
  });

  it('reports a directory that does not exist instead of throwing', async () => {
    const result = await runCommand({ command: 'echo hi', cwd: path.join(dir, 'missing'), timeoutMs: 5_000, maxOutputBytes: 1_000 });
    expect(result.spawnError).toBeDefined();
    expect(result.exitCode).toBeNull();
    expect(result.output).toContain('could not start');
  });
});

describe('OutputCollector', () => {
  it('keeps everything while under the cap', () => {
    const collector = new OutputCollector(100);
    collector.push('stdout', 'a');
    collector.push('stderr', Buffer.from('b'));
    expect(collector.finish()).toMatchObject({ stdout: 'a', stderr: 'b', output: 'ab', truncated: false });
  });

  it('cuts the middle and says how many bytes went', () => {
    const collector = new OutputCollector(100);
    for (let i = 0; i < 100; i++) collector.push('stdout', '0123456789');
    const { stdout, truncated } = collector.finish();
    expect(truncated).toBe(true);
    expect(stdout).toContain('[... 900 bytes of output cut here ...]');
  });
});
