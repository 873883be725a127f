import type { AgentEvent, UsageEvent } from '../agent/agent-types.js';
import type { GateCommand } from '../build/gate-commands.js';
import type { GateScripts } from '../build/gate-scripts.js';
import type { PatrolConfig } from '../build/patrol.js';
import type { Receipt } from '../build/receipts.js';
import type { TaskPhase } from '../build/task-runner-ports.js';
import type { TaskResult } from '../build/task-result.js';
import type { BuildGitPort } from '../build/build-run-ports.js';
import type { GitPort } from '../git/ports.js';
import type { Task } from '../task-graph/task.js';
import type { ApproveFn } from '../tools/types.js';

/** One task for the Builder: where it runs and how the person is reached. */
export interface TaskExecution {
  readonly projectId: string;
  readonly task: Task;
  /** The task's work directory: the project, or the project inside a worktree. */
  readonly dir: string;
  /** Approved artifacts the Builder works from. */
  readonly context: readonly { readonly name: string; readonly text: string }[];
  /** The person's fixed gate commands; absent: read from the project each time. */
  readonly gateCommands?: readonly GateCommand[];
  /** The gate scripts' bodies recorded in HANDOFF when the task started: the task changing one is a concern on it. */
  readonly gateScripts?: GateScripts;
  readonly signal: AbortSignal;
  readonly approve: ApproveFn;
  readonly onEvent: (event: AgentEvent) => void;
  /** The reviewer's events: counted in the task's tokens and cost, not by the patrol's no-progress check. */
  readonly onReviewEvent: (event: AgentEvent) => void;
  readonly onPhase: (phase: TaskPhase) => void;
  /** The receipts of each gate run, as the runtime records them. */
  readonly onReceipts: (receipts: readonly Receipt[]) => void;
}

/** What the Builder needs from the outside world; wired in the composition root. */
export interface BuildEnvironmentPort {
  readonly git: BuildGitPort & Pick<GitPort, 'commitPersonWork' | 'listWorktrees'>;
  /** Runs one task to a commit or to why it stopped (runTask over the real Builder, gates, reviewer and git). */
  execute(request: TaskExecution): Promise<TaskResult>;
  /** The bodies of the package.json scripts the gates run in `dir` (`override`: the person's commands), to record. */
  gateScripts(dir: string, override?: readonly GateCommand[]): Promise<GateScripts>;
  /** Where a project's task worktrees go (outside the person's repository). */
  worktreeRoot(projectId: string): string;
  readonly maxWorkers: number;
  readonly patrol: PatrolConfig;
  every(ms: number, fn: () => void): () => void;
  /** What a model call cost in US dollars (0 when the model's price is unknown). */
  costOf(event: UsageEvent): number;
}
