import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSessionApprover } from '../../src/core/tools/approvals.js';
import { runTool } from '../../src/core/tools/run-tool.js';
import type { ApprovalDecision, ApprovalRequest } from '../../src/core/tools/types.js';
import type { CommandRunner } from '../../src/sandbox/process-runner.js';
import { createProjectTools } from '../../src/tools/project-tools.js';
import { createTempProject } from './temp-project.js';
import type { TempProject } from './temp-project.js';

let project: TempProject;
const git = (...args: string[]): string =>
  execFileSync('git', args, { cwd: project.root, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });

beforeEach(async () => {
  project = await createTempProject({ bashLimits: { maxOutputBytes: 2_000 } });
  await project.write('tracked.txt', 'committed\n');
  git('init', '-q');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '.');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init');
  await project.write('tracked.txt', 'uncommitted work\n');
  await project.write('untracked.txt', 'new file\n');
});
afterEach(async () => {
  await project.cleanup();
});

describe.skipIf(process.platform === 'win32')('bash tool', () => {
  it('runs an allowed command in the project root', async () => {
    const result = await project.call('bash', { command: 'pwd && git status --short' });
    expect(result.isError).toBe(false);
    expect(result.llmContent).toContain(project.root);
    expect(result.llmContent).toContain(' M tracked.txt');
    expect(result.llmContent).toContain('Exit code 0');
    expect(result.display).toContain('$ pwd && git status --short');
  });

  it.each([
    'git reset --hard',
    'git clean -fdx',
    'git push --force',
    'git checkout -- .',
    'rm -rf /',
    'rm -rf ../..',
    'echo ok && git reset --hard',
    'cat .env',
  ])('refuses %s without running it or asking anyone', async (command) => {
    await project.write('.env', 'TOKEN=x\n');
    const result = await project.call('bash', { command });
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain('Denied by the sandbox policy');
    expect(project.approve).not.toHaveBeenCalled();
    // The uncommitted work and the untracked file are still there.
    expect(await readFile(path.join(project.root, 'tracked.txt'), 'utf8')).toBe('uncommitted work\n');
    expect(await readFile(path.join(project.root, 'untracked.txt'), 'utf8')).toBe('new file\n');
  });

  it('asks the person with the exact command, and runs nothing on "no"', async () => {
    const command = 'rm untracked.txt';
    const result = await project.call('bash', { command, description: 'clean up' });
    expect(project.approve).toHaveBeenCalledTimes(1);
    expect(project.approve).toHaveBeenCalledWith({
      toolName: 'bash',
      kind: 'run',
      action: command,
      reason: expect.stringContaining('deletes untracked.txt'),
      detail: 'clean up',
    });
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain('The person declined this run: rm untracked.txt');
    expect(await readFile(path.join(project.root, 'untracked.txt'), 'utf8')).toBe('new file\n');
  });

  it('runs the command on "yes"', async () => {
    project.approve.mockResolvedValueOnce('yes');
    const result = await project.call('bash', { command: 'rm untracked.txt' });
    expect(result.isError).toBe(false);
    await expect(readFile(path.join(project.root, 'untracked.txt'))).rejects.toThrow();
  });

  it('"always" is remembered by the session approver the caller wraps around the UI', async () => {
    const person = vi.fn(async (_request: ApprovalRequest): Promise<ApprovalDecision> => 'always');
    const approver = createSessionApprover(person);
    const [, , , , , , bash] = createProjectTools();
    const ctx = { projectRoot: project.root, approve: approver.approve };
    const first = await runTool(bash!, { command: 'touch a.txt && rm a.txt' }, ctx);
    const second = await runTool(bash!, { command: 'touch a.txt && rm a.txt' }, ctx);
    const other = await runTool(bash!, { command: 'touch b.txt && rm b.txt' }, ctx);
    expect([first.isError, second.isError, other.isError]).toEqual([false, false, false]);
    expect(person.mock.calls.map(([request]) => request.action)).toEqual(['touch a.txt && rm a.txt', 'touch b.txt && rm b.txt']);
  });

  it('keeps API keys out of the command environment', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-should-not-leak');
    vi.stubEnv('GITHUB_TOKEN', 'ghp-should-not-leak');
    try {
      const result = await project.call('bash', { command: 'env' });
      expect(result.isError).toBe(false);
      expect(result.llmContent).toContain('PATH=');
      expect(result.llmContent).not.toContain('ANTHROPIC_API_KEY');
      expect(result.llmContent).not.toContain('sk-ant-should-not-leak');
      expect(result.llmContent).not.toContain('ghp-should-not-leak');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('kills a command that runs past its timeout', async () => {
    project.approve.mockResolvedValue('yes');
    const started = Date.now();
    const result = await project.call('bash', { command: 'sleep 20', timeout_ms: 1_000 });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain('Timed out after 1s');
  });

  it('reports a failing command with its exit code and output', async () => {
    const result = await project.call('bash', { command: 'ls no-such-file' });
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain('no-such-file');
    expect(result.llmContent).toMatch(/Exit code 2 after/);
  });

  it('caps long output with a marker', async () => {
    project.approve.mockResolvedValue('yes');
    const result = await project.call('bash', { command: 'seq 1 5000' });
    expect(result.llmContent).toMatch(/\[\.\.\. \d+ bytes of output cut here \.\.\.\]/);
    expect(result.llmContent).toContain('[Output was longer than the limit; its middle was cut.]');
    expect(result.llmContent).toContain('\n5000\n');
  });

  it('rejects an empty command at the schema, naming the field', async () => {
    const result = await project.call('bash', { command: '' });
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain('- command:');
  });

  it('passes the time limit, cwd and abort signal to the runner, capping the limit', async () => {
    const runner = vi.fn<CommandRunner>(async () => ({
      exitCode: 0,
      signal: null,
      timedOut: false,
      aborted: false,
      durationMs: 5,
      stdout: 'ok\n',
      stderr: '',
      output: 'ok\n',
      outputSha256: 'x',
      truncated: false,
    }));
    const [bash] = createProjectTools({ runCommand: runner, only: ['bash'], bashLimits: { maxTimeoutMs: 5_000 } });
    const controller = new AbortController();
    const result = await runTool(bash!, { command: 'ls', timeout_ms: 60_000 }, { ...project.ctx, signal: controller.signal });
    expect(result.llmContent).toContain('ok');
    expect(runner).toHaveBeenCalledWith(
      expect.objectContaining({ command: 'ls', cwd: project.root, timeoutMs: 5_000, signal: controller.signal }),
    );
  });
});
