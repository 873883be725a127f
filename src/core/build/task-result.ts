import type { AgentFailure, AgentOutcome } from '../agent/agent-types.js';
import { reportStatusSchema, type ReportStatusInput } from '../agent/structured-tools.js';
import type { GitError, Snapshot } from '../git/git-results.js';
import type { ChatMessage } from '../provider/types.js';
import type { GateScripts } from './gate-scripts.js';
import type { Receipt } from './receipts.js';
import type { GateRun } from './repair-policy.js';
import type { Escalation, ReviewRoundRecord } from './review-rounds.js';

/*
 * How a task run ends, as a value: every way out of runTask is one of these kinds, so the
 * build turns each into a record without catching anything.
 */

/** What every result carries: the conversation, the gate runs, the files the agent reported. */
export interface TaskRunRecord {
  readonly taskId: string;
  /** The whole transcript, to save or continue (answer questions, raise the budget). */
  readonly messages: readonly ChatMessage[];
  readonly agentRuns: number;
  /** Every gate run, oldest first. */
  readonly gateRuns: readonly GateRun[];
  /** Repository-relative files the agent's tools (and its report) said it changed. */
  readonly reportedFiles: readonly string[];
  /** The snapshot of the person's uncommitted work taken before the agent ran, if there was any. */
  readonly snapshot: Snapshot | null;
  /** ISO 8601. */
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Every reviewer report, oldest first, with the citations dropped from it; absent without a reviewer. */
  readonly reviews?: readonly ReviewRoundRecord[];
}

/** How a task run ended. Failures are values, never throws. */
export type TaskResult = TaskRunRecord &
  (
    | {
        readonly kind: 'done';
        readonly sha: string;
        readonly receipts: readonly Receipt[];
        readonly summary: string;
        readonly concerns: readonly string[];
        /** The files in the commit. */
        readonly changedFiles: readonly string[];
        /** Reported files already uncommitted before the task: not committed, left for the person. */
        readonly heldBack: readonly string[];
        /** Files changed during the task that no tool reported: not committed. */
        readonly unattributed: readonly string[];
        /** Review rounds run over both stages (spec, quality); 0 without a reviewer. Both passing at once is 2. */
        readonly reviewRounds: number;
        /** The review's one-line outcome (as in the commit body); absent without a reviewer. */
        readonly review?: string;
        /** The bodies of the scripts the gates ran, as the task left them (to record); absent when unknown. */
        readonly gateScripts?: GateScripts;
      }
    /**
     * A review stage still requested changes after MAX_REVIEW_ROUNDS rounds: nothing was
     * committed, the person decides (`escalation`). `receipts`: the last gate run, which passed.
     */
    | { readonly kind: 'escalated'; readonly escalation: Escalation; readonly receipts: readonly Receipt[] }
    | { readonly kind: 'needs_context'; readonly questions: readonly string[]; readonly pendingToolUseId?: string }
    /**
     * `receipts` when the repair limit was reached; absent when the agent itself reported BLOCKED
     * or the reviewer could not review (`blocker` then starts with "the reviewer").
     */
    | { readonly kind: 'blocked'; readonly blocker: string; readonly receipts?: readonly Receipt[] }
    /** The gates passed but no reported file of the task's has a change git can commit. */
    | { readonly kind: 'no_changes'; readonly receipts: readonly Receipt[]; readonly heldBack: readonly string[]; readonly unattributed: readonly string[] }
    /** git failed before the agent ran (status, snapshot) or at the commit (`receipts` then set). */
    | { readonly kind: 'git_failed'; readonly step: 'status' | 'snapshot' | 'commit'; readonly error: GitError; readonly receipts?: readonly Receipt[] }
    /** The agent stopped without report_status (it replied in prose, or finished another way). */
    | { readonly kind: 'unreported'; readonly text: string }
    | { readonly kind: 'failed'; readonly error: AgentFailure }
    | { readonly kind: 'budget_refused'; readonly message: string }
    | { readonly kind: 'max_turns'; readonly turns: number }
    | { readonly kind: 'aborted' }
  );

/** A result minus the TaskRunRecord the runner adds when it returns: what each step decides. */
export type TaskRunEnding = TaskResult extends infer R ? (R extends TaskResult ? Omit<R, keyof TaskRunRecord> : never) : never;

/** The Builder's report, or how its run ended without one. */
export type BuilderStep =
  | { readonly kind: 'report'; readonly report: ReportStatusInput }
  | { readonly kind: 'end'; readonly ending: TaskRunEnding };

/** Reads one Builder run's outcome: only a valid report_status lets the task go on. */
export function builderStep(outcome: AgentOutcome): BuilderStep {
  switch (outcome.kind) {
    case 'finished': {
      if (outcome.tool !== 'report_status') return { kind: 'end', ending: { kind: 'unreported', text: `The Builder finished with ${outcome.tool} instead of report_status.` } };
      // The loop validated it already; parsing again keeps `unknown` from leaking in here.
      const parsed = reportStatusSchema.safeParse(outcome.input);
      if (!parsed.success) return { kind: 'end', ending: { kind: 'unreported', text: 'The Builder\'s report_status input is not valid.' } };
      return { kind: 'report', report: parsed.data };
    }
    case 'question':
      return { kind: 'end', ending: { kind: 'needs_context', questions: [outcome.question], pendingToolUseId: outcome.toolUseId } };
    case 'reply':
      return { kind: 'end', ending: { kind: 'unreported', text: outcome.text } };
    case 'max_turns':
      return { kind: 'end', ending: { kind: 'max_turns', turns: outcome.turns } };
    case 'budget_refused':
      return { kind: 'end', ending: { kind: 'budget_refused', message: outcome.message } };
    case 'aborted':
      return { kind: 'end', ending: { kind: 'aborted' } };
    case 'failed':
      return { kind: 'end', ending: { kind: 'failed', error: outcome.error } };
  }
}
