import { describe, expect, it } from 'vitest';
import type { ReviewPortOutcome } from '../../../src/core/build/review-report.js';
import { runTask } from '../../../src/core/build/task-runner.js';
import type { BuilderPort, GatesPort, TaskGitPort, TaskPhase, TaskRunnerPorts } from '../../../src/core/build/task-runner-ports.js';
import type { Receipt } from '../../../src/core/build/receipts.js';
import type { ChatMessage } from '../../../src/core/provider/types.js';
import { gitFail } from '../../../src/core/git/git-results.js';
import {
  OPTIONS,
  TASK,
  clock,
  expectKind,
  failing,
  fakeGit,
  fileIndexOf,
  finding,
  finished,
  receipt,
  review,
  scriptedBuilder,
  scriptedGates,
  scriptedReviewer,
  status,
  type ScriptedReview,
  type ScriptedRun,
} from './build-fixtures.js';

/*
 * The per-task review gate of runTask: after the gates pass and before the commit, a separate
 * reviewer checks spec compliance, then code quality; its findings (only those whose file:line
 * exists) go back to the Builder as one numbered list, the gates run again, the review again,
 * at most three rounds a stage. Every port is scripted.
 */

/** The task's files and their line counts, as the file index sees them. */
const FILES = { 'src/sum.mjs': 3, 'test/sum.test.mjs': 6 };

/** One scripted task: every port logs its calls, in order, into `log`. */
function setup(runs: readonly ScriptedRun[], gateRuns: readonly (readonly Receipt[])[], reviews: readonly ScriptedReview[]) {
  const log: string[] = [];
  const builder = scriptedBuilder(runs);
  const gates = scriptedGates(gateRuns);
  const git = fakeGit(status(), status({ untracked: ['src/sum.mjs', 'test/sum.test.mjs'], clean: false }));
  const reviewer = scriptedReviewer(reviews, log);
  const fileIndex = fileIndexOf(FILES);
  const loggedBuilder: BuilderPort = {
    run: (request) => {
      log.push('builder');
      return builder.run(request);
    },
  };
  const loggedGates: GatesPort = {
    commands: () => gates.commands(),
    run: (commands) => {
      log.push('gates');
      return gates.run(commands);
    },
  };
  const loggedGit: TaskGitPort = {
    status: (repo) => git.status(repo),
    snapshotWork: (repo, label) => git.snapshotWork(repo, label),
    diffFiles: (repo, files) => git.diffFiles(repo, files),
    commitTask: (repo, request) => {
      log.push('commit');
      return git.commitTask(repo, request);
    },
  };
  const ports: TaskRunnerPorts = { builder: loggedBuilder, gates: loggedGates, git: loggedGit, clock, reviewer, fileIndex };
  return { log, builder, gates, git, reviewer, fileIndex, ports };
}

const WORK = { changedFiles: ['src/sum.mjs', 'test/sum.test.mjs'] };

describe('runTask with a reviewer', () => {
  it('reviews spec compliance, then code quality, each in a conversation of its own, before the commit', async () => {
    const t = setup([WORK], [[receipt()]], [review('spec', 'pass'), review('quality', 'pass')]);
    const result = await runTask(TASK, t.ports, OPTIONS);

    const done = expectKind(result, 'done');
    expect(t.log).toEqual(['builder', 'gates', 'review spec 1', 'review quality 1', 'commit']);
    expect(done.reviewRounds).toBe(2);
    expect(done.reviews?.map((r) => `${r.stage}:${r.round}:${r.outcome}`)).toEqual(['spec:1:pass', 'quality:1:pass']);
    expect(t.reviewer.calls.map((c) => [c.taskId, c.stage, c.round, c.messages.length])).toEqual([
      ['TASK-003', 'spec', 1, 1],
      ['TASK-003', 'quality', 1, 1],
    ]);
    const [specBrief, qualityBrief] = t.reviewer.lastUserTexts();
    expect(specBrief).toContain('Review TASK-003: Add the sum function — stage 1 of 2, spec compliance.');
    expect(specBrief).toContain('- sum of negatives works');
    expect(specBrief).toContain('Files the task changed (these go into its commit; read them):\n- src/sum.mjs\n- test/sum.test.mjs');
    expect(specBrief).toContain('Gates: PASS (1 of 1 passed)');
    // The change itself, from the git port's diff of the files the commit would hold.
    expect(specBrief).toContain('The change against the last commit (paths from the repository top):\n```diff\ndiff --git a/src/sum.mjs b/src/sum.mjs\n+a line of src/sum.mjs\n');
    expect(specBrief).toContain('end by calling report_review once with stage "spec"');
    expect(qualityBrief).toContain('stage 2 of 2, code quality.');
    // The reviewer never sees the Builder's conversation.
    for (const call of t.reviewer.calls) expect(JSON.stringify(call.messages)).not.toContain('Implement TASK-003');
    expect(t.git.commits[0]!.body).toContain('Review: spec compliance passed in round 1; code quality passed in round 1.');
  });

  it('sends the findings back as one numbered list, re-runs the gates and the review, and commits after round 2', async () => {
    const t = setup(
      [WORK, { changedFiles: ['src/sum.mjs'], end: (m) => finished(m, { summary: 'Fixed the sign handling.' }, 'fix1') }],
      [[receipt()], [receipt({ outputSha256: 'c'.repeat(64) })]],
      [
        review('spec', 'changes_requested', [
          finding('src/sum.mjs', 2, { severity: 'critical', problem: 'Negative numbers are made positive.', fix: 'Return a + b.' }),
          finding('test/sum.test.mjs', 6, { severity: 'minor', problem: 'No test for zero.', fix: 'Add sum(0, 0).' }),
        ]),
        review('spec', 'pass'),
        review('quality', 'pass'),
      ],
    );
    const result = await runTask(TASK, t.ports, OPTIONS);

    const done = expectKind(result, 'done');
    expect(t.log).toEqual(['builder', 'gates', 'review spec 1', 'builder', 'gates', 'review spec 2', 'review quality 1', 'commit']);
    expect(done.reviewRounds).toBe(3);
    expect(done.agentRuns).toBe(2);
    // Receipts again after the fix: the commit carries the second run's.
    expect(done.gateRuns).toHaveLength(2);
    expect(done.receipts[0]!.outputSha256).toBe('c'.repeat(64));
    expect(t.builder.lastUserTexts()[1]).toBe(
      [
        'The spec compliance review (round 1 of 3) requests changes. Fix every item below, run the gates, then report:',
        '',
        '1. [critical] `src/sum.mjs:2`: Negative numbers are made positive. Fix: Return a + b.',
        '2. [minor] `test/sum.test.mjs:6`: No test for zero. Fix: Add sum(0, 0).',
      ].join('\n'),
    );
    // Round 2 goes on in the reviewer's own conversation, with the Builder's report and the new receipts.
    const second = t.reviewer.calls[1]!;
    expect(second.messages.length).toBeGreaterThan(t.reviewer.calls[0]!.messages.length);
    const followUp = t.reviewer.lastUserTexts()[1]!;
    expect(followUp).toContain('The Builder worked on your findings and reports: Fixed the sign handling.');
    expect(followUp).toContain('sha256 cccccccccccc');
    expect(followUp).toContain('Round 2 of 3 of the spec compliance review');
    expect(followUp).toContain('```diff\ndiff --git a/src/sum.mjs b/src/sum.mjs');
    expect(t.git.commits).toHaveLength(1);
    expect(t.git.commits[0]!.body).toContain('Review: spec compliance passed in round 2; code quality passed in round 1.');
  });

  it('escalates after the third round still requests changes, and commits nothing', async () => {
    const changes = review('quality', 'changes_requested', [finding('src/sum.mjs', 1)]);
    const t = setup([WORK, {}, {}], [[receipt()], [receipt()], [receipt()]], [review('spec', 'pass'), changes, changes, changes]);
    const result = await runTask(TASK, t.ports, OPTIONS);

    const escalated = expectKind(result, 'escalated');
    expect(t.log).toEqual([
      'builder', 'gates', 'review spec 1', 'review quality 1',
      'builder', 'gates', 'review quality 2',
      'builder', 'gates', 'review quality 3',
    ]);
    expect(t.git.commits).toEqual([]);
    expect(escalated.agentRuns).toBe(3);
    expect(escalated.receipts).toEqual([receipt()]);
    expect(escalated.escalation).toMatchObject({ taskId: 'TASK-003', stage: 'quality' });
    expect(escalated.escalation.whatHappened).toContain('The code quality review of TASK-003 did not pass in 3 rounds. Still open: [important] src/sum.mjs:1');
    expect(escalated.escalation.whatWasTried).toEqual([
      'spec compliance round 1: passed',
      'code quality round 1: 1 finding (1 important) sent to the Builder',
      'code quality round 2: 1 finding (1 important) sent to the Builder',
      'code quality round 3: 1 finding (1 important) sent to the Builder',
    ]);
    expect(escalated.escalation.decisionNeeded).toContain('TASK-003');
    expect(escalated.escalation.options.length).toBeGreaterThan(1);
    // The Builder was warned before the last round.
    expect(t.builder.lastUserTexts()[2]).toContain('If the next review still requests changes, the task goes to a person to decide.');
  });

  it('drops a finding whose file or line does not exist: it never reaches the Builder and is recorded', async () => {
    const t = setup(
      [WORK, {}],
      [[receipt()], [receipt()]],
      [
        review('spec', 'changes_requested', [finding('src/sum.mjs', 2), finding('src/sum.mjs', 40), finding('src/ghost.mjs', 1)]),
        review('spec', 'pass'),
        review('quality', 'pass'),
      ],
    );
    const result = await runTask(TASK, t.ports, OPTIONS);

    const done = expectKind(result, 'done');
    const fix = t.builder.lastUserTexts()[1]!;
    expect(fix).toContain('1. [important] `src/sum.mjs:2`');
    expect(fix).not.toContain('sum.mjs:40');
    expect(fix).not.toContain('ghost');
    expect(fix).not.toMatch(/^2\. /m);
    expect(done.reviews![0]!.rejected.map((r) => r.reason)).toEqual([
      'finding 2: `src/sum.mjs:40`: the file has 3 lines, so line 40 does not exist',
      'finding 3: `src/ghost.mjs:1`: no such file in the project',
    ]);
    expect(t.fileIndex.lookups).toEqual(['src/sum.mjs', 'src/ghost.mjs']);
    // The reviewer hears which of its citations were dropped.
    expect(t.reviewer.lastUserTexts()[1]).toContain('Some citations of your last report were dropped and never reached the Builder:');
    expect(t.reviewer.lastUserTexts()[1]).toContain('`src/ghost.mjs:1`: no such file in the project');
  });

  it('asks the reviewer once more when every citation was rejected, then passes the stage without troubling the Builder', async () => {
    const t = setup(
      [WORK],
      [[receipt()]],
      [
        review('spec', 'changes_requested', [finding('src/ghost.mjs', 1)]),
        review('spec', 'changes_requested', [finding('src/sum.mjs', 99)]),
        review('quality', 'pass'),
      ],
    );
    const result = await runTask(TASK, t.ports, OPTIONS);

    const done = expectKind(result, 'done');
    expect(t.log).toEqual(['builder', 'gates', 'review spec 1', 'review spec 1', 'review quality 1', 'commit']);
    const reask = t.reviewer.lastUserTexts()[1]!;
    expect(reask).toContain('`src/ghost.mjs:1`: no such file in the project');
    expect(reask).toContain('None of your findings could be checked, so none reached the Builder.');
    expect(t.reviewer.calls[1]!.messages.length).toBeGreaterThan(t.reviewer.calls[0]!.messages.length);
    expect(done.reviews?.map((r) => `${r.stage}:${r.round}:${r.outcome}`)).toEqual(['spec:1:unusable', 'spec:1:dismissed', 'quality:1:pass']);
    expect(done.reviewRounds).toBe(2);
    expect(t.builder.calls).toHaveLength(1);
    expect(t.git.commits[0]!.body).toContain('spec compliance passed in round 1 (its findings cited lines that do not exist and were dismissed)');
  });

  it('runs the receipts again after each fix, with the repair limit counted from the last passing run', async () => {
    const t = setup(
      [WORK, {}, {}, {}],
      [[failing()], [receipt()], [failing({ outputTail: 'not ok 3 - zero' })], [receipt()]],
      [review('spec', 'changes_requested', [finding('src/sum.mjs', 2)]), review('spec', 'pass'), review('quality', 'pass')],
    );
    const result = await runTask(TASK, t.ports, { ...OPTIONS, repair: { maxAttempts: 1 } });

    const done = expectKind(result, 'done');
    expect(t.log).toEqual(['builder', 'gates', 'builder', 'gates', 'review spec 1', 'builder', 'gates', 'builder', 'gates', 'review spec 2', 'review quality 1', 'commit']);
    expect(done.gateRuns.map((run) => run[0]!.exitCode)).toEqual([1, 0, 1, 0]);
    const told = t.builder.lastUserTexts();
    expect(told[1]).toContain('repair attempt 1 of 1');
    expect(told[2]).toContain('The spec compliance review (round 1 of 3) requests changes.');
    expect(told[3]).toContain('not ok 3 - zero');
    expect(told[3]).toContain('repair attempt 1 of 1');
  });

  it('blocks when a fix breaks the gates past the repair limit, before any further review', async () => {
    const t = setup([WORK, {}, {}], [[receipt()], [failing()], [failing({ outputTail: 'still broken' })]], [review('spec', 'changes_requested', [finding('src/sum.mjs', 2)])]);
    const result = await runTask(TASK, t.ports, { ...OPTIONS, repair: { maxAttempts: 1 } });
    const blocked = expectKind(result, 'blocked');
    expect(blocked.blocker).toContain('after 1 repair attempt');
    expect(blocked.receipts?.[0]?.outputTail).toBe('still broken');
    expect(t.reviewer.calls).toHaveLength(1);
    expect(t.git.commits).toEqual([]);
  });

  it.each([
    ['a prose reply', (m: readonly ChatMessage[]): ReviewPortOutcome => ({ kind: 'unreported', reason: 'it replied without calling report_review: "Looks fine."', messages: m }), 'blocked'],
    ['a failed run', (m: readonly ChatMessage[]): ReviewPortOutcome => ({ kind: 'unreported', reason: 'its run failed: busy', messages: m }), 'blocked'],
    ['a budget refusal', (m: readonly ChatMessage[]): ReviewPortOutcome => ({ kind: 'budget_refused', message: 'The project budget of $5.00 is spent.', messages: m }), 'budget_refused'],
    ['an abort', (m: readonly ChatMessage[]): ReviewPortOutcome => ({ kind: 'aborted', messages: m }), 'aborted'],
  ] as const)('never passes the task when the reviewer ends with %s', async (_title, end, kind) => {
    const t = setup([WORK], [[receipt()]], [end]);
    const result = await runTask(TASK, t.ports, OPTIONS);
    expect(result.kind).toBe(kind);
    expect(t.git.commits).toEqual([]);
    if (result.kind === 'blocked') {
      expect(result.blocker).toMatch(/^the reviewer did not report \(spec compliance review, round 1\): /);
      expect(result.receipts).toBeUndefined();
    }
    if (result.kind === 'budget_refused') expect(result.message).toContain('$5.00');
  });

  it('blocks when the reviewer, asked again, still reports on the wrong stage', async () => {
    const t = setup([WORK], [[receipt()]], [review('quality', 'pass'), review('quality', 'pass')]);
    const result = await runTask(TASK, t.ports, OPTIONS);
    const blocked = expectKind(result, 'blocked');
    expect(blocked.blocker).toBe('the reviewer did not report on the spec compliance stage: asked twice for the spec compliance review, it reported on stage quality');
    expect(t.reviewer.lastUserTexts()[1]).toContain('but this is the spec compliance review (stage "spec")');
    expect(t.git.commits).toEqual([]);
  });

  it('does not review work that has nothing to commit', async () => {
    const t = setup([WORK], [[receipt()]], []);
    const git = fakeGit(status(), status());
    const result = await runTask(TASK, { ...t.ports, git }, OPTIONS);
    expectKind(result, 'no_changes');
    expect(t.reviewer.calls).toEqual([]);
  });

  it('names the files to review relative to the project when the repository top is above it', async () => {
    const t = setup([WORK], [[receipt()]], [review('spec', 'pass'), review('quality', 'pass')]);
    const git = fakeGit(status({ root: '/work' }), status({ root: '/work', untracked: ['proj/src/sum.mjs', 'proj/test/sum.test.mjs'], clean: false }));
    const result = await runTask(TASK, { ...t.ports, git }, OPTIONS);
    expect(expectKind(result, 'done').changedFiles).toEqual(['proj/src/sum.mjs', 'proj/test/sum.test.mjs']);
    expect(t.reviewer.lastUserTexts()[0]).toContain('- src/sum.mjs\n- test/sum.test.mjs');
  });

  it('sends the reviewer\'s events to onReviewEvent when given (a patrol need not count them), else to onEvent', async () => {
    const split = setup([WORK], [[receipt()]], [review('spec', 'pass'), review('quality', 'pass')]);
    const builderEvents: string[] = [];
    const reviewEvents: string[] = [];
    await runTask(TASK, split.ports, { ...OPTIONS, onEvent: (e) => builderEvents.push(e.type), onReviewEvent: (e) => reviewEvents.push(e.type) });
    expect(builderEvents).toEqual(['tool_result']);
    expect(reviewEvents).toEqual(['turn_start', 'turn_start']);

    const shared = setup([WORK], [[receipt()]], [review('spec', 'pass'), review('quality', 'pass')]);
    const all: string[] = [];
    await runTask(TASK, shared.ports, { ...OPTIONS, onEvent: (e) => all.push(e.type) });
    expect(all).toEqual(['tool_result', 'turn_start', 'turn_start']);
  });

  it('tells onPhase where the task is: Builder, gates, each review stage, commit', async () => {
    const t = setup([WORK], [[receipt()]], [review('spec', 'pass'), review('quality', 'pass')]);
    const phases: TaskPhase[] = [];
    expectKind(await runTask(TASK, t.ports, { ...OPTIONS, onPhase: (p) => phases.push(p) }), 'done');
    expect(phases).toEqual([
      { kind: 'builder', run: 1 },
      { kind: 'gates', commands: ['npm test'] },
      { kind: 'review', stage: 'spec', round: 1 },
      { kind: 'review', stage: 'quality', round: 1 },
      { kind: 'commit' },
    ]);
  });

  it('says why the change cannot be shown when git cannot diff, and the review goes on from the files', async () => {
    const t = setup([WORK], [[receipt()]], [review('spec', 'pass'), review('quality', 'pass')]);
    const git: TaskGitPort = { ...t.ports.git, diffFiles: async () => gitFail('git-failed', 'index.lock exists') };
    expectKind(await runTask(TASK, { ...t.ports, git }, OPTIONS), 'done');
    expect(t.reviewer.lastUserTexts()[0]).toContain('The change against the last commit could not be shown (index.lock exists); read the files.');
  });

  it('commits unreviewed, with reviewRounds 0 and no review record, when no reviewer is given', async () => {
    const t = setup([WORK], [[receipt()]], []);
    const { reviewer: _r, fileIndex: _f, ...withoutReview } = t.ports;
    const done = expectKind(await runTask(TASK, withoutReview, OPTIONS), 'done');
    expect(done.reviewRounds).toBe(0);
    expect(done).not.toHaveProperty('reviews');
    expect(t.git.commits[0]!.body).not.toContain('Review:');
  });

  it('refuses a reviewer without a file index to check its citations', async () => {
    const t = setup([WORK], [[receipt()]], []);
    const { fileIndex: _f, ...noIndex } = t.ports;
    await expect(runTask(TASK, noIndex, OPTIONS)).rejects.toThrow(/needs ports.fileIndex/);
  });
});
