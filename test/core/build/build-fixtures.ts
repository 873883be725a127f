import { expect } from 'vitest';
import type { AgentEvent, AgentOutcome } from '../../../src/core/agent/agent-types.js';
import { messageText } from '../../../src/core/agent/conversation.js';
import type { Receipt } from '../../../src/core/build/receipts.js';
import type { ReportReviewInput, ReviewFinding, ReviewPortOutcome } from '../../../src/core/build/review-report.js';
import type { BuilderPort, BuilderRunRequest, GatesPort, ReviewerPort, ReviewRequest, TaskGitPort } from '../../../src/core/build/task-runner-ports.js';
import type { TaskResult, TaskRunRecord } from '../../../src/core/build/task-result.js';
import { gitFail, gitOk, type RepoStatus } from '../../../src/core/git/git-results.js';
import type { TaskCommitRequest } from '../../../src/core/git/ports.js';
import type { ChatMessage } from '../../../src/core/provider/types.js';
import type { Task } from '../../../src/core/task-graph/task.js';
import type { FileIndex } from '../../../src/core/verdicts/evidence.js';
import { finishedWithReport } from '../../support/agent-outcomes.js';

/* Shared fixtures of the Builder's tests: receipts, and scripted ports for runTask (no SDK, no processes, no git). */

/** A receipt with sensible defaults (a passing `npm test`); override what a test is about. */
export function receipt(overrides: Partial<Receipt> = {}): Receipt {
  return {
    gate: 'test',
    command: 'npm test',
    exitCode: 0,
    timedOut: false,
    durationMs: 1_200,
    outputSha256: 'a'.repeat(64),
    outputTail: 'ok',
    at: '2025-01-02T03:04:05.000Z',
    ...overrides,
  };
}

export function failing(overrides: Partial<Receipt> = {}): Receipt {
  return receipt({ exitCode: 1, outputTail: 'not ok 1 - adds\n  expected 3, got 4', outputSha256: 'b'.repeat(64), ...overrides });
}

export const TASK: Task = {
  id: 'TASK-003',
  title: 'Add the sum function',
  description: 'Implement `sum(a, b)` in src/sum.mjs (F-01).',
  acceptance_criteria: ['sum(2, 3) is 5', 'sum of negatives works'],
  output_files: ['src/sum.mjs', 'test/sum.test.mjs'],
  depends_on: ['TASK-001'],
  size: 'S',
  status: 'PENDING',
};

/** One scripted agent run: the files its tools report, then how it ends. */
export interface ScriptedRun {
  readonly changedFiles?: readonly string[];
  /** Called with the messages the run got; by default a report_status DONE. */
  readonly end?: (messages: readonly ChatMessage[]) => AgentOutcome;
  /** Side effect while "working" (the integration test writes files here). */
  readonly work?: () => Promise<void>;
}

export const finished = finishedWithReport;

export interface ScriptedBuilder extends BuilderPort {
  /** The messages each run was given. */
  readonly calls: BuilderRunRequest[];
  /** The text of the last user message of each call (what the agent was just told). */
  lastUserTexts(): string[];
}

export function scriptedBuilder(runs: readonly ScriptedRun[]): ScriptedBuilder {
  const calls: BuilderRunRequest[] = [];
  return {
    calls,
    lastUserTexts: () => calls.map((c) => messageText(c.messages.at(-1)?.content ?? [])),
    async run(request) {
      const run = runs[calls.length];
      calls.push(request);
      if (run === undefined) throw new Error(`the builder was run ${calls.length} times; the script has ${runs.length}`);
      await run.work?.();
      if (run.changedFiles !== undefined) {
        const event: AgentEvent = { type: 'tool_result', id: `w${calls.length}`, name: 'write_file', display: 'wrote', isError: false, reused: false, changedFiles: run.changedFiles };
        request.onEvent(event);
      }
      return (run.end ?? ((m) => finished(m)))(request.messages);
    },
  };
}

export function scriptedGates(runs: readonly (readonly Receipt[])[], commands = [{ name: 'test', command: 'npm test' }]): GatesPort & { count: () => number } {
  let n = 0;
  return {
    commands: async () => commands,
    count: () => n,
    async run() {
      const receipts = runs[n];
      n += 1;
      if (receipts === undefined) throw new Error(`the gates ran ${n} times; the script has ${runs.length}`);
      return receipts;
    },
  };
}

export function status(overrides: Partial<RepoStatus> = {}): RepoStatus {
  return { root: '/work/proj', branch: 'main', head: 'abc', modified: [], staged: [], untracked: [], conflicted: [], operation: null, clean: true, ...overrides };
}

/** A git port whose status is `before` until the agent ran and `after` from then on. */
export function fakeGit(before: RepoStatus, after: RepoStatus): TaskGitPort & { commits: TaskCommitRequest[]; snapshots: string[]; statusCalls: () => number } {
  const commits: TaskCommitRequest[] = [];
  const snapshots: string[] = [];
  let calls = 0;
  return {
    commits,
    snapshots,
    statusCalls: () => calls,
    async status() {
      calls += 1;
      return gitOk(calls === 1 ? before : after);
    },
    async snapshotWork(_repo, label) {
      snapshots.push(label);
      if (before.clean) return gitFail('nothing-to-save', 'clean');
      return gitOk({ ref: `refs/codesleuth/snapshots/x-${label}`, sha: 'snap', label, createdAt: 'now', base: 'abc', files: [], indexSaved: true, restoreInstructions: '' });
    },
    async commitTask(_repo, request) {
      commits.push(request);
      return gitOk('f00d'.repeat(10));
    },
    async diffFiles(_repo, files) {
      return gitOk(files.map((file) => `diff --git a/${file} b/${file}\n+a line of ${file}\n`).join(''));
    },
  };
}

export const clock = { now: () => new Date('2025-02-03T04:05:06.000Z') };

export const OPTIONS = { projectDir: '/work/proj' };

export function expectKind<K extends TaskResult['kind']>(result: TaskResult, kind: K): Extract<TaskResult, { kind: K }> {
  expect(result.kind, JSON.stringify(result, null, 2)).toBe(kind);
  return result as Extract<TaskResult, { kind: K }>;
}

/** A finding with defaults; override the location and severity a test is about. */
export function finding(file: string, line: number, overrides: Partial<ReviewFinding> = {}): ReviewFinding {
  return { severity: 'important', file, line, problem: `Problem at ${file}:${line}.`, fix: `Fix ${file}:${line}.`, ...overrides };
}

/** A report_review input. */
export function review(stage: ReportReviewInput['stage'], verdict: ReportReviewInput['verdict'], findings: ReviewFinding[] = []): ReportReviewInput {
  return { stage, verdict, findings };
}

/** A reviewer run that ended with report_review, as the adapter returns it (the call and its result appended). */
export function reported(messages: readonly ChatMessage[], report: ReportReviewInput, id = 'rr1'): ReviewPortOutcome {
  return {
    kind: 'reported',
    report,
    messages: [
      ...messages,
      { role: 'assistant', content: [{ type: 'tool_use', id, name: 'report_review', input: report }] },
      { role: 'user', content: [{ type: 'tool_result', toolUseId: id, content: 'Reported.', isError: false }] },
    ],
  };
}

/** One scripted reviewer run: a report, or how the run ends without one. */
export type ScriptedReview = ReportReviewInput | ((messages: readonly ChatMessage[]) => ReviewPortOutcome);

export interface ScriptedReviewer extends ReviewerPort {
  readonly calls: ReviewRequest[];
  /** The text of the last user message of each call (what the reviewer was just told). */
  lastUserTexts(): string[];
}

export function scriptedReviewer(reviews: readonly ScriptedReview[], log?: string[]): ScriptedReviewer {
  const calls: ReviewRequest[] = [];
  return {
    calls,
    lastUserTexts: () => calls.map((c) => messageText(c.messages.at(-1)?.content ?? [])),
    async review(request) {
      const next = reviews[calls.length];
      calls.push(request);
      log?.push(`review ${request.stage} ${request.round}`);
      request.onEvent({ type: 'turn_start', turn: calls.length });
      if (next === undefined) throw new Error(`the reviewer was run ${calls.length} times; the script has ${reviews.length}`);
      return typeof next === 'function' ? next(request.messages) : reported(request.messages, next, `rr${calls.length}`);
    },
  };
}

/** A FileIndex over fixed line counts (project-relative path → lines); records every lookup. */
export function fileIndexOf(files: Readonly<Record<string, number>>): FileIndex & { lookups: string[] } {
  const lookups: string[] = [];
  return {
    lookups,
    async lineCount(file) {
      lookups.push(file);
      return files[file];
    },
  };
}

/* Whole task results, as a scripted execute() returns them (the build's and the controller's tests). */

/** A plan task `TASK-00N` with sensible defaults ("Build part N", one output file). */
export function task(id: string, dependsOn: string[] = [], overrides: Partial<Task> = {}): Task {
  const n = id.slice(5);
  return {
    id,
    title: `Build part ${n}`,
    description: `Implement part ${n}.`,
    acceptance_criteria: [`part ${n} works`],
    output_files: [`src/part-${n}.mjs`],
    depends_on: dependsOn,
    size: 'S',
    status: 'PENDING',
    ...overrides,
  };
}

/** What every TaskResult carries, for a task that ran once with passing gates. */
export function runRecord(taskId: string): TaskRunRecord {
  return {
    taskId,
    messages: [],
    agentRuns: 1,
    gateRuns: [[receipt()]],
    reportedFiles: [],
    snapshot: null,
    startedAt: '2025-02-03T04:05:06.000Z',
    finishedAt: '2025-02-03T04:05:07.000Z',
  };
}

/** A 40-hex SHA that says which task (and which attempt) made it. */
export function shaOf(taskId: string, attempt = 1): string {
  return `${taskId.slice(5)}${attempt}`.padStart(40, 'a');
}

/** A DONE result: committed at `sha`, gates passed. */
export function doneResult(taskId: string, sha = shaOf(taskId)): TaskResult {
  return {
    ...runRecord(taskId),
    kind: 'done',
    sha,
    receipts: [receipt()],
    summary: `${taskId} built`,
    concerns: [],
    changedFiles: [`src/part-${taskId.slice(5)}.mjs`],
    heldBack: [],
    unattributed: [],
    reviewRounds: 0,
  };
}

export const blockedResult = (taskId: string): TaskResult => ({ ...runRecord(taskId), kind: 'blocked', blocker: `${taskId} cannot find its input` });
export const abortedResult = (taskId: string): TaskResult => ({ ...runRecord(taskId), kind: 'aborted' });
