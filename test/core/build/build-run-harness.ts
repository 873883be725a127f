import { expect } from 'vitest';
import type { TaskRecord } from '../../../src/core/build/build-record.js';
import { BuildRun } from '../../../src/core/build/build-run.js';
import type { BuildGitPort, BuildObserver, BuildOptions, BuildProgress, BuildPorts, TaskHooks } from '../../../src/core/build/build-run-ports.js';
import type { TaskResult } from '../../../src/core/build/task-result.js';
import { gitFail, gitOk, type MergeOutcome } from '../../../src/core/git/git-results.js';
import type { Task, TaskGraph } from '../../../src/core/task-graph/task.js';
import { doneResult, status } from './build-fixtures.js';

/*
 * The build coordinator over scripted ports: no model, no git, no timers. Each task's
 * execute() is a script step; the fake git port records every call so the tests can say
 * where a task ran and how it landed.
 */


export const PROJECT = '/work/proj';
export const WORKTREES = '/work/.codesleuth-worktrees';

export function graphOf(...tasks: Task[]): TaskGraph {
  return { tasks };
}

/** One scripted run of a task. */
export type Step = (task: Task, dir: string, hooks: TaskHooks) => Promise<TaskResult> | TaskResult;

export interface Call {
  readonly task: Task;
  readonly dir: string;
}

/** Resolves when the hooks' signal aborts. */
export function aborted(hooks: TaskHooks): Promise<void> {
  return new Promise((resolve) => {
    if (hooks.signal.aborted) resolve();
    else hooks.signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** The merge commit the fake git makes for a task branch (`…/task-001-1` → c…c0011). */
export function landedShaOf(branch: string): string {
  return (/task-(\d+)-(\d+)$/.exec(branch) ?? ['', '', '']).slice(1).join('').padStart(40, 'c');
}

/** A clock the test moves on by hand; `tick()` runs what `every` registered (the patrol's check). */
export function manualClock(): Pick<BuildPorts, 'now' | 'every'> & { advance(ms: number): void; tick(): void } {
  let nowMs = Date.parse('2025-02-03T04:05:06.000Z');
  const ticks = new Set<() => void>();
  return {
    now: () => new Date(nowMs),
    every: (_ms, fn) => {
      ticks.add(fn);
      return () => ticks.delete(fn);
    },
    advance: (ms) => {
      nowMs += ms;
    },
    tick: () => {
      for (const fn of ticks) fn();
    },
  };
}

/** A real agent run awaits the model before its first event; so do the scripted ones. */
export const modelTurn = () => new Promise<void>((r) => setImmediate(r));

export interface Harness {
  readonly run: BuildRun;
  readonly calls: Call[];
  readonly log: string[];
  readonly git: FakeGit;
  readonly persisted: BuildProgress[];
  readonly notes: string[];
  readonly started: { taskId: string; where: string }[];
  readonly finished: { record: TaskRecord; result: TaskResult }[];
}

export interface FakeGit extends BuildGitPort {
  readonly calls: string[];
  /** What mergeBranch answers, per call (default: merged at the branch's name). */
  mergeAnswers: MergeOutcome[];
  /** The most merges ever in flight at once. */
  maxMerging: number;
}

export function fakeGit(): FakeGit {
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

export function harness(options: {
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
  /** A clock the test moves, and its ticks (default: a fixed time that never ticks). */
  clock?: Pick<BuildPorts, 'now' | 'every'>;
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
    ...options.clock,
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

export function recordOf(progress: BuildProgress, id: string): TaskRecord {
  const record = progress.records.find((r) => r.id === id);
  expect(record, `no record of ${id}`).toBeDefined();
  return record!;
}

export const done = (id: string): Step => () => doneResult(id);
