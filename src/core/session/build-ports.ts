import type { AgentEvent, UsageEvent } from '../agent/agent-types.js';
import type { GateCommand, GateDetection } from '../build/gate-commands.js';
import type { GateScripts } from '../build/gate-scripts.js';
import type { PatrolConfig } from '../build/patrol.js';
import type { Receipt } from '../build/receipts.js';
import type { TaskPhase } from '../build/task-runner-ports.js';
import type { TaskResult } from '../build/task-result.js';
import type { BuildGitPort } from '../build/build-run-ports.js';
import type { GitPort } from '../git/ports.js';
import type { Task } from '../task-graph/task.js';
import type { ApproveFn } from '../tools/types.js';
import type { ConfirmAction } from '../commands/types.js';
import type { StaleApproval } from '../pipeline/approvals.js';
import type { EntryInput } from '../transcript.js';
import type { OpenProject } from './open-project.js';

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
  /** The gate commands detected from the project's files in `dir` (package.json, Cargo.toml, go.mod, Python, Makefile), for !gates. */
  detectGates(dir: string): Promise<GateDetection>;
  /** Where a project's task worktrees go (outside the person's repository). */
  worktreeRoot(projectId: string): string;
  readonly maxWorkers: number;
  readonly patrol: PatrolConfig;
  every(ms: number, fn: () => void): () => void;
  /** What a model call cost in US dollars (0 when the model's price is unknown). */
  costOf(event: UsageEvent): number;
}

/** What the build controller needs from the session. */
export interface BuildHost {
  emit(input: EntryInput): void;
  /** The live area: the task board while the build runs, undefined after. */
  live(text: string | undefined): void;
  bell(): void;
  /** The project's stage or records changed: registry and status bar. */
  changed(project: OpenProject): Promise<void>;
  pause(reason: string): Promise<void>;
  /** Approvals whose artifacts changed since the person gave them (the Builder runs only what was approved). */
  stale(project: OpenProject): Promise<readonly StaleApproval[]>;
  /** What the Builder works from: the project brief and the approved design (the stage agents' context). */
  context(): Promise<{ name: string; text: string }[]>;
  /** Asks the person to confirm (the session's yes/no dialog); a yes comes back as `skip`. Asked while the build runs too. */
  confirm(action: ConfirmAction, prompt: string): void;
  /**
   * The build completed (every task DONE or skipped), however it got there:
   * in one go, after !continue, !retry, !decide or a resume. Called once the controller is
   * idle again, so the stage that asked for the tasks (Security after !security fix) can look again.
   */
  completed(project: OpenProject): Promise<void>;
}
