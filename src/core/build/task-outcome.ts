import { asSentence } from '../errors.js';
import type { Receipt } from './receipts.js';
import { MAX_REVIEW_ROUNDS, reviewRoundsRun, type Escalation } from './review-rounds.js';
import { describeExit, firstFailure } from './receipts.js';
import type { Decision, TaskRecord } from './build-record.js';
import { nextDecisionId } from './build-record.js';
import type { StalledTask } from './patrol.js';
import { restoreCommandLine } from '../git/snapshot-names.js';
import type { TaskResult } from './task-result.js';

/*
 * What a task's ending means for its HANDOFF record: DONE only with the runtime's receipts and
 * a commit SHA; questions become decisions for the person; everything else says why, in words
 * a person can act on, and what to type next.
 */

/** How a task's turn in the build ended, before it becomes a record. */
export type TaskEnding =
  | { readonly kind: 'result'; readonly result: TaskResult; readonly landedSha?: string; readonly setAside?: SetAside }
  /** The second conflict: the task's commit `sha` is kept on `branch` for the person. */
  | { readonly kind: 'conflict'; readonly files: readonly string[]; readonly branch: string; readonly sha: string }
  | { readonly kind: 'crashed'; readonly message: string }
  | { readonly kind: 'requeue' };

/**
 * What a task that did not finish left, kept at a snapshot ref: in its worktree only its own
 * files; in the project everything uncommitted there (`restore`: the snapshot's instructions).
 */
export type SetAside = { readonly where: 'worktree'; readonly ref: string } | { readonly where: 'project'; readonly ref: string; readonly restore: string };

/** A PENDING record with nothing done yet. */
export function blankRecord(id: string): TaskRecord {
  return { id, status: 'PENDING', attempts: 0, concerns: [], receipts: [], changedFiles: [], inputTokens: 0, outputTokens: 0, costUsd: 0, reviewRounds: 0 };
}

/** The record of a task that starts (again); `inPlace` when it runs in the project directory, from that commit. */
export function startedRecord(previous: TaskRecord | undefined, id: string, now: string, inPlace?: { readonly base: string | null }): TaskRecord {
  const base: TaskRecord = previous ?? blankRecord(id);
  const { reason: _reason, finishedAt: _finished, inPlace: _before, escalated: _escalated, ...rest } = base;
  return { ...rest, status: 'IN-PROGRESS', attempts: base.attempts + 1, startedAt: now, ...(inPlace ? { inPlace: { base: inPlace.base } } : {}) };
}

/**
 * The task the process died in the middle of while it worked in the project directory: its
 * record is still IN-PROGRESS (or queued again by !retry) with no end, so whatever is
 * uncommitted in the project is what it had written.
 */
export function interruptedInPlace(records: readonly TaskRecord[]): TaskRecord | undefined {
  return records.find((r) => (r.status === 'IN-PROGRESS' || r.status === 'PENDING') && r.inPlace !== undefined && r.startedAt !== undefined && r.finishedAt === undefined);
}

function lastReceipts(result: TaskResult): readonly Receipt[] {
  if ('receipts' in result && result.receipts) return result.receipts;
  return result.gateRuns.at(-1) ?? [];
}

function failedGate(receipts: readonly Receipt[]): string {
  const failing = receipts.find((r) => r.exitCode !== 0);
  return failing ? ` Last gate: ${failing.gate} (\`${failing.command}\`) ${describeExit(failing)}.` : '';
}

/** Why a task that is not DONE stopped, and what the person can do. */
export function reasonOf(result: TaskResult): string {
  const retry = `!retry ${result.taskId} to run it again, or !skip ${result.taskId}`;
  switch (result.kind) {
    case 'done':
      return '';
    case 'needs_context':
      return `waits for your answer (!decide).`;
    case 'blocked':
      // Shown after "TASK-NNN BLOCKED:", so the reason does not say BLOCKED again.
      return `${result.blocker}.${failedGate(result.receipts ?? [])} Type ${retry}.`;
    case 'no_changes':
      return `the gates passed but the Builder changed no file of the task that git can commit${result.heldBack.length > 0 ? ` (held back because they held your uncommitted changes: ${result.heldBack.join(', ')})` : ''}. Type ${retry}.`;
    case 'git_failed':
      return `git failed at ${result.step}: ${result.error.message}${result.error.hint ? ` ${result.error.hint}` : ''} Type ${retry}.`;
    case 'unreported':
      return `the Builder stopped without report_status (it said: "${result.text.slice(0, 200)}"). Type ${retry}.`;
    case 'failed':
      return `the model call failed: ${asSentence(result.error.message)} Type ${retry}.`;
    case 'budget_refused':
      return 'stopped before spending past the budget (nothing was sent); it restarts from its last checkpoint when the build goes on.';
    case 'max_turns':
      return `the Builder used its ${result.turns} turns without finishing. Type ${retry}.`;
    case 'aborted':
      return 'stopped; it restarts from its last checkpoint when the build goes on.';
    case 'escalated':
      return `the review did not settle after ${MAX_REVIEW_ROUNDS} rounds and needs your decision. ${escalationText(result.escalation)} Type ${retry}.`;
    default:
      return `stopped (${(result as { kind: string }).kind}). Type ${retry}.`;
  }
}

/** Turns a task's ending into its record (and, for questions, new decisions). */
export function recordFromResult(
  previous: TaskRecord,
  ending: Exclude<TaskEnding, { kind: 'requeue' }>,
  context: { readonly now: string; readonly decisions: readonly Decision[]; readonly stalled?: StalledTask | { readonly kind: 'ok' } },
): { record: TaskRecord; decisions: Decision[] } {
  const decisions = [...context.decisions];
  const finished = { ...previous, finishedAt: context.now };
  const aside = (text: string, kept?: SetAside) => (kept ? `${text} ${setAsideText(previous.id, kept)}` : text);
  switch (ending.kind) {
    case 'conflict':
      return {
        record: {
          ...finished,
          status: 'BLOCKED',
          reason: `its work conflicts with tasks landed before it (${ending.files.join(', ')}), twice. Its commit ${ending.sha.slice(0, 12)} is kept on branch ${ending.branch}: merge it by hand (git merge ${ending.branch}), or !retry ${previous.id} / !skip ${previous.id}.`,
        },
        decisions,
      };
    case 'crashed':
      return { record: { ...finished, status: 'BLOCKED', reason: `${ending.message}. Type !retry ${previous.id} to run it again.` }, decisions };
  }
  const { result } = ending;
  const receipts = [...lastReceipts(result)];
  const failedGateRuns = (previous.failedGateRuns ?? 0) + result.gateRuns.filter((run) => firstFailure(run) !== undefined).length;
  const common = { ...finished, receipts, failedGateRuns, changedFiles: result.kind === 'done' ? [...result.changedFiles] : previous.changedFiles };
  if (result.kind === 'done') {
    return {
      record: {
        ...common,
        status: 'DONE',
        sha: result.sha,
        ...(ending.landedSha ? { landedSha: ending.landedSha } : {}),
        summary: result.summary,
        concerns: [...result.concerns],
        reviewRounds: 'reviewRounds' in result && typeof result.reviewRounds === 'number' ? result.reviewRounds : 0,
        ...('review' in result && typeof result.review === 'string' ? { review: result.review } : {}),
      },
      decisions,
    };
  }
  if (result.kind === 'aborted' && context.stalled?.kind === 'stalled') {
    return { record: { ...common, status: 'STALLED', reason: aside(`STALLED (${context.stalled.rule}): ${context.stalled.diagnosis} Type !retry ${previous.id} or !skip ${previous.id}.`, ending.setAside) }, decisions };
  }
  // Stopped from outside (Ctrl+C, the budget), not by the task's own failure: it restarts with the build, no !retry needed.
  if (result.kind === 'aborted' || result.kind === 'budget_refused') return { record: { ...common, status: 'IN-PROGRESS', reason: aside(reasonOf(result), ending.setAside) }, decisions };
  if (result.kind === 'needs_context') {
    const asked: string[] = [];
    for (const question of result.questions.length > 0 ? result.questions : ['The Builder needs more context but asked no specific question; say what it should know.']) {
      const id = nextDecisionId(decisions);
      decisions.push({ id, taskId: previous.id, question, askedAt: context.now });
      asked.push(id);
    }
    return { record: { ...common, status: 'NEEDS_CONTEXT', reason: aside(`waits for your answer: ${asked.map((id) => `!decide ${id} <answer>`).join(', ')}.`, ending.setAside) }, decisions };
  }
  // An escalated task records the rounds it went through, as a DONE one does.
  const reviewRounds = result.kind === 'escalated' && result.reviews ? reviewRoundsRun(result.reviews) : previous.reviewRounds;
  const escalated = result.kind === 'escalated' ? { escalated: true as const } : {};
  return { record: { ...common, status: 'BLOCKED', reviewRounds, ...escalated, reason: aside(reasonOf(result), ending.setAside) }, decisions };
}

/** Where a stopped task's leftovers went, and (in place) that the person's own uncommitted edits went with them and how to restore them. */
export function setAsideText(taskId: string, kept: SetAside): string {
  if (kept.where === 'worktree') return `What it left in its worktree is kept at ${kept.ref}.`;
  return `Everything that was uncommitted in the project was set aside, not only what ${taskId} left: anything else edited meanwhile, yours too, is with it, kept at ${kept.ref}. To restore it: ${restoreCommandLine(kept.restore)}`;
}

/** What happened, what was tried and the decision needed, as sentences for the person. */
function escalationText(escalation: Escalation): string {
  const sentence = (text: string) => text.trim().replace(/[.;:]?$/, '.');
  return [`What happened: ${sentence(escalation.whatHappened)}`, `What was tried: ${sentence(escalation.whatWasTried.join('; '))}`, `Decision needed: ${sentence(escalation.decisionNeeded)}`].join(' ');
}
