import type { BudgetCommandResult, BudgetView } from '../budget/budget-view.js';
import type { AutonomyMode } from '../build/build-record.js';
import type { GatesChange } from '../build/gate-settings.js';
import type { MarkedTask } from '../build/scheduler.js';
import type { Handoff } from '../handoff/handoff.schema.js';
import type { StaleApproval } from '../pipeline/approvals.js';
import type { Gate } from '../pipeline/gates.js';
import type { Position } from '../pipeline/pipeline.machine.js';
import type { Stage } from '../pipeline/stages.js';
import type { EntryInput } from '../transcript.js';
import type { CommandRegistry } from './registry.js';

/** Where a command may run: any time, only with an open project, or only in given stages. */
export type CommandAvailability =
  | { readonly kind: 'always' }
  | { readonly kind: 'project' }
  | { readonly kind: 'stages'; readonly stages: readonly (Stage | 'paused')[] };

/** What a command sees: read-only views; it changes nothing itself. */
export interface CommandContext {
  readonly args: string;
  readonly registry: CommandRegistry;
  readonly project?: OpenProjectView;
  /** Spending so far and the cap; present when the session tracks money. */
  readonly budget?: BudgetView;
  /** What the session waits for the person to type (the welcome's answer, a project number, yes), if anything. */
  readonly waitingFor?: string;
}

/** The open project as commands see it. */
export interface OpenProjectView {
  readonly handoff: Handoff;
  readonly position: Position;
  readonly agentState: 'idle' | 'running' | 'waiting';
  /** Approvals whose artifacts changed since the person gave them. */
  readonly stale: readonly StaleApproval[];
  readonly handoffPath: string;
  /** Tasks that depend on a task the person skipped (read from TASK-GRAPH.md when a task is SKIPPED). */
  readonly marked?: readonly MarkedTask[];
}

/** A question the person must answer before something irreversible happens. */
export type ConfirmAction = { readonly kind: 'reset' } | { readonly kind: 'build' } | { readonly kind: 'skip'; readonly taskId: string };

/** What the person asks of a running or stopped build (the Builder carries it out). */
export type BuildAction =
  /** Build the PENDING tasks now (maintenance tasks, fix tasks, or a build that was stopped). */
  | { readonly kind: 'start' }
  | { readonly kind: 'decide'; readonly id: string; readonly answer: string }
  | { readonly kind: 'retry'; readonly taskId: string }
  /** Asks first (naming the dependents), while the build runs too; the yes comes back as ConfirmAction skip. */
  | { readonly kind: 'skip'; readonly taskId: string }
  | { readonly kind: 'autonomy'; readonly mode: AutonomyMode }
  /** `!gates`: show the gate commands, or change the person's own list. */
  | { readonly kind: 'gates'; readonly change: GatesChange }
  | { readonly kind: 'continue' };

/** What the person asks of the Critic, Security and Verifier stages beyond their gates. */
export type ReviewAction =
  | { readonly kind: 'critic-fix' }
  | { readonly kind: 'security-fix' }
  | { readonly kind: 'security-accept'; readonly findingId: string; readonly reason: string }
  /** `!verify` in Maintenance: verify the maintained project again. */
  | { readonly kind: 'reverify' };

/**
 * What running a command produced. The session interprets it in exactly one `switch`;
 * commands never perform side effects themselves.
 */
export type CommandResult =
  | { readonly kind: 'message'; readonly entries: readonly EntryInput[]; readonly failed?: boolean }
  | { readonly kind: 'gate'; readonly gate: Gate }
  | { readonly kind: 'pipeline'; readonly event: 'PAUSE' | 'RESUME' }
  | { readonly kind: 'confirm'; readonly prompt: string; readonly action: ConfirmAction }
  | { readonly kind: 'quit' }
  | { readonly kind: 'build'; readonly action: BuildAction }
  | { readonly kind: 'review'; readonly action: ReviewAction }
  | BudgetCommandResult;

/** A bang command. One file per command under `defs/`. */
export interface CommandDefinition {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly availability: CommandAvailability;
  readonly summary: string;
  readonly usage: string;
  run(ctx: CommandContext): CommandResult;
}
