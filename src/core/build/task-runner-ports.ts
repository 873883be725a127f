import type { AgentEvent, AgentOutcome } from '../agent/agent-types.js';
import type { GitResult, RepoStatus, Snapshot } from '../git/git-results.js';
import type { TaskCommitRequest } from '../git/ports.js';
import type { ChatMessage } from '../provider/types.js';
import type { FileIndex } from '../verdicts/evidence.js';
import type { GateCommand } from './gate-commands.js';
import type { GateScripts } from './gate-scripts.js';
import type { Receipt } from './receipts.js';
import type { RepairPolicy } from './repair-policy.js';
import type { ReviewPortOutcome, ReviewStage } from './review-report.js';

/*
 * What runTask is given: the ports it works through and the options a caller tunes it with.
 * Kept apart from the runner so adapters can implement a port without importing the loop.
 */

/** What the Builder port is asked for: one agent run on the task's conversation. */
export interface BuilderRunRequest {
  readonly taskId: string;
  /** The conversation so far, ending with a user message. */
  readonly messages: readonly ChatMessage[];
  /** Every event of the run; the runner reads tool results' changedFiles from them. */
  readonly onEvent: (event: AgentEvent) => void;
}

/** Runs the Builder agent (production: AgentRuntimePort.run with stage 'building'). */
export interface BuilderPort {
  run(request: BuilderRunRequest): Promise<AgentOutcome>;
}

/**
 * The project's gate commands and how to run them. The commands are read when the Builder
 * reports DONE, not before: a new project gets its package.json from its first task.
 */
export interface GatesPort {
  /** The commands that must all pass, as the project states them now; none means no task can be DONE. */
  commands(): Promise<readonly GateCommand[]>;
  /** Runs `commands` in the project directory and returns the receipts. */
  run(commands: readonly GateCommand[]): Promise<readonly Receipt[]>;
  /** Every script of the project's package.json as it is now ({} without one); absent: the gates run no package scripts. */
  scripts?(): Promise<Readonly<Record<string, string>>>;
}

/** The part of GitPort a task needs. */
export interface TaskGitPort {
  status(repo: string): Promise<GitResult<RepoStatus>>;
  snapshotWork(repo: string, label: string): Promise<GitResult<Snapshot>>;
  commitTask(repo: string, request: TaskCommitRequest): Promise<GitResult<string>>;
  /** The change the commit would hold, for the reviewer (GitPort.diffFiles). */
  diffFiles(repo: string, files: readonly string[]): Promise<GitResult<string>>;
}

/** A clock, for when the task started and ended. */
export interface ClockPort {
  now(): Date;
}

/**
 * What the reviewer port is asked for: one run of the reviewer on a conversation of its own,
 * never the Builder's (a fresh one per stage; later rounds and re-asks continue it).
 */
export interface ReviewRequest {
  readonly taskId: string;
  readonly stage: ReviewStage;
  /** The round within the stage, from 1; a re-ask after an unusable report keeps its round. */
  readonly round: number;
  /** The reviewer's conversation, ending with a user message (the stage's brief, a follow-up, or why it is asked again). */
  readonly messages: readonly ChatMessage[];
  /** Every event of the run (the person's transcript); the runner takes no changed files from them. */
  readonly onEvent: (event: AgentEvent) => void;
}

/**
 * Reviews a task's work and ends with report_review (production: the Critic through
 * AgentRuntimePort.run with purpose 'task-review', read-only tools; src/build/reviewer-adapter.ts).
 */
export interface ReviewerPort {
  review(request: ReviewRequest): Promise<ReviewPortOutcome>;
}

/** The ports of runTask. */
export interface TaskRunnerPorts {
  readonly builder: BuilderPort;
  readonly gates: GatesPort;
  readonly git: TaskGitPort;
  readonly clock: ClockPort;
  /** Reviews the work after the gates pass and before the commit; without it the task commits unreviewed. */
  readonly reviewer?: ReviewerPort;
  /**
   * The project's files as they are now (relative to TaskRunOptions.projectDir, no cache across
   * calls: the Builder edits between rounds), to check every file:line the reviewer cites.
   * Required with `reviewer`.
   */
  readonly fileIndex?: FileIndex;
}

/** Options of runTask. */
export interface TaskRunOptions {
  /** The project directory (inside the repository the task commits to). */
  readonly projectDir: string;
  readonly repair?: RepairPolicy;
  /** Sees every agent event too (the UI's transcript). */
  readonly onEvent?: (event: AgentEvent) => void;
  /**
   * Sees the reviewer's events instead of `onEvent`, when given: a reviewer only reads, so a
   * patrol that counts turns without a file change should not count its turns as the Builder's.
   */
  readonly onReviewEvent?: (event: AgentEvent) => void;
  /** Checked between steps; an aborted task ends as 'aborted'. */
  readonly signal?: AbortSignal;
  /** Told when the task moves between the Builder, the gates, the review and the commit (the live board). */
  readonly onPhase?: (phase: TaskPhase) => void;
  /** Every gate run's receipts as the runtime records them (the patrol counts a new receipt as progress). */
  readonly onReceipts?: (receipts: readonly Receipt[]) => void;
  /** The gate scripts' bodies the build recorded: a change to one by this task is a concern on it. */
  readonly gateScripts?: GateScripts;
}

/** Where a task is in its run, for the person watching. */
export type TaskPhase =
  | { readonly kind: 'builder'; readonly run: number }
  | { readonly kind: 'gates'; readonly commands: readonly string[] }
  | { readonly kind: 'review'; readonly stage: ReviewStage; readonly round: number }
  | { readonly kind: 'commit' };
