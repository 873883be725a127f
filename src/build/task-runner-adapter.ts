import type { GateCommand } from '../core/build/gate-commands.js';
import type { BuilderPort, GatesPort } from '../core/build/task-runner-ports.js';
import type { AgentRunRequest, AgentRuntimePort } from '../core/session/ports.js';
import { runGateCommands, type RunGateOptions } from './run-gate-commands.js';

/*
 * The task runner's ports over the real parts: the agent runtime (stage 'building', the
 * task's id on every call for the ledger) and the process runner for the gates. The git port
 * is createGitPort() as it is; the clock is `{ now: () => new Date() }`.
 */

/** What a Builder run needs besides the conversation: the project and the person's hooks. */
export type BuilderRunContext = Pick<AgentRunRequest, 'projectId' | 'projectPath' | 'context' | 'signal' | 'approve'>;

/** The Builder port as the AgentRuntimePort's run with stage 'building'. */
export function builderFromRuntime(runtime: Pick<AgentRuntimePort, 'run'>, context: BuilderRunContext): BuilderPort {
  return {
    run: (request) =>
      runtime.run({ ...context, stage: 'building', task: request.taskId, messages: request.messages, onEvent: request.onEvent }),
  };
}

/**
 * The gates port: the commands come from `resolve` (read from the project each time, or the
 * person's fixed list) and run in `projectDir` by runGateCommands, stopping at the first failure.
 */
export function gatesFromCommands(
  projectDir: string,
  resolve: readonly GateCommand[] | (() => Promise<readonly GateCommand[]>),
  options: RunGateOptions,
): GatesPort {
  return {
    commands: typeof resolve === 'function' ? resolve : async () => resolve,
    run: (commands) => runGateCommands(projectDir, commands, options),
  };
}
