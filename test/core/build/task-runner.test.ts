import { describe, expect, it } from 'vitest';
import { messageText } from '../../../src/core/agent/conversation.js';
import { taskBrief } from '../../../src/core/build/task-brief.js';
import { projectPrefix, splitTaskFiles, toRepoPath } from '../../../src/core/build/task-files.js';
import { runTask } from '../../../src/core/build/task-runner.js';
import type { GatesPort } from '../../../src/core/build/task-runner-ports.js';
import { gitFail } from '../../../src/core/git/git-results.js';
import { OPTIONS, TASK, clock, expectKind, failing, fakeGit, fileIndexOf, finished, receipt, review, scriptedBuilder, scriptedGates, scriptedReviewer, status } from './build-fixtures.js';

describe('runTask', () => {
  it('commits only the task files after passing receipts, leaving the person\'s untracked file out', async () => {
    const builder = scriptedBuilder([{ changedFiles: ['src/sum.mjs', 'test/sum.test.mjs'] }]);
    const gates = scriptedGates([[receipt()]]);
    const git = fakeGit(
      status({ untracked: ['notes.txt'], clean: false }),
      status({ untracked: ['notes.txt', 'src/sum.mjs', 'test/sum.test.mjs'], clean: false }),
    );
    const result = await runTask(TASK, { builder, gates, git, clock }, OPTIONS);

    const done = expectKind(result, 'done');
    expect(done.sha).toBe('f00d'.repeat(10));
    expect(done.changedFiles).toEqual(['src/sum.mjs', 'test/sum.test.mjs']);
    expect(done.receipts).toEqual([receipt()]);
    expect(git.commits).toHaveLength(1);
    expect(git.commits[0]).toMatchObject({ taskId: 'TASK-003', title: 'Add the sum function', files: ['src/sum.mjs', 'test/sum.test.mjs'] });
    expect(git.commits[0]!.files).not.toContain('notes.txt');
    expect(git.commits[0]!.body).toMatch(/^Gates: PASS \(1 of 1 passed\)\n- test: `npm test` → exit 0/);
    // The person's work was snapshotted before the agent could touch it.
    expect(git.snapshots).toEqual(['before-task-003']);
    expect(done.snapshot?.ref).toContain('before-task-003');
    // The first message names the task and its criteria.
    const brief = builder.lastUserTexts()[0]!;
    expect(brief).toContain('Implement TASK-003: Add the sum function');
    expect(brief).toContain('- sum of negatives works');
    expect(brief).toContain('- src/sum.mjs');
    expect(builder.calls[0]!.taskId).toBe('TASK-003');
  });

  it('holds back a reported file that already had the person\'s uncommitted changes, and says so', async () => {
    const builder = scriptedBuilder([
      { changedFiles: ['src/sum.mjs', 'README.md'], end: (m) => finished(m, { status: 'DONE_WITH_CONCERNS', concerns: ['src/sum.mjs:2 overflow is not handled'] }) },
    ]);
    const git = fakeGit(status({ modified: ['README.md'], clean: false }), status({ modified: ['README.md'], untracked: ['src/sum.mjs', 'build.log'], clean: false }));
    const result = await runTask(TASK, { builder, gates: scriptedGates([[receipt()]]), git, clock }, OPTIONS);

    const done = expectKind(result, 'done');
    expect(done.changedFiles).toEqual(['src/sum.mjs']);
    expect(done.heldBack).toEqual(['README.md']);
    expect(done.unattributed).toEqual(['build.log']);
    expect(done.concerns).toEqual(['src/sum.mjs:2 overflow is not handled']);
    expect(git.commits[0]!.files).toEqual(['src/sum.mjs']);
    expect(git.commits[0]!.body).toContain('Concerns:\n- src/sum.mjs:2 overflow is not handled');
    expect(git.commits[0]!.body).toContain('Not committed (they held uncommitted changes before the task began):\n- README.md');
  });

  it('feeds failing gate output back twice, then commits on the third run', async () => {
    const builder = scriptedBuilder([{ changedFiles: ['src/sum.mjs'] }, {}, { changedFiles: ['test/sum.test.mjs'] }]);
    const first = failing({ outputTail: 'not ok 1 - adds negatives\n  expected -6, got -5' });
    const second = failing({ outputTail: 'not ok 2 - handles NaN' });
    const gates = scriptedGates([[first], [second], [receipt()]]);
    const git = fakeGit(status(), status({ untracked: ['src/sum.mjs', 'test/sum.test.mjs'], clean: false }));
    const recorded: unknown[] = [];
    const phases: string[] = [];
    const result = await runTask(TASK, { builder, gates, git, clock }, { ...OPTIONS, onReceipts: (r) => recorded.push(r), onPhase: (p) => phases.push(p.kind === 'builder' ? `builder ${p.run}` : p.kind) });

    const done = expectKind(result, 'done');
    // Each gate run's receipts are told as they are recorded, and each repair is a new Builder run.
    expect(recorded).toEqual([[first], [second], [receipt()]]);
    expect(phases).toEqual(['builder 1', 'gates', 'builder 2', 'gates', 'builder 3', 'gates', 'commit']);
    expect(done.agentRuns).toBe(3);
    expect(gates.count()).toBe(3);
    expect(done.gateRuns).toEqual([[first], [second], [receipt()]]);
    const told = builder.lastUserTexts();
    expect(told[1]).toContain('expected -6, got -5');
    expect(told[1]).toContain('repair attempt 1 of 5');
    expect(told[2]).toContain('not ok 2 - handles NaN');
    expect(told[2]).toContain('repair attempt 2 of 5');
    // Each repair continues the same conversation (the earlier report is still in it).
    expect(builder.calls[2]!.messages.length).toBeGreaterThan(builder.calls[1]!.messages.length);
    // Files from every run count, and only one commit is made.
    expect(done.changedFiles).toEqual(['src/sum.mjs', 'test/sum.test.mjs']);
    expect(git.commits).toHaveLength(1);
    expect(git.snapshots).toEqual([]); // the tree was clean
  });

  it('blocks after the repair limit with the last receipts, and commits nothing', async () => {
    const builder = scriptedBuilder([{ changedFiles: ['src/sum.mjs'] }, {}, {}]);
    const gates = scriptedGates([[failing()], [failing()], [failing({ outputTail: 'still failing' })]]);
    const git = fakeGit(status(), status({ untracked: ['src/sum.mjs'], clean: false }));
    const result = await runTask(TASK, { builder, gates, git, clock }, { ...OPTIONS, repair: { maxAttempts: 2 } });

    const blocked = expectKind(result, 'blocked');
    expect(blocked.agentRuns).toBe(3);
    expect(blocked.blocker).toContain('after 2 repair attempts');
    expect(blocked.receipts?.[0]?.outputTail).toBe('still failing');
    expect(git.commits).toEqual([]);
  });

  it('never commits on the model\'s word: DONE with failing receipts is not done', async () => {
    const builder = scriptedBuilder([{ changedFiles: ['src/sum.mjs'], end: (m) => finished(m, { summary: 'All tests pass.' }) }]);
    const git = fakeGit(status(), status({ untracked: ['src/sum.mjs'], clean: false }));
    const result = await runTask(TASK, { builder, gates: scriptedGates([[failing()]]), git, clock }, { ...OPTIONS, repair: { maxAttempts: 0 } });
    expectKind(result, 'blocked');
    expect(git.commits).toEqual([]);
  });

  it('returns the questions of NEEDS_CONTEXT without running the gates', async () => {
    const builder = scriptedBuilder([{ end: (m) => finished(m, { status: 'NEEDS_CONTEXT', questions: ['Should sum accept strings?'] }) }]);
    const gates = scriptedGates([]);
    const git = fakeGit(status(), status());
    const result = await runTask(TASK, { builder, gates, git, clock }, OPTIONS);

    const needs = expectKind(result, 'needs_context');
    expect(needs.questions).toEqual(['Should sum accept strings?']);
    expect(needs.messages.at(-2)?.role).toBe('assistant');
    expect(gates.count()).toBe(0);
    expect(git.commits).toEqual([]);
  });

  it('returns the agent\'s own BLOCKED report', async () => {
    const builder = scriptedBuilder([{ end: (m) => finished(m, { status: 'BLOCKED', blocker: 'INTERFACES.md contradicts the task' }) }]);
    const result = await runTask(TASK, { builder, gates: scriptedGates([]), git: fakeGit(status(), status()), clock }, OPTIONS);
    const blocked = expectKind(result, 'blocked');
    expect(blocked.blocker).toBe('INTERFACES.md contradicts the task');
    expect(blocked.receipts).toBeUndefined();
  });

  it('maps a budget refusal to budget_refused, keeping the transcript to continue from', async () => {
    const builder = scriptedBuilder([{ end: (m) => ({ kind: 'budget_refused', message: 'The project budget of $5.00 is spent.', messages: m }) }]);
    const gates = scriptedGates([]);
    const git = fakeGit(status(), status());
    const result = await runTask(TASK, { builder, gates, git, clock }, OPTIONS);

    const refused = expectKind(result, 'budget_refused');
    expect(refused.message).toContain('$5.00');
    expect(refused.messages).toHaveLength(1);
    expect(gates.count()).toBe(0);
    expect(git.commits).toEqual([]);
  });

  it.each([
    ['failed', { kind: 'failed', error: { kind: 'overloaded', message: 'busy' } }, 'failed'],
    ['aborted', { kind: 'aborted' }, 'aborted'],
    ['max_turns', { kind: 'max_turns', turns: 150 }, 'max_turns'],
    ['reply', { kind: 'reply', text: 'I think it works.', stopReason: 'end_turn' }, 'unreported'],
  ] as const)('maps an agent outcome %s to its own result kind', async (_name, outcome, kind) => {
    const builder = scriptedBuilder([{ end: (m) => ({ ...outcome, messages: m }) as never }]);
    const result = await runTask(TASK, { builder, gates: scriptedGates([]), git: fakeGit(status(), status()), clock }, OPTIONS);
    expect(result.kind).toBe(kind);
  });

  it('reads the gate commands only after the Builder reports, and sends "no gate commands" back as a failed gate', async () => {
    let commands: { name: string; command: string }[] = [];
    const builder = scriptedBuilder([{ changedFiles: ['package.json'] }, { work: async () => void (commands = [{ name: 'test', command: 'npm test' }]) }]);
    const passing = scriptedGates([[receipt()]]);
    const gates: GatesPort = { commands: async () => commands, run: (c) => passing.run(c) };
    const git = fakeGit(status(), status({ untracked: ['package.json'], clean: false }));
    const result = await runTask(TASK, { builder, gates, git, clock }, OPTIONS);
    expectKind(result, 'done');
    expect(passing.count()).toBe(1);
    expect(result.gateRuns[0]!.map((r) => [r.gate, r.exitCode])).toEqual([['gates', null]]);
    expect(messageText(builder.calls[1]!.messages.at(-1)!.content)).toMatch(/no gate commands/);
  });

  it('stops before the agent when git status fails', async () => {
    const builder = scriptedBuilder([]);
    const git = { ...fakeGit(status(), status()), status: async () => gitFail<never>('not-a-repo', 'not a repository') };
    const result = await runTask(TASK, { builder, gates: scriptedGates([]), git, clock }, OPTIONS);
    expect(expectKind(result, 'git_failed').step).toBe('status');
    expect(builder.calls).toEqual([]);
  });

  it('reports no_changes when the gates pass but nothing of the task changed', async () => {
    const builder = scriptedBuilder([{ changedFiles: ['src/sum.mjs'] }]);
    const git = fakeGit(status(), status());
    const result = await runTask(TASK, { builder, gates: scriptedGates([[receipt()]]), git, clock }, OPTIONS);
    expectKind(result, 'no_changes');
    expect(git.commits).toEqual([]);
  });

  it('maps project-relative paths into a repository whose top is above the project', async () => {
    const builder = scriptedBuilder([{ changedFiles: ['src/sum.mjs'], end: (m) => finished(m, { changed_files: ['./package-lock.json'] }) }]);
    const git = fakeGit(status({ root: '/work' }), status({ root: '/work', untracked: ['proj/src/sum.mjs', 'proj/package-lock.json', 'other/x'], clean: false }));
    const result = await runTask(TASK, { builder, gates: scriptedGates([[receipt()]]), git, clock }, OPTIONS);
    const done = expectKind(result, 'done');
    expect(done.changedFiles).toEqual(['proj/package-lock.json', 'proj/src/sum.mjs']);
    expect(done.unattributed).toEqual(['other/x']);
  });
});

describe('task files', () => {
  it.each([
    ['/work/proj', '/work/proj', ''],
    ['/work', '/work/proj/', 'proj/'],
    ['/work/proj', '/elsewhere/proj', undefined],
    ['/work/pro', '/work/proj', undefined],
  ])('projectPrefix(%s, %s) is %s', (root, dir, expected) => {
    expect(projectPrefix(root, dir)).toBe(expected);
  });

  it.each([
    ['src/a.ts', 'src/a.ts'],
    ['./src/a.ts', 'src/a.ts'],
    ['/work/proj/src/a.ts', 'src/a.ts'],
    ['/etc/passwd', undefined],
    ['../other/a.ts', undefined],
    ['.', undefined],
  ])('toRepoPath(%s) is %s', (reported, expected) => {
    expect(toRepoPath(reported, '', '/work/proj')).toBe(expected);
  });

  it('splits reported files into commit, held back and unattributed', () => {
    expect(splitTaskFiles({ before: ['README.md', 'notes.txt'], after: ['README.md', 'notes.txt', 'src/a.ts', 'gen.js'], reported: ['src/a.ts', 'README.md', 'src/gone.ts'] })).toEqual({
      commit: ['src/a.ts'],
      heldBack: ['README.md'],
      unattributed: ['gen.js'],
    });
  });

  it('tells the Builder a STALE task must be derived again', () => {
    expect(taskBrief({ ...TASK, status: 'STALE' })).toContain('This task is STALE');
    expect(taskBrief(TASK)).not.toContain('STALE');
  });
});

describe('runTask and the gate scripts the build recorded', () => {
  /** A task that edits package.json and src/sum.mjs; its package.json then has `scripts`. */
  function weakening(scripts: Record<string, string>, recorded?: Record<string, string>) {
    const builder = scriptedBuilder([{ changedFiles: ['package.json', 'src/sum.mjs'] }]);
    const gates = { ...scriptedGates([[receipt()]]), scripts: async () => scripts };
    const git = fakeGit(status(), status({ modified: ['package.json'], untracked: ['src/sum.mjs'], clean: false }));
    const reviewer = scriptedReviewer([review('spec', 'pass'), review('quality', 'pass')]);
    const run = runTask(TASK, { builder, gates, git, clock, reviewer, fileIndex: fileIndexOf({ 'package.json': 20, 'src/sum.mjs': 3 }) }, { ...OPTIONS, ...(recorded ? { gateScripts: recorded } : {}) });
    return { run, git, gates, reviewer };
  }

  it('still runs the gates, and a changed recorded script is a concern in the result, the commit body and the review brief', async () => {
    const t = weakening({ test: 'exit 0', start: 'node .' }, { test: 'node --test' });
    const done = expectKind(await t.run, 'done');

    expect(t.gates.count()).toBe(1);
    const concern = 'This task changed the gate script "test" in package.json: it was `node --test`, now `exit 0`. The gates ran the new script; check that the task did not weaken its own gates.';
    expect(done.concerns).toEqual([concern]);
    expect(t.git.commits[0]!.body).toContain(`Concerns:\n- ${concern}`);
    expect(t.reviewer.lastUserTexts()[0]).toContain(concern);
    // What the gates ran, for the build to record.
    expect(done.gateScripts).toEqual({ test: 'exit 0' });
  });

  it('a task that first creates the scripts, or leaves them as recorded, raises no concern', async () => {
    const created = expectKind(await weakening({ test: 'node --test' }).run, 'done');
    expect(created.concerns).toEqual([]);
    expect(created.gateScripts).toEqual({ test: 'node --test' });

    const same = expectKind(await weakening({ test: 'node --test', start: 'node .' }, { test: 'node --test' }).run, 'done');
    expect(same.concerns).toEqual([]);
  });
});
