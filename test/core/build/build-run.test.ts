import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../src/core/agent/agent-types.js';
import type { Decision, TaskRecord } from '../../../src/core/build/build-record.js';
import {
  BuildRun,
  type BuildGitPort,
  type BuildObserver,
  type BuildOptions,
  type BuildProgress,
  type BuildPorts,
  type TaskHooks,
} from '../../../src/core/build/build-run.js';
import type { TaskResult } from '../../../src/core/build/task-runner.js';
import { gitFail, gitOk, type MergeOutcome, type Snapshot } from '../../../src/core/git/git-results.js';
import { restoreInstructions } from '../../../src/core/git/snapshot-names.js';
import type { Task, TaskGraph } from '../../../src/core/task-graph/task.js';
import { abortedResult, blockedResult, doneResult, receipt, runRecord, shaOf, status, task } from './build-fixtures.js';

/*
 * The build coordinator over scripted ports: no model, no git, no timers. Each task's
 * execute() is a script step; the fake git port records every call so the tests can say
 * where a task ran and how it landed.
 */

const PROJECT = '/work/proj';
const WORKTREES = '/work/.codesleuth-worktrees';

function graphOf(...tasks: Task[]): TaskGraph {
  return { tasks };
}

/** One scripted run of a task. */
type Step = (task: Task, dir: string, hooks: TaskHooks) => Promise<TaskResult> | TaskResult;

interface Call {
  readonly task: Task;
  readonly dir: string;
}

/** Resolves when the hooks' signal aborts. */
function aborted(hooks: TaskHooks): Promise<void> {
  return new Promise((resolve) => {
    if (hooks.signal.aborted) resolve();
    else hooks.signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** The merge commit the fake git makes for a task branch (`…/task-001-1` → c…c0011). */
function landedShaOf(branch: string): string {
  return (/task-(\d+)-(\d+)$/.exec(branch) ?? ['', '', '']).slice(1).join('').padStart(40, 'c');
}

/** A real agent run awaits the model before its first event; so do the scripted ones. */
const modelTurn = () => new Promise<void>((r) => setImmediate(r));

interface Harness {
  readonly run: BuildRun;
  readonly calls: Call[];
  readonly log: string[];
  readonly git: FakeGit;
  readonly persisted: BuildProgress[];
  readonly notes: string[];
  readonly started: { taskId: string; where: string }[];
  readonly finished: { record: TaskRecord; result: TaskResult }[];
}

interface FakeGit extends BuildGitPort {
  readonly calls: string[];
  /** What mergeBranch answers, per call (default: merged at the branch's name). */
  mergeAnswers: MergeOutcome[];
  /** The most merges ever in flight at once. */
  maxMerging: number;
}

function fakeGit(): FakeGit {
  let merging = 0;
  const git: FakeGit = {
    calls: [],
    mergeAnswers: [],
    maxMerging: 0,
    async status(repo) {
      git.calls.push(`status ${repo}`);
      return gitOk(status({ root: PROJECT }));
    },
    async addWorktree(repo, request) {
      git.calls.push(`addWorktree ${request.branch} ${request.dir} from ${request.base}`);
      return gitOk({ dir: request.dir, head: 'abc', branch: request.branch, main: false, locked: false, prunable: false });
    },
    async removeWorktree(_repo, dir, options) {
      git.calls.push(`removeWorktree ${dir}${options?.deleteBranch ? ' +branch' : ''}`);
      return gitOk({ dir, branch: null, branchDeleted: options?.deleteBranch === true, snapshot: null });
    },
    async mergeBranch(_repo, branch, options) {
      merging += 1;
      git.maxMerging = Math.max(git.maxMerging, merging);
      git.calls.push(`merge ${branch}${options.fastForward ? ' ff' : ''}`);
      // A merge takes a while: a second landing that does not wait its turn would overlap.
      await new Promise((r) => setTimeout(r, 5));
      merging -= 1;
      return gitOk(git.mergeAnswers.shift() ?? { kind: 'merged', sha: landedShaOf(branch) });
    },
    async setAsideWork(repo, label) {
      git.calls.push(`setAside ${repo} ${label}`);
      return gitFail('nothing-to-save', 'The work tree is clean.');
    },
  };
  return git;
}

function harness(options: {
  graph: TaskGraph;
  steps: Record<string, Step[]>;
  maxWorkers?: number;
  progress?: BuildProgress;
  signal?: AbortSignal;
  observer?: Partial<BuildObserver>;
  git?: FakeGit;
  patrol?: BuildOptions['patrol'];
  /** Called with every save before it is recorded. */
  onPersist?: (progress: BuildProgress) => void;
}): Harness {
  const calls: Call[] = [];
  const log: string[] = [];
  const persisted: BuildProgress[] = [];
  const notes: string[] = [];
  const started: { taskId: string; where: string }[] = [];
  const finished: { record: TaskRecord; result: TaskResult }[] = [];
  const git = options.git ?? fakeGit();
  const runs = new Map<string, number>();
  const ports: BuildPorts = {
    async execute(t, dir, hooks) {
      calls.push({ task: t, dir });
      const n = runs.get(t.id) ?? 0;
      runs.set(t.id, n + 1);
      const step = options.steps[t.id]?.[n];
      if (step === undefined) throw new Error(`${t.id} ran ${n + 1} times; its script has ${options.steps[t.id]?.length ?? 0}`);
      log.push(`start ${t.id}`);
      const result = await step(t, dir, hooks);
      log.push(`end ${t.id}`);
      return result;
    },
    git,
    async persist(progress) {
      options.onPersist?.(progress);
      persisted.push({ records: progress.records.map((r) => ({ ...r })), decisions: progress.decisions.map((d) => ({ ...d })) });
    },
    now: () => new Date('2025-02-03T04:05:06.000Z'),
    every: () => () => {},
    costOf: () => 0.25,
  };
  const observer: BuildObserver = {
    taskStarted: (taskId, where) => started.push({ taskId, where }),
    taskEvent: () => {},
    taskFinished: (record, result) => finished.push({ record, result }),
    note: (_tone, text) => notes.push(text),
    ...options.observer,
  };
  const run = new BuildRun(
    ports,
    {
      graph: options.graph,
      projectDir: PROJECT,
      worktreeRoot: WORKTREES,
      branchPrefix: 'codesleuth/build-1/',
      maxWorkers: options.maxWorkers ?? 1,
      patrol: options.patrol ?? { taskTimeLimitMs: 60 * 60_000 },
      signal: options.signal ?? new AbortController().signal,
    },
    options.progress ?? { records: [], decisions: [] },
    observer,
  );
  return { run, calls, log, git, persisted, notes, started, finished };
}

function recordOf(progress: BuildProgress, id: string): TaskRecord {
  const record = progress.records.find((r) => r.id === id);
  expect(record, `no record of ${id}`).toBeDefined();
  return record!;
}

const done = (id: string): Step => () => doneResult(id);

describe('BuildRun, one worker', () => {
  it('runs a three-task chain in order in the project directory and completes with DONE records', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002', ['TASK-001']), task('TASK-003', ['TASK-002']));
    const usage: AgentEvent = { type: 'usage', model: 'm', usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 5, cacheWriteTokens: 0 }, durationMs: 1, stopReason: 'end_turn' };
    const h = harness({
      graph,
      steps: {
        'TASK-001': [(_t, _d, hooks) => (hooks.onEvent(usage), doneResult('TASK-001'))],
        'TASK-002': [done('TASK-002')],
        'TASK-003': [done('TASK-003')],
      },
    });

    expect(await h.run.run()).toEqual({ kind: 'complete' });

    expect(h.log).toEqual(['start TASK-001', 'end TASK-001', 'start TASK-002', 'end TASK-002', 'start TASK-003', 'end TASK-003']);
    expect(h.calls.map((c) => c.dir)).toEqual([PROJECT, PROJECT, PROJECT]);
    expect(h.started.map((s) => s.where)).toEqual(['project', 'project', 'project']);
    // No worktree, no merge, nothing set aside: DONE tasks commit in place (git is only asked where each starts from).
    expect(h.git.calls).toEqual([`status ${PROJECT}`, `status ${PROJECT}`, `status ${PROJECT}`]);
    const progress = h.run.progress();
    for (const id of ['TASK-001', 'TASK-002', 'TASK-003']) {
      const r = recordOf(progress, id);
      expect(r).toMatchObject({ status: 'DONE', sha: shaOf(id), attempts: 1, summary: `${id} built`, finishedAt: '2025-02-03T04:05:06.000Z' });
      expect(r.receipts).toEqual([receipt()]);
      expect(r.landedSha).toBeUndefined();
      // Each record says the task ran in place and from which commit (a crash is recovered by it).
      expect(r.inPlace).toEqual({ base: 'abc' });
    }
    expect(recordOf(progress, 'TASK-001')).toMatchObject({ inputTokens: 105, outputTokens: 20, costUsd: 0.25 });
    // Every step was saved: the last save holds the finished build.
    expect(h.persisted.at(-1)!.records.map((r) => r.status)).toEqual(['DONE', 'DONE', 'DONE']);
    // A record was saved IN-PROGRESS before each task ran (a crash resumes it).
    expect(h.persisted.some((p) => p.records.length === 1 && p.records[0]!.status === 'IN-PROGRESS')).toBe(true);
  });
});

describe('BuildRun, what a task that did not finish leaves', () => {
  const snapshot = (label: string, files: string[], root = PROJECT): Snapshot => {
    const sha = 'd'.repeat(40);
    return {
      ref: `refs/codesleuth/snapshots/2025-02-03T04-05-06.000Z-${label}`,
      sha,
      label,
      createdAt: '2025-02-03T04:05:06.000Z',
      base: 'abc',
      files,
      indexSaved: true,
      restoreInstructions: restoreInstructions({ root, sha, indexCommit: 'e'.repeat(40), present: files, deleted: [] }),
    };
  };

  it('in place: says everything uncommitted in the project was set aside, the person\'s edits too, and the one-line command that restores it', async () => {
    const git = fakeGit();
    git.setAsideWork = async (repo, label) => (git.calls.push(`setAside ${repo} ${label}`), gitOk(snapshot(label, ['NOTES.md', 'src/part-001.mjs'])));
    const h = harness({ graph: graphOf(task('TASK-001')), git, steps: { 'TASK-001': [() => blockedResult('TASK-001')] } });

    await h.run.run();

    const ref = 'refs/codesleuth/snapshots/2025-02-03T04-05-06.000Z-task-001-leftovers';
    expect(recordOf(h.run.progress(), 'TASK-001').reason).toBe(
      'TASK-001 cannot find its input. Type !retry TASK-001 to run it again, or !skip TASK-001. ' +
        `Everything that was uncommitted in the project was set aside, not only what TASK-001 left: anything else edited meanwhile, yours too, is with it, kept at ${ref}. ` +
        `To restore it: cd ${PROJECT} && git checkout ${'d'.repeat(40)} -- NOTES.md src/part-001.mjs && git reset -q ${'e'.repeat(40)} -- NOTES.md src/part-001.mjs`,
    );
  });

  it('in a worktree: only the task\'s own files were there, and the reason says its worktree', async () => {
    const git = fakeGit();
    git.removeWorktree = async (_repo, dir) => (git.calls.push(`removeWorktree ${dir}`), gitOk({ dir, branch: null, branchDeleted: true, snapshot: snapshot('worktree-x', ['src/part-001.mjs'], dir) }));
    const h = harness({ graph: graphOf(task('TASK-001'), task('TASK-002')), maxWorkers: 2, git, steps: { 'TASK-001': [() => blockedResult('TASK-001')], 'TASK-002': [done('TASK-002')] } });

    await h.run.run();

    const reason = recordOf(h.run.progress(), 'TASK-001').reason;
    expect(reason).toContain('What it left in its worktree is kept at refs/codesleuth/snapshots/2025-02-03T04-05-06.000Z-worktree-x.');
    expect(reason).not.toContain('Everything that was uncommitted');
  });
});

describe('BuildRun, parallel workers', () => {
  it('runs two independent tasks at once in their own worktrees and lands them one at a time, in dispatch order', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'));
    let startedCount = 0;
    let bothStarted!: () => void;
    const barrier = new Promise<void>((resolve) => {
      bothStarted = resolve;
    });
    // If the tasks ran one after another the barrier would never open; the timeout keeps the failure readable.
    const waitForBoth = () => Promise.race([barrier, new Promise<void>((r) => setTimeout(r, 500))]);
    const step =
      (id: string, delayMs: number): Step =>
      async () => {
        startedCount += 1;
        if (startedCount === 2) bothStarted();
        await waitForBoth();
        await new Promise((r) => setTimeout(r, delayMs));
        return doneResult(id);
      };
    // TASK-002 finishes first and TASK-001 finishes while TASK-002 is still landing.
    const h = harness({ graph, maxWorkers: 2, steps: { 'TASK-001': [step('TASK-001', 3)], 'TASK-002': [step('TASK-002', 0)] } });

    expect(await h.run.run()).toEqual({ kind: 'complete' });

    expect(h.log.slice(0, 2).sort()).toEqual(['start TASK-001', 'start TASK-002']);
    expect(h.started).toEqual([
      { taskId: 'TASK-001', where: 'worktree' },
      { taskId: 'TASK-002', where: 'worktree' },
    ]);
    expect(h.calls.map((c) => [c.task.id, c.dir])).toEqual([
      ['TASK-001', `${WORKTREES}/TASK-001-1`],
      ['TASK-002', `${WORKTREES}/TASK-002-1`],
    ]);
    expect(h.git.calls).toContain(`addWorktree codesleuth/build-1/task-001-1 ${WORKTREES}/TASK-001-1 from HEAD`);
    expect(h.git.calls).toContain(`addWorktree codesleuth/build-1/task-002-1 ${WORKTREES}/TASK-002-1 from HEAD`);
    // The merge queue: one merge at a time, in the order the tasks were dispatched (not finished), each fast-forward first.
    expect(h.git.maxMerging).toBe(1);
    const merges = h.git.calls.filter((c) => c.startsWith('merge '));
    expect(merges).toEqual(['merge codesleuth/build-1/task-001-1 ff', 'merge codesleuth/build-1/task-002-1 ff']);
    // Each worktree is removed (with its branch) after its landing.
    const landing2 = h.git.calls.indexOf('merge codesleuth/build-1/task-002-1 ff');
    expect(h.git.calls.indexOf(`removeWorktree ${WORKTREES}/TASK-002-1 +branch`)).toBeGreaterThan(landing2);
    expect(h.git.calls).toContain(`removeWorktree ${WORKTREES}/TASK-001-1 +branch`);
    const progress = h.run.progress();
    expect(recordOf(progress, 'TASK-001')).toMatchObject({ status: 'DONE', sha: shaOf('TASK-001'), landedSha: landedShaOf('task-001-1') });
    expect(recordOf(progress, 'TASK-002')).toMatchObject({ status: 'DONE', sha: shaOf('TASK-002'), landedSha: landedShaOf('task-002-1') });
  });

  it('a later-dispatched task that finishes first lands second, and its worker takes the next task meanwhile', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'), task('TASK-003'));
    let openFirst!: () => void;
    const firstMayFinish = new Promise<void>((resolve) => {
      openFirst = resolve;
    });
    const h = harness({
      graph,
      maxWorkers: 2,
      steps: {
        // The slow model: TASK-001 finishes only once TASK-003 has started (the timeout keeps a failure readable).
        'TASK-001': [async () => (await Promise.race([firstMayFinish, new Promise((r) => setTimeout(r, 500))]), doneResult('TASK-001'))],
        'TASK-002': [async () => (await modelTurn(), doneResult('TASK-002'))],
        'TASK-003': [async () => (openFirst(), await modelTurn(), doneResult('TASK-003'))],
      },
    });

    expect(await h.run.run()).toEqual({ kind: 'complete' });

    // TASK-002 was done first, and TASK-003 started in its worker while TASK-001 still worked.
    expect(h.log.indexOf('end TASK-002')).toBeLessThan(h.log.indexOf('end TASK-001'));
    expect(h.log.indexOf('start TASK-003')).toBeLessThan(h.log.indexOf('end TASK-001'));
    // Yet the history follows the dispatch order: TASK-001, then TASK-002, then TASK-003.
    const merges = h.git.calls.filter((c) => c.startsWith('merge '));
    expect(merges).toEqual(['merge codesleuth/build-1/task-001-1 ff', 'merge codesleuth/build-1/task-002-1 ff', 'merge codesleuth/build-1/task-003-1 ff']);
    expect(h.finished.map((f) => f.record.id)).toEqual(['TASK-001', 'TASK-002', 'TASK-003']);
    expect(h.git.maxMerging).toBe(1);
  });

  it('a task that ends without landing lets the ones dispatched after it land', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'));
    const h = harness({
      graph,
      maxWorkers: 2,
      steps: {
        'TASK-001': [async (t) => (await new Promise((r) => setTimeout(r, 20)), blockedResult(t.id))],
        'TASK-002': [done('TASK-002')],
      },
    });

    expect(await h.run.run()).toEqual({ kind: 'waiting', tasks: ['TASK-001'], held: [] });
    expect(h.git.calls.filter((c) => c.startsWith('merge '))).toEqual(['merge codesleuth/build-1/task-002-1 ff']);
    expect(recordOf(h.run.progress(), 'TASK-002')).toMatchObject({ status: 'DONE', landedSha: landedShaOf('task-002-1') });
  });

  it('re-runs a task whose landing conflicts once, then BLOCKS it on a second conflict; its dependent never starts', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002', ['TASK-001']));
    const git = fakeGit();
    git.mergeAnswers = [
      { kind: 'conflict', files: ['src/shared.mjs'] },
      { kind: 'conflict', files: ['src/shared.mjs'] },
    ];
    const h = harness({ graph, maxWorkers: 2, git, steps: { 'TASK-001': [done('TASK-001'), () => doneResult('TASK-001', shaOf('TASK-001', 2))] } });

    expect(await h.run.run()).toEqual({ kind: 'waiting', tasks: ['TASK-001', 'TASK-002'], held: [{ taskId: 'TASK-002', waitsFor: ['TASK-001'] }] });

    expect(h.calls.map((c) => c.task.id)).toEqual(['TASK-001', 'TASK-001']);
    // The second run starts from a new worktree and branch on the new base.
    expect(h.calls.map((c) => c.dir)).toEqual([`${WORKTREES}/TASK-001-1`, `${WORKTREES}/TASK-001-2`]);
    expect(git.calls.filter((c) => c.startsWith('merge '))).toEqual(['merge codesleuth/build-1/task-001-1 ff', 'merge codesleuth/build-1/task-001-2 ff']);
    expect(h.notes.some((n) => n.includes('TASK-001 conflicts') && n.includes('src/shared.mjs'))).toBe(true);
    const r = recordOf(h.run.progress(), 'TASK-001');
    expect(r.status).toBe('BLOCKED');
    expect(r.attempts).toBe(2);
    expect(r.reason).toContain('src/shared.mjs');
    expect(r.reason).toContain('twice');
    // The person resolves the second conflict: the first run's branch is deleted, the second's commit is kept.
    expect(git.calls).toContain(`removeWorktree ${WORKTREES}/TASK-001-1 +branch`);
    expect(git.calls).toContain(`removeWorktree ${WORKTREES}/TASK-001-2`);
    expect(git.calls).not.toContain(`removeWorktree ${WORKTREES}/TASK-001-2 +branch`);
    expect(r.reason).toContain(`Its commit ${shaOf('TASK-001', 2).slice(0, 12)} is kept on branch codesleuth/build-1/task-001-2`);
    expect(h.run.progress().records.find((x) => x.id === 'TASK-002')).toBeUndefined();
    expect(h.started.map((s) => s.taskId)).toEqual(['TASK-001', 'TASK-001']);
  });
});

describe('BuildRun, questions', () => {
  const question = (questions: string[]): Step => (t) => ({ ...runRecord(t.id), kind: 'needs_context', questions });

  it('turns NEEDS_CONTEXT into decision D-1, goes on with independent work, and ends waiting', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'));
    const h = harness({ graph, steps: { 'TASK-001': [question(['Which database should it use?'])], 'TASK-002': [done('TASK-002')] } });

    expect(await h.run.run()).toEqual({ kind: 'waiting', tasks: ['TASK-001'], held: [] });

    const progress = h.run.progress();
    expect(progress.decisions).toEqual([{ id: 'D-1', taskId: 'TASK-001', question: 'Which database should it use?', askedAt: '2025-02-03T04:05:06.000Z' }]);
    expect(recordOf(progress, 'TASK-001').status).toBe('NEEDS_CONTEXT');
    expect(recordOf(progress, 'TASK-001').reason).toContain('!decide D-1');
    expect(recordOf(progress, 'TASK-002').status).toBe('DONE');
    // The leftovers of the unfinished task were set aside (here: nothing to save).
    expect(h.git.calls.filter((c) => !c.startsWith('status '))).toEqual([`setAside ${PROJECT} task-001-leftovers`]);
    expect(h.persisted.at(-1)!.decisions.map((d) => d.id)).toEqual(['D-1']);
  });

  it('update() with the answer re-queues the task, which runs again with the answer in its description', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'));
    let run!: BuildRun;
    const answer = (p: BuildProgress): BuildProgress => ({
      records: p.records.map((r) => (r.id === 'TASK-001' ? { ...r, status: 'PENDING' as const } : r)),
      decisions: p.decisions.map((d) => (d.id === 'D-1' ? { ...d, answer: 'Postgres 16', answeredAt: '2025-02-03T05:00:00.000Z' } : d)),
    });
    const h = harness({
      graph,
      steps: {
        'TASK-001': [question(['Which database should it use?']), done('TASK-001')],
        // The person answers while TASK-002 is running.
        'TASK-002': [async () => (await run.update(answer), doneResult('TASK-002'))],
      },
    });
    run = h.run;

    expect(await h.run.run()).toEqual({ kind: 'complete' });

    expect(h.calls.map((c) => c.task.id)).toEqual(['TASK-001', 'TASK-002', 'TASK-001']);
    expect(h.calls[0]!.task.description).toBe('Implement part 001.');
    const told = h.calls[2]!.task.description;
    expect(told).toContain('Implement part 001.');
    expect(told).toContain('D-1 — question: Which database should it use?');
    expect(told).toContain('answer from the person: Postgres 16');
    expect(recordOf(h.run.progress(), 'TASK-001')).toMatchObject({ status: 'DONE', attempts: 2 });
  });

  it('a new build over the answered decision and a PENDING record runs the task with the answer', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'));
    const first = harness({ graph, steps: { 'TASK-001': [question(['Which port?'])], 'TASK-002': [done('TASK-002')] } });
    await first.run.run();
    const saved = first.persisted.at(-1)!;
    const resumed: BuildProgress = {
      records: saved.records.map((r) => (r.id === 'TASK-001' ? { ...r, status: 'PENDING' } : r)),
      decisions: saved.decisions.map((d): Decision => ({ ...d, answer: '8080', answeredAt: '2025-02-03T05:00:00.000Z' })),
    };
    const second = harness({ graph, progress: resumed, steps: { 'TASK-001': [done('TASK-001')] } });

    expect(await second.run.run()).toEqual({ kind: 'complete' });
    expect(second.calls.map((c) => c.task.id)).toEqual(['TASK-001']); // TASK-002 is DONE: not run again
    expect(second.calls[0]!.task.description).toContain('answer from the person: 8080');
  });
});

describe('BuildRun, the patrol and the stops', () => {
  it('stops a task that makes the same tool call three times in a row as STALLED with a diagnosis', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002', ['TASK-001']));
    const repeating: Step = async (_t, _d, hooks) => {
      await modelTurn();
      for (let i = 1; i <= 3; i++) hooks.onEvent({ type: 'tool_call', id: `call-${i}`, name: 'read_file', input: { path: 'src/a.mjs' } });
      // The runner notices the abort between steps and ends the run as 'aborted'.
      await aborted(hooks);
      return abortedResult('TASK-001');
    };
    const h = harness({ graph, steps: { 'TASK-001': [repeating] } });

    expect(await h.run.run()).toEqual({ kind: 'waiting', tasks: ['TASK-001', 'TASK-002'], held: [{ taskId: 'TASK-002', waitsFor: ['TASK-001'] }] });

    const r = recordOf(h.run.progress(), 'TASK-001');
    expect(r.status).toBe('STALLED');
    expect(r.reason).toContain('repeated-call');
    expect(r.reason).toContain('called read_file 3 times in a row');
    expect(r.reason).toContain('!retry TASK-001');
    expect(h.notes.some((n) => n.startsWith('TASK-001 is STALLED'))).toBe(true);
    expect(h.calls.map((c) => c.task.id)).toEqual(['TASK-001']);
  });

  it("counts the reviewer's usage in the task's cost and shows its events and phases, but the patrol does not watch a reviewer's reads", async () => {
    const graph = graphOf(task('TASK-001'));
    const events: string[] = [];
    const phases: string[] = [];
    const usage: AgentEvent = { type: 'usage', model: 'm', usage: { inputTokens: 40, outputTokens: 4, cacheReadTokens: 0, cacheWriteTokens: 0 }, durationMs: 1, stopReason: 'end_turn' };
    const reviewing: Step = async (_t, _d, hooks) => {
      await modelTurn();
      hooks.onPhase({ kind: 'review', stage: 'spec', round: 1 });
      for (let i = 1; i <= 3; i++) hooks.onReviewEvent({ type: 'tool_call', id: `read-${i}`, name: 'read_file', input: { path: 'src/a.mjs' } });
      hooks.onReviewEvent(usage);
      return doneResult('TASK-001');
    };
    const h = harness({
      graph,
      steps: { 'TASK-001': [reviewing] },
      observer: { taskEvent: (_id, event) => events.push(event.type), taskPhase: (id, phase) => phases.push(`${id} ${phase.kind}`) },
    });

    expect(await h.run.run()).toEqual({ kind: 'complete' });
    const r = recordOf(h.run.progress(), 'TASK-001');
    expect(r.status).toBe('DONE');
    expect([r.inputTokens, r.outputTokens, r.costUsd]).toEqual([40, 4, 0.25]);
    expect(events).toEqual(['tool_call', 'tool_call', 'tool_call', 'usage']);
    expect(phases).toEqual(['TASK-001 review']);
  });

  it('pauses the build after five failed tasks in a row', async () => {
    const ids = ['TASK-001', 'TASK-002', 'TASK-003', 'TASK-004', 'TASK-005', 'TASK-006'];
    const graph = graphOf(...ids.map((id) => task(id)));
    const h = harness({ graph, steps: Object.fromEntries(ids.map((id) => [id, [() => blockedResult(id)]])) });

    const ending = await h.run.run();

    expect(ending.kind).toBe('paused');
    expect(ending.kind === 'paused' && ending.reason).toContain('5 tasks failed one after another (TASK-001, TASK-002, TASK-003, TASK-004, TASK-005)');
    expect(h.calls.map((c) => c.task.id)).toEqual(ids.slice(0, 5));
    expect(h.run.progress().records.map((r) => r.status)).toEqual(['BLOCKED', 'BLOCKED', 'BLOCKED', 'BLOCKED', 'BLOCKED']);
  });

  it('starts no new task after a budget refusal; the refused task restarts with the next run, without !retry', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'));
    const refused: Step = (t) => ({ ...runRecord(t.id), kind: 'budget_refused', message: 'The next call would pass the $5.00 budget.' });
    const h = harness({ graph, steps: { 'TASK-001': [refused], 'TASK-002': [done('TASK-002')] } });

    expect(await h.run.run()).toEqual({ kind: 'budget', message: 'The next call would pass the $5.00 budget.' });
    expect(h.calls.map((c) => c.task.id)).toEqual(['TASK-001']);
    const record = recordOf(h.run.progress(), 'TASK-001');
    expect(record.status).toBe('IN-PROGRESS');
    expect(record.reason).toContain('stopped before spending past the budget');

    const resumed = harness({ graph, progress: h.run.progress(), steps: { 'TASK-001': [done('TASK-001')], 'TASK-002': [done('TASK-002')] } });
    expect(await resumed.run.run()).toEqual({ kind: 'complete' });
    expect(resumed.calls.map((c) => c.task.id)).toEqual(['TASK-001', 'TASK-002']);
    expect(recordOf(resumed.run.progress(), 'TASK-001')).toMatchObject({ status: 'DONE', attempts: 2 });
  });

  it('ends aborted with the running task IN-PROGRESS; a resumed build restarts it and never re-runs DONE tasks', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002', ['TASK-001']), task('TASK-003', ['TASK-002']));
    const build = new AbortController();
    const interrupted: Step = async (t, _d, hooks) => {
      await modelTurn();
      build.abort(); // the person types !pause (or the process is stopped) while TASK-002 works
      await aborted(hooks);
      return abortedResult(t.id);
    };
    const first = harness({ graph, signal: build.signal, steps: { 'TASK-001': [done('TASK-001')], 'TASK-002': [interrupted] } });

    expect(await first.run.run()).toEqual({ kind: 'aborted' });
    const saved = first.persisted.at(-1)!;
    expect(saved.records.map((r) => [r.id, r.status])).toEqual([
      ['TASK-001', 'DONE'],
      ['TASK-002', 'IN-PROGRESS'],
    ]);
    expect(recordOf(saved, 'TASK-002').reason).toContain('restarts from its last checkpoint');
    expect(first.calls.map((c) => c.task.id)).toEqual(['TASK-001', 'TASK-002']);

    const second = harness({ graph, progress: saved, steps: { 'TASK-002': [done('TASK-002')], 'TASK-003': [done('TASK-003')] } });
    expect(await second.run.run()).toEqual({ kind: 'complete' });
    expect(second.calls.map((c) => c.task.id)).toEqual(['TASK-002', 'TASK-003']);
    expect(recordOf(second.run.progress(), 'TASK-002')).toMatchObject({ status: 'DONE', attempts: 2 });
    expect(recordOf(second.run.progress(), 'TASK-001')).toMatchObject({ status: 'DONE', attempts: 1, sha: shaOf('TASK-001') });
    expect(recordOf(second.run.progress(), 'TASK-002').reason).toBeUndefined();
  });
});

/*
 * Known defects, kept as failing tests (see the report of the session that wrote them):
 * `it.fails` passes while the defect is there and starts failing once it is fixed.
 */
describe('BuildRun, known defects', () => {
  it('a stop requested while a task is being saved IN-PROGRESS still reaches that task', async () => {
    const graph = graphOf(task('TASK-001'));
    const build = new AbortController();
    const seen: boolean[] = [];
    const h = harness({
      graph,
      signal: build.signal,
      // The person stops the build while the record that starts TASK-001 is being written.
      onPersist: (progress) => {
        if (progress.records.some((r) => r.id === 'TASK-001' && r.status === 'IN-PROGRESS')) build.abort();
      },
      steps: {
        'TASK-001': [
          async (t, _d, hooks) => {
            seen.push(hooks.signal.aborted);
            await Promise.race([aborted(hooks), new Promise((r) => setTimeout(r, 50))]);
            return hooks.signal.aborted ? abortedResult(t.id) : doneResult(t.id);
          },
        ],
      },
    });

    expect(await h.run.run()).toEqual({ kind: 'aborted' });
    // Either it must not start, or it must start already stopped.
    expect(seen.every((wasAborted) => wasAborted)).toBe(true);
  });

  it('a port that throws while a task lands does not hang the build', async () => {
    const graph = graphOf(task('TASK-001'), task('TASK-002'));
    const git = fakeGit();
    git.mergeBranch = async () => {
      throw new Error('simple-git: spawn EMFILE');
    };
    const h = harness({ graph, maxWorkers: 2, git, steps: { 'TASK-001': [done('TASK-001')], 'TASK-002': [done('TASK-002')] } });

    const settled = await Promise.race([h.run.run().then(() => 'settled', () => 'settled'), new Promise((r) => setTimeout(() => r('hung'), 300))]);
    expect(settled).toBe('settled');
  });
});
