import { z } from 'zod';
import { assess } from '../core/policy/assess.js';
import type { SandboxPolicy } from '../core/policy/types.js';
import { defineTool } from '../core/tools/run-tool.js';
import type { ToolDefinition, ToolResult } from '../core/tools/types.js';
import type { CommandRunner, RunCommandResult } from '../sandbox/process-runner.js';
import type { FileSystemOperations } from './fs-operations.js';
import { gate } from './path-guard.js';

/** Limits of the bash tool; the composition root may change them from config. */
export interface BashLimits {
  defaultTimeoutMs: number;
  maxTimeoutMs: number;
  maxOutputBytes: number;
}

export const DEFAULT_BASH_LIMITS: BashLimits = {
  defaultTimeoutMs: 120_000,
  maxTimeoutMs: 600_000,
  maxOutputBytes: 100_000,
};

export const bashSchema = z.strictObject({
  command: z.string().min(1).describe('The shell command line to run (bash -c) in the project root.'),
  timeout_ms: z
    .number()
    .int()
    .min(1_000)
    .optional()
    .describe(`Time limit in milliseconds. Default ${DEFAULT_BASH_LIMITS.defaultTimeoutMs}; longer values are capped.`),
  description: z.string().max(200).optional().describe('A few words saying why, shown to the person if they are asked.'),
});

export type BashInput = z.infer<typeof bashSchema>;

/**
 * bash: one command line in the project root, judged by the policy first (every part of
 * a chain), then run by the sandbox's process runner with a scrubbed environment, a time
 * limit that kills the whole process group, and capped output.
 *
 * A non-zero exit is reported with isError true (the command failed), its output intact.
 */
export function createBashTool(deps: {
  runCommand: CommandRunner;
  fs: Pick<FileSystemOperations, 'realpath'>;
  policy: SandboxPolicy;
  limits?: Partial<BashLimits>;
}): ToolDefinition<BashInput> {
  const limits = { ...DEFAULT_BASH_LIMITS, ...deps.limits };
  return defineTool({
    name: 'bash',
    description:
      'Run a shell command in the project root and return its combined output and exit code. No input can be typed into it; ' +
      `it is killed after timeout_ms (default ${limits.defaultTimeoutMs / 1000}s). API keys and tokens are not in its environment. ` +
      'Destructive commands (git reset --hard, rm outside the project, force pushes, ...) are refused; some need a person to approve. ' +
      'Prefer read_file, edit_file, grep and glob for files.',
    schema: bashSchema,
    async execute(input, ctx) {
      const root = await deps.fs.realpath(ctx.projectRoot);
      const assessment = assess({ kind: 'run', root, command: input.command }, deps.policy);
      const request =
        input.description === undefined
          ? { toolName: 'bash', kind: 'run' as const, action: input.command }
          : { toolName: 'bash', kind: 'run' as const, action: input.command, detail: input.description };
      const approved = await gate(assessment, request, ctx);
      if (!approved.ok) return approved.result;

      const timeoutMs = Math.min(input.timeout_ms ?? limits.defaultTimeoutMs, limits.maxTimeoutMs);
      const result = await deps.runCommand({
        command: input.command,
        cwd: root,
        timeoutMs,
        maxOutputBytes: limits.maxOutputBytes,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      return describeRun(input.command, timeoutMs, result);
    },
  });
}

/** Turns a finished run into what the model reads and the one-line status the person sees. */
export function describeRun(command: string, timeoutMs: number, result: RunCommandResult): ToolResult {
  const seconds = (result.durationMs / 1000).toFixed(1);
  let status: string;
  if (result.spawnError !== undefined) status = `Could not start the command: ${result.spawnError}`;
  else if (result.timedOut) status = `Timed out after ${timeoutMs / 1000}s; the command and everything it started were killed.`;
  else if (result.aborted) status = 'Cancelled; the command and everything it started were killed.';
  else if (result.exitCode === null) status = `Ended by signal ${result.signal ?? 'unknown'} after ${seconds}s.`;
  else status = `Exit code ${result.exitCode} after ${seconds}s.`;

  const output = result.output.length > 0 ? result.output.replace(/\n$/, '') : '(no output)';
  const cut = result.truncated ? '\n[Output was longer than the limit; its middle was cut.]' : '';
  const firstLine = command.split('\n', 1)[0] ?? command;
  const shownCommand = firstLine.length > 100 || command.includes('\n') ? `${firstLine.slice(0, 100)}...` : firstLine;
  return {
    llmContent: `${output}${cut}\n\n${status}`,
    display: `$ ${shownCommand}\n${status}`,
    isError: result.exitCode !== 0,
  };
}
