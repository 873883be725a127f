import type { AgentEvent } from '../agent/agent-types.js';
import { appendUserText, userMessage } from '../agent/conversation.js';
import type { ChatMessage } from '../provider/types.js';
import type { Task } from '../task-graph/task.js';
import type { FileIndex } from '../verdicts/evidence.js';
import type { GateCommand } from './gate-commands.js';
import { renderReceiptSummary, type Receipt } from './receipts.js';
import { REVIEW_STAGE_TITLES, type ReviewPortOutcome, type ReviewStage } from './review-report.js';
import { MAX_REVIEW_ROUNDS, checkReviewFindings, recordReviewRound, startReview, type ReviewRoundRecord, type ReviewState } from './review-rounds.js';
import { reviewFollowUp, taskReviewBrief, type ReviewDiff } from './task-brief.js';
import type { TaskRunEnding } from './task-result.js';
import type { ReviewerPort, TaskRunOptions } from './task-runner-ports.js';

/*
 * The review between a task's passing gates and its commit: a reviewer on a conversation of
 * its own checks the work stage by stage (spec, then quality), its findings' citations are
 * checked against the files before the Builder sees them, and a review never passes by default.
 */

/** How a review of the work as it is now ended. */
export type ReviewEnd = { readonly kind: 'approved' } | { readonly kind: 'fix'; readonly feedback: string } | { readonly kind: 'end'; readonly ending: TaskRunEnding };

/** What the reviewer is shown of the work it reviews. */
export interface WorkUnderReview {
  /** Project-relative. */
  readonly files: readonly string[];
  readonly summary: string;
  readonly concerns: readonly string[];
  readonly receipts: readonly Receipt[];
  readonly commands: readonly GateCommand[];
  readonly diff: ReviewDiff;
}

/** A reviewer run that ended without a report stops the task: a review never passes by default. */
function reviewerStopped(outcome: Exclude<ReviewPortOutcome, { kind: 'reported' }>, stage: ReviewStage, round: number): TaskRunEnding {
  switch (outcome.kind) {
    case 'unreported':
      return { kind: 'blocked', blocker: `the reviewer did not report (${REVIEW_STAGE_TITLES[stage]} review, round ${round}): ${outcome.reason}` };
    case 'budget_refused':
      return { kind: 'budget_refused', message: outcome.message };
    case 'aborted':
      return { kind: 'aborted' };
  }
}

/**
 * One task's review across all its rounds. It outlives a single call to `review`: after a fix
 * the same stage goes on in the reviewer's own conversation, told what the last round dropped.
 */
export class TaskReview {
  private state: ReviewState;
  /** The reviewer's conversation in the current stage; empty until the stage's first run. */
  private messages: readonly ChatMessage[] = [];
  /** The citations dropped from the report the Builder just worked on, to tell the reviewer. */
  private droppedLastRound = '';

  constructor(
    private readonly task: Task,
    private readonly reviewer: ReviewerPort,
    private readonly index: FileIndex,
    private readonly options: Pick<TaskRunOptions, 'signal' | 'onPhase' | 'onEvent' | 'onReviewEvent'>,
  ) {
    this.state = startReview(task.id);
  }

  /** Every reviewer report so far, oldest first. */
  get history(): readonly ReviewRoundRecord[] {
    return this.state.history;
  }

  /** Reviews the work as it is now until it passes, goes back to the Builder, or cannot go on. */
  async review(work: WorkUnderReview): Promise<ReviewEnd> {
    const { task, options } = this;
    const receipts = renderReceiptSummary(work.receipts, { commands: work.commands });
    if (this.messages.length > 0) {
      // Back from the Builder's fix: the same stage, the reviewer's own conversation goes on.
      const followUp = { stage: this.state.stage, round: this.state.round + 1, maxRounds: MAX_REVIEW_ROUNDS, files: work.files, summary: work.summary, receipts, rejectedText: this.droppedLastRound, diff: work.diff };
      this.messages = appendUserText(this.messages, reviewFollowUp(followUp));
    }
    for (;;) {
      if (options.signal?.aborted) return { kind: 'end', ending: { kind: 'aborted' } };
      const { stage } = this.state;
      const round = this.state.round + 1;
      if (this.messages.length === 0) {
        this.messages = [userMessage(taskReviewBrief({ task, stage, files: work.files, summary: work.summary, concerns: work.concerns, receipts, maxRounds: MAX_REVIEW_ROUNDS, diff: work.diff }))];
      }
      options.onPhase?.({ kind: 'review', stage, round });
      const outcome = await this.reviewer.review({ taskId: task.id, stage, round, messages: this.messages, onEvent: this.reviewerEvent });
      this.messages = outcome.messages;
      if (outcome.kind !== 'reported') return { kind: 'end', ending: reviewerStopped(outcome, stage, round) };
      const next = recordReviewRound(this.state, await checkReviewFindings(outcome.report, this.index));
      this.state = next.state;
      const { step } = next;
      switch (step.kind) {
        case 'next-stage':
          this.messages = []; // each stage is a fresh review, not a continuation
          continue;
        case 'rereview':
          this.messages = appendUserText(this.messages, step.feedback);
          continue;
        case 'approved':
          return { kind: 'approved' };
        case 'fix':
          this.droppedLastRound = step.rejectedText;
          return { kind: 'fix', feedback: step.feedback };
        case 'escalate':
          return { kind: 'end', ending: { kind: 'escalated', escalation: step.escalation, receipts: work.receipts } };
        case 'reviewer_failed':
          return { kind: 'end', ending: { kind: 'blocked', blocker: `the reviewer did not report on the ${REVIEW_STAGE_TITLES[step.stage]} stage: ${step.reason}` } };
      }
    }
  }

  private readonly reviewerEvent = (event: AgentEvent): void => (this.options.onReviewEvent ?? this.options.onEvent)?.(event);
}
