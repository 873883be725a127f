import { describe, expect, it, vi } from 'vitest';
import type { ReportReviewInput, ReviewFinding } from '../../../src/core/build/review-report.js';
import {
  checkReviewFindings,
  findingsForBuilder,
  recordReviewRound,
  reviewRoundsRun,
  startReview,
  type ReviewState,
  type ReviewStep,
} from '../../../src/core/build/review-rounds.js';
import type { FileIndex } from '../../../src/core/verdicts/evidence.js';

const files: Record<string, number> = { 'src/a.ts': 20, 'src/b.ts': 5 };
const index: FileIndex = { lineCount: vi.fn(async (file: string) => files[file]) };

function f(file: string, line: number, severity: ReviewFinding['severity'] = 'important'): ReviewFinding {
  return { severity, file, line, problem: `Problem at ${file}:${line}.`, fix: 'Do the right thing.' };
}

function report(stage: ReportReviewInput['stage'], verdict: ReportReviewInput['verdict'], findings: ReviewFinding[] = []): ReportReviewInput {
  return { stage, verdict, findings };
}

async function round(state: ReviewState, r: ReportReviewInput, maxRounds?: number): Promise<{ state: ReviewState; step: ReviewStep }> {
  return recordReviewRound(state, await checkReviewFindings(r, index), maxRounds);
}

describe('checkReviewFindings', () => {
  it('keeps findings whose file:line exists, drops and reports the others', async () => {
    const checked = await checkReviewFindings(report('spec', 'changes_requested', [f('src/a.ts', 20), f('src/a.ts', 21), f('src/nope.ts', 1), f('../x.ts', 1)]), index);
    expect(checked.accepted).toEqual([f('src/a.ts', 20)]);
    expect(checked.rejected.map((r) => r.reason)).toEqual([
      'finding 2: `src/a.ts:21`: the file has 20 lines, so line 21 does not exist',
      'finding 3: `src/nope.ts:1`: no such file in the project',
      'finding 4: `../x.ts:1`: the path leads outside the project folder',
    ]);
    expect(checked.rejected[0]!.finding).toEqual(f('src/a.ts', 21));
    expect(checked.rejectedText).toContain('3 cited locations do not exist in the project:');
  });
});

describe('review rounds', () => {
  it('spec compliance, then code quality, then approved', async () => {
    let s = startReview('TASK-007');
    expect(s.stage).toBe('spec');
    const first = await round(s, report('spec', 'pass'));
    expect(first.step).toEqual({ kind: 'next-stage', stage: 'quality' });
    s = first.state;
    expect(s).toMatchObject({ stage: 'quality', round: 0 });
    const second = await round(s, report('quality', 'pass'));
    expect(second.step).toEqual({ kind: 'approved' });
    expect(second.state.history.map((r) => `${r.stage}:${r.round}:${r.outcome}`)).toEqual(['spec:1:pass', 'quality:1:pass']);
  });

  it('sends every accepted finding back as ONE numbered list, without the rejected ones', async () => {
    const { step } = await round(startReview('TASK-007'), report('spec', 'changes_requested', [f('src/a.ts', 3, 'critical'), f('src/zzz.ts', 1), f('src/b.ts', 5, 'minor')]));
    expect(step.kind).toBe('fix');
    if (step.kind !== 'fix') return;
    expect(step.feedback).toBe(
      [
        'The spec compliance review (round 1 of 3) requests changes. Fix every item below, run the gates, then report:',
        '',
        '1. [critical] `src/a.ts:3`: Problem at src/a.ts:3. Fix: Do the right thing.',
        '2. [minor] `src/b.ts:5`: Problem at src/b.ts:5. Fix: Do the right thing.',
      ].join('\n'),
    );
    expect(step.feedback).not.toContain('zzz');
    expect(step.rejectedText).toContain('`src/zzz.ts:1`: no such file in the project');
  });

  it('asks the reviewer again when every finding cited a line that does not exist', async () => {
    const { state, step } = await round(startReview('TASK-007'), report('spec', 'changes_requested', [f('src/a.ts', 99)]));
    expect(step).toMatchObject({ kind: 'rereview', stage: 'spec', round: 1 });
    if (step.kind === 'rereview') expect(step.feedback).toContain('None of your findings could be checked');
    expect(state.history[0]).toMatchObject({ outcome: 'unusable', note: 'every finding cited a location that does not exist' });
  });

  it('asks again when the report names the wrong stage', async () => {
    const { step } = await round(startReview('TASK-007'), report('quality', 'pass'));
    expect(step.kind).toBe('rereview');
    if (step.kind === 'rereview') expect(step.feedback).toContain('this is the spec compliance review (stage "spec")');
  });

  it.each([
    ['changes requested three times', ['changes', 'changes', 'changes']],
    ['an unusable report, asked again, does not use up a round', ['unusable', 'changes', 'changes', 'unusable', 'changes']],
  ])('escalates after three rounds in a stage: %s', async (_title, kinds) => {
    let s = startReview('TASK-007');
    const steps: ReviewStep[] = [];
    for (const kind of kinds) {
      const r = kind === 'changes' ? report('spec', 'changes_requested', [f('src/a.ts', 3)]) : report('spec', 'changes_requested', [f('gone.ts', 1)]);
      const result = await round(s, r);
      s = result.state;
      steps.push(result.step);
    }
    expect(steps.slice(0, -1).map((step) => step.kind)).not.toContain('escalate');
    const last = steps.at(-1)!;
    expect(last.kind).toBe('escalate');
    if (last.kind !== 'escalate') return;
    expect(last.escalation.taskId).toBe('TASK-007');
    expect(last.escalation.stage).toBe('spec');
    expect(last.escalation.whatHappened).toContain('The spec compliance review of TASK-007 did not pass in 3 rounds.');
    expect(last.escalation.whatWasTried).toHaveLength(kinds.length);
    expect(last.escalation.decisionNeeded).toContain('TASK-007');
    expect(last.escalation.options).toContain('mark TASK-007 SKIPPED (its dependents are flagged)');
    expect(reviewRoundsRun(s.history)).toBe(3);
  });

  it('passes the stage when the re-asked reviewer still cites only lines that do not exist', async () => {
    const first = await round(startReview('TASK-007'), report('spec', 'changes_requested', [f('src/a.ts', 99)]));
    expect(first.step).toMatchObject({ kind: 'rereview', round: 1 });
    expect(first.state.round).toBe(0);
    const second = await round(first.state, report('spec', 'changes_requested', [f('src/ghost.ts', 4)]));
    expect(second.step).toEqual({ kind: 'next-stage', stage: 'quality' });
    expect(second.state.history.map((r) => `${r.stage}:${r.round}:${r.outcome}`)).toEqual(['spec:1:unusable', 'spec:1:dismissed']);
    expect(second.state.history[1]!.rejected[0]!.reason).toContain('`src/ghost.ts:4`: no such file in the project');
    expect(reviewRoundsRun(second.state.history)).toBe(1);
  });

  it('stops the review when the re-asked reviewer reports on the wrong stage again', async () => {
    const first = await round(startReview('TASK-007'), report('quality', 'pass'));
    expect(first.step.kind).toBe('rereview');
    const second = await round(first.state, report('quality', 'pass'));
    expect(second.step).toMatchObject({ kind: 'reviewer_failed', stage: 'spec', round: 1 });
    if (second.step.kind === 'reviewer_failed') expect(second.step.reason).toContain('it reported on stage quality');
  });

  it('counts rounds per stage and records what was tried in both', async () => {
    let s = startReview('TASK-001');
    s = (await round(s, report('spec', 'changes_requested', [f('src/a.ts', 1)]))).state;
    s = (await round(s, report('spec', 'pass'))).state;
    s = (await round(s, report('quality', 'changes_requested', [f('src/a.ts', 2, 'critical'), f('src/a.ts', 40)]))).state;
    s = (await round(s, report('quality', 'changes_requested', [f('src/b.ts', 2)]))).state;
    const { step } = await round(s, report('quality', 'changes_requested', [f('src/b.ts', 3), f('src/b.ts', 4, 'minor')]));
    if (step.kind !== 'escalate') throw new Error(`expected escalate, got ${step.kind}`);
    expect(step.escalation.whatWasTried).toEqual([
      'spec compliance round 1: 1 finding (1 important) sent to the Builder',
      'spec compliance round 2: passed',
      'code quality round 1: 1 finding (1 critical) sent to the Builder; 1 dropped for citing lines that do not exist',
      'code quality round 2: 1 finding (1 important) sent to the Builder',
      'code quality round 3: 2 findings (1 important, 1 minor) sent to the Builder',
    ]);
    expect(step.escalation.whatHappened).toContain('Still open: [important] src/b.ts:3 Problem at src/b.ts:3.; [minor] src/b.ts:4');
  });

  it('warns the Builder on the round before the last', () => {
    expect(findingsForBuilder('quality', [f('src/a.ts', 1)], 1)).not.toContain('goes to a person');
    expect(findingsForBuilder('quality', [f('src/a.ts', 1)], 2)).toContain('If the next review still requests changes, the task goes to a person to decide.');
  });

  it('takes another round limit', async () => {
    const { step } = await round(startReview('TASK-001'), report('spec', 'changes_requested', [f('src/a.ts', 1)]), 1);
    expect(step.kind).toBe('escalate');
  });
});
