import type { AgentEvent, UsageEvent } from '../agent/agent-types.js';
import type { GitPort, GitResult, Snapshot } from '../git/ports.js';
import type { Task, TaskGraph } from '../task-graph/task.js';
import type { Decision, TaskRecord } from './build-record.js';
import type { PatrolConfig } from './patrol.js';
import type { Receipt } from './receipts.js';
import type { TaskResult } from './task-result.js';
import type { TaskPhase } from './task-runner-ports.js';

/*
 * What a BuildRun is given: the ports it acts through, the options of one run, what it saves,
 * and who watches it. Kept apart so the composition root and the session can wire a build
 * without importing its loop.
 */

/** How a task's agent events reach the person while it runs. */
export interface TaskHooks {
  readonly signal: AbortSignal;
  /** The Builder's events: usage, and what the patrol watches. */
  onEvent(event: AgentEvent): void;
  /** The reviewer's events: usage and the board; a reviewer only reads, so the patrol's no-progress count skips them. */
  onReviewEvent(event: AgentEvent): void;
  onPhase(phase: TaskPhase): void;
  /** The receipts of each gate run: a new one is progress to the patrol's no-progress check. */
  onReceipts(receipts: readonly Receipt[]): void;
  /** Runs `wait` (a question to the person) with the task's clock stopped: the patrol's time limit counts the task's own time only. */
  waitForPerson<T>(wait: () => Promise<T>): Promise<T>;
}

/** The git operations the build needs. */
export type BuildGitPort = Pick<GitPort, 'status' | 'addWorktree' | 'removeWorktree' | 'mergeBranch'> & {
  /** Snapshots uncommitted work to a safety ref, then returns the work tree to HEAD. */
  setAsideWork(repo: string, label: string): Promise<GitResult<Snapshot>>;
};

/** The ports of a build. */
export interface BuildPorts {
  /** Runs one task with its work directory (the project, or the project inside a worktree). */
  execute(task: Task, dir: string, hooks: TaskHooks): Promise<TaskResult>;
  readonly git: BuildGitPort;
  /** Saves the records and decisions (HANDOFF.json, TASK-GRAPH.md statuses) before the build goes on. */
  persist(progress: BuildProgress): Promise<void>;
  now(): Date;
  /** Calls `fn` every `ms` until the returned function is called (the patrol's clock). */
  every(ms: number, fn: () => void): () => void;
  /** What a model call cost, in US dollars. */
  costOf(event: UsageEvent): number;
}

/** What the build keeps in HANDOFF.json. */
export interface BuildProgress {
  readonly records: readonly TaskRecord[];
  readonly decisions: readonly Decision[];
}

/** What the person sees of the build as it happens. */
export interface BuildObserver {
  taskStarted(taskId: string, where: 'project' | 'worktree'): void;
  taskEvent(taskId: string, event: AgentEvent): void;
  /** The task moved on: Builder, gates, review, commit. */
  taskPhase?(taskId: string, phase: TaskPhase): void;
  taskFinished(record: TaskRecord, result: TaskResult): void;
  note(tone: 'info' | 'warning', text: string): void;
  /** `per_task` autonomy: resolves when the person types !continue (or the build is stopped). */
  afterTask?(record: TaskRecord): Promise<void>;
}

/** The options of one build run. */
export interface BuildOptions {
  readonly graph: TaskGraph;
  readonly projectDir: string;
  /** Where task worktrees go (outside the person's repository). */
  readonly worktreeRoot: string;
  /** Task branches are `<branchPrefix>task-003-1`; must start with `codesleuth/`. */
  readonly branchPrefix: string;
  readonly maxWorkers: number;
  readonly patrol: PatrolConfig;
  readonly signal: AbortSignal;
}
