import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../../src/core/build/build-record.js';
import { blankRecord, recordFromResult, startedRecord } from '../../../src/core/build/task-outcome.js';
import type { TaskResult, TaskRunRecord } from '../../../src/core/build/task-result.js';
import { taskCommitBody } from '../../../src/core/build/task-commit.js';
import { receipt } from './build-fixtures.js';

const NOW = '2025-02-03T04:05:08.000Z';
const failing = receipt({ exitCode: 1, outputTail: 'not ok 1 - double works' });

function run(gateRuns: TaskRunRecord['gateRuns']): TaskRunRecord {
  return { taskId: 'TASK-001', messages: [], agentRuns: gateRuns.length, gateRuns, reportedFiles: [], snapshot: null, startedAt: NOW, finishedAt: NOW };
}

const started = (previous?: TaskRecord): TaskRecord => startedRecord(previous, 'TASK-001', NOW);
const recordOf = (previous: TaskRecord, result: TaskResult): TaskRecord => recordFromResult(previous, { kind: 'result', result }, { now: NOW, decisions: [] }).record;

describe('recordFromResult', () => {
  it('counts the failed gate runs a DONE task went through, over its attempts', () => {
    const done = (gateRuns: TaskRunRecord['gateRuns']): TaskResult => ({
      ...run(gateRuns),
      kind: 'done',
      sha: 'a'.repeat(40),
      receipts: [receipt()],
      summary: 'built',
      concerns: [],
      changedFiles: ['src/double.js'],
      heldBack: [],
      unattributed: [],
      reviewRounds: 2,
    });
    const first = recordOf(started(), done([[failing], [failing], [receipt()]]));
    expect(first).toMatchObject({ status: 'DONE', attempts: 1, failedGateRuns: 2, receipts: [receipt()] });
    expect(recordOf(started(first), done([[failing], [receipt()]])).failedGateRuns).toBe(3);
    expect(blankRecord('TASK-001').failedGateRuns).toBeUndefined();
  });

  it('words a BLOCKED reason without repeating BLOCKED (it is shown after "TASK-001 BLOCKED:")', () => {
    const record = recordOf(started(), { ...run([[failing]]), kind: 'blocked', blocker: 'the gates still fail after 5 repair attempts', receipts: [failing] });
    expect(record.status).toBe('BLOCKED');
    expect(record.reason).toMatch(/^the gates still fail after 5 repair attempts\./);
  });

  it('tells the person what happened, what was tried and the decision needed when the review escalates', () => {
    const history = [1, 2, 3].map((round) => ({ stage: 'spec' as const, round, outcome: 'changes_requested' as const, accepted: [], rejected: [] }));
    const record = recordOf(started(), {
      ...run([[receipt()]]),
      reviews: history,
      kind: 'escalated',
      receipts: [receipt()],
      escalation: {
        taskId: 'TASK-001',
        stage: 'spec',
        whatHappened: 'The spec compliance review of TASK-001 did not pass in 3 rounds. Still open: [important] src/double.js:2 no input check',
        whatWasTried: ['spec compliance round 1: 1 important sent to the Builder', 'spec compliance round 2: 1 important sent to the Builder'],
        decisionNeeded: 'Decide how TASK-001 goes on: the review loop stops here until a person chooses.',
        options: [],
      },
    });
    expect(record.reason).toBe(
      'the review did not settle after 3 rounds and needs your decision. ' +
        'What happened: The spec compliance review of TASK-001 did not pass in 3 rounds. Still open: [important] src/double.js:2 no input check. ' +
        'What was tried: spec compliance round 1: 1 important sent to the Builder; spec compliance round 2: 1 important sent to the Builder. ' +
        'Decision needed: Decide how TASK-001 goes on: the review loop stops here until a person chooses. ' +
        'Type !retry TASK-001 to run it again, or !skip TASK-001.',
    );
    expect(record.reviewRounds).toBe(3);
  });

  it('keeps the branch of a task that conflicted twice in its reason', () => {
    const { record } = recordFromResult(started(), { kind: 'conflict', files: ['src/index.js'], branch: 'codesleuth/p/task-001-2', sha: 'b'.repeat(40) }, { now: NOW, decisions: [] });
    expect(record.status).toBe('BLOCKED');
    expect(record.reason).toContain(`Its commit ${'b'.repeat(12)} is kept on branch codesleuth/p/task-001-2: merge it by hand (git merge codesleuth/p/task-001-2)`);
  });
});

describe('taskCommitBody', () => {
  it('says how many gate runs failed before the passing one', () => {
    const body = taskCommitBody({ receipts: [receipt()], commands: [{ name: 'test', command: 'npm test' }], concerns: [], heldBack: [], failedGateRuns: 2 });
    expect(body).toContain('Repairs: the gates failed 2 times before this run passed; each failure went back to the Builder with its output.');
    expect(taskCommitBody({ receipts: [receipt()], commands: [], concerns: [], heldBack: [] })).not.toContain('Repairs');
  });
});
