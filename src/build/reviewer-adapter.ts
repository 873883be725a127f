import { reviewOutcomeOf } from '../core/build/review-report.js';
import type { ReviewerPort } from '../core/build/task-runner-ports.js';
import { errorMessage } from '../core/errors.js';
import type { AgentRunRequest, AgentRuntimePort } from '../core/session/ports.js';
import type { FileIndex } from '../core/verdicts/evidence.js';
import type { FileIndexOptions } from '../scanners/file-index.js';
import { taskFileIndex } from './task-file-index.js';

/*
 * The task runner's reviewer over the agent runtime: the Critic (agent 4) in task-review mode
 * (read-only file tools, report_review as its only finishing tool), on a conversation of its
 * own that the runner keeps and hands in, never the Builder's. The runner writes the kickoff
 * (the task, its acceptance criteria, the changed files, the stage); this adapter only runs it
 * and reads the ending.
 */

/**
 * What a review run needs besides its conversation. `projectPath` is the task's work dir (its
 * worktree in a parallel build), the same directory the Builder worked in and runTask commits from.
 */
export type ReviewerRunContext = Pick<AgentRunRequest, 'projectId' | 'projectPath' | 'context' | 'signal' | 'approve'>;

/** The reviewer port as AgentRuntimePort.run with purpose 'task-review'; spend is booked to stage 'building' and the task. */
export function reviewerFromRuntime(runtime: Pick<AgentRuntimePort, 'run'>, context: ReviewerRunContext): ReviewerPort {
  return {
    async review(request) {
      try {
        const outcome = await runtime.run({
          ...context,
          stage: 'building',
          purpose: 'task-review',
          task: request.taskId,
          messages: request.messages,
          onEvent: request.onEvent,
        });
        return reviewOutcomeOf(outcome);
      } catch (error) {
        // The runtime reports failures as outcomes; a throw is a bug, and still must not pass the review.
        return { kind: 'unreported', reason: `its run threw: ${errorMessage(error)}`, messages: request.messages };
      }
    },
  };
}

/** Both review ports of runTask for one task: `{ ...reviewPortsFor(runtime, context) }` next to builder, gates, git, clock. */
export function reviewPortsFor(
  runtime: Pick<AgentRuntimePort, 'run'>,
  context: ReviewerRunContext,
  fileIndexOptions: FileIndexOptions = {},
): { readonly reviewer: ReviewerPort; readonly fileIndex: FileIndex } {
  return { reviewer: reviewerFromRuntime(runtime, context), fileIndex: taskFileIndex(context.projectPath, fileIndexOptions) };
}
