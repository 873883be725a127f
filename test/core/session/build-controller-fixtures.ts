import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AgentEvent } from '../../../src/core/agent/agent-types.js';
import type { GateDetection } from '../../../src/core/build/gate-commands.js';
import type { TaskResult } from '../../../src/core/build/task-result.js';
import type { GitError, Snapshot } from '../../../src/core/git/git-results.js';
import { gitFail, gitOk } from '../../../src/core/git/git-results.js';
import type { Handoff } from '../../../src/core/handoff/handoff.schema.js';
import type { ArtifactEvidence } from '../../../src/core/pipeline/artifacts.js';
import type { StaleApproval } from '../../../src/core/pipeline/approvals.js';
import type { ConfirmAction } from '../../../src/core/commands/types.js';
import { BuildController } from '../../../src/core/session/build-controller.js';
import type { BuildHost } from '../../../src/core/session/build-ports.js';
import type { BuildEnvironmentPort, TaskExecution } from '../../../src/core/session/build-ports.js';
import type { OpenProject } from '../../../src/core/session/open-project.js';
import type { SessionPorts } from '../../../src/core/session/ports.js';
import { openNewProject } from '../../../src/core/session/project-lifecycle.js';
import { parseTaskGraph } from '../../../src/core/task-graph/parse-task-graph.js';
import { renderTaskGraph } from '../../../src/core/task-graph/render-task-graph.js';
import type { Task } from '../../../src/core/task-graph/task.js';
import type { EntryInput } from '../../../src/core/transcript.js';
import { createWorkspace } from '../../../src/git/workspace.js';
import { createConfigStore } from '../../../src/store/config-store.js';
import { createProjectStore } from '../../../src/store/project-store.js';
import { INSTALL_DIR, makeTempHome, type TempHome } from '../../support/temp-home.js';
import { doneResult } from '../build/build-fixtures.js';

/*
 * A BuildController over real stores in a temp home (HANDOFF.json, TASK-GRAPH.md, DECISIONS.md,
 * BUILD_REPORT.md on disk), a scripted execute() per task, a fake git that records every write,
 * a clock the test moves and an `every` the test ticks by hand. No model, no git, no timers.
 */

/** One scripted run of a task: what execute() does with the request, and what it returns. */
export type Step = (request: TaskExecution, h: Harness) => Promise<TaskResult> | TaskResult;

/** The build's git, recording every call but status (the person's work is `dirty`). */
export interface FakeGit extends Pick<BuildEnvironmentPort, 'git'> {
  readonly calls: string[];
  /** Uncommitted files in the project; the tree is clean when empty. */
  dirty: string[];
  /** The checked-out branch ('main'); null for a detached HEAD. */
  branch: string | null;
  commitFailure: GitError | undefined;
  asideFailure: GitError | undefined;
  /** Worktrees left by an earlier run, on branches under `branchPrefix`, that listWorktrees reports. */
  stale: number;
  branchPrefix: string;
}

/** What the host was told. */
export interface Seen {
  readonly said: EntryInput[];
  /** Every live-area update, in order (undefined: cleared). */
  readonly lives: (string | undefined)[];
  bells: number;
  changed: number;
  readonly pauses: string[];
  /** What the host reports as stale approvals (none unless a test sets some). */
  stale: StaleApproval[];
  /** Every confirmation the controller asked the person for (the session's yes/no dialog). */
  readonly confirms: { action: ConfirmAction; prompt: string }[];
  /** How many times the host was told the build completed. */
  completed: number;
}

export interface Harness {
  readonly controller: BuildController;
  readonly project: OpenProject;
  readonly ports: SessionPorts;
  readonly git: FakeGit;
  readonly seen: Seen;
  /** Every execute() request, in order. */
  readonly executions: TaskExecution[];
  readonly projectDir: string;
  /** Scripted runs per task id; a run beyond the script fails the test. */
  readonly steps: Record<string, Step[]>;
  /** The gate scripts the project's package.json has when a build starts (none unless a test sets some). */
  gateScripts: Record<string, string>;
  /** What !gates detects from the project's files (nothing unless a test sets some). */
  detected: GateDetection;
  /** All the text the host was given, one entry a line. */
  text(): string;
  /** The last board shown (undefined once cleared). */
  board(): string | undefined;
  /** Moves the clock on. */
  advance(ms: number): void;
  /** Calls every `every` callback still registered: one second of the real timers. */
  tick(): void;
  /** Ticking callbacks still registered. */
  ticking(): number;
  /** HANDOFF.json as stored on disk. */
  stored(): Promise<Handoff>;
  artifact(name: string): Promise<string | undefined>;
  statuses(): Promise<Record<string, string>>;
}

export const START = Date.parse('2026-01-02T03:04:05.000Z');

function snapshotOf(label: string, files: readonly string[]): Snapshot {
  const ref = `refs/codesleuth/snapshots/2026-01-02T03-04-05.000Z-${label}`;
  return {
    ref,
    sha: 'f'.repeat(40),
    label,
    createdAt: '2026-01-02T03:04:05.000Z',
    base: 'b'.repeat(40),
    files,
    indexSaved: true,
    restoreInstructions: `git stash apply ${ref}`,
  };
}

function fakeGit(projectDir: string, head: string | null): FakeGit {
  const git: FakeGit = {
    calls: [],
    dirty: [],
    branch: 'main',
    commitFailure: undefined,
    asideFailure: undefined,
    stale: 0,
    branchPrefix: 'codesleuth/',
    git: {
      async status() {
        return gitOk({ root: projectDir, branch: git.branch, head, modified: [...git.dirty], staged: [], untracked: [], conflicted: [], operation: null, clean: git.dirty.length === 0 });
      },
      async commitPersonWork(_repo, message) {
        git.calls.push(`commitPersonWork ${message}`);
        if (git.commitFailure) return { ok: false, error: git.commitFailure };
        git.dirty = [];
        return gitOk('c0ffee'.repeat(6) + 'c0ff');
      },
      async setAsideWork(_repo, label) {
        git.calls.push(`setAsideWork ${label}`);
        if (git.asideFailure) return { ok: false, error: git.asideFailure };
        if (git.dirty.length === 0) return gitFail('nothing-to-save', 'The work tree is clean.');
        const snapshot = snapshotOf(label, git.dirty);
        git.dirty = [];
        return gitOk(snapshot);
      },
      async listWorktrees() {
        git.calls.push('listWorktrees');
        const main = { dir: projectDir, head: 'a'.repeat(40), branch: 'main', main: true, locked: false, prunable: false };
        const left = Array.from({ length: git.stale }, (_, i) => ({ dir: `/old/${i}`, head: 'b'.repeat(40), branch: `${git.branchPrefix}task-00${i}-1`, main: false, locked: false, prunable: false }));
        git.stale = 0;
        return gitOk([main, ...left]);
      },
      async addWorktree(_repo, request) {
        git.calls.push(`addWorktree ${request.branch}`);
        return gitOk({ dir: request.dir, head: 'abc', branch: request.branch, main: false, locked: false, prunable: false });
      },
      async removeWorktree(_repo, dir) {
        git.calls.push(`removeWorktree ${dir}`);
        return gitOk({ dir, branch: null, branchDeleted: true, snapshot: null });
      },
      async mergeBranch(_repo, branch) {
        git.calls.push(`mergeBranch ${branch}`);
        return gitOk({ kind: 'merged', sha: 'e'.repeat(40) });
      },
    },
  };
  return git;
}

/** A host that records what the controller says and asks in `seen`. */
export function recordingHost(seen: Seen, context: { name: string; text: string }[]): BuildHost {
  return {
    emit: (input) => seen.said.push(input),
    live: (text) => seen.lives.push(text),
    bell: () => {
      seen.bells += 1;
    },
    changed: async () => {
      seen.changed += 1;
    },
    pause: async (reason) => {
      seen.pauses.push(reason);
    },
    context: async () => context,
    stale: async () => seen.stale,
    confirm: (action, prompt) => seen.confirms.push({ action, prompt }),
    completed: async () => {
      seen.completed += 1;
    },
  };
}

const valid = (...names: string[]): ArtifactEvidence[] => names.map((name) => ({ name, status: 'valid', sha256: 'f'.repeat(64) }));

const homes: TempHome[] = [];

/** Removes the temp homes of the tests so far (call in afterEach). */
export async function cleanUp(): Promise<void> {
  await Promise.all(homes.splice(0).map((home) => home.cleanup()));
}

/**
 * A project in the Building stage with `tasks` as its approved TASK-GRAPH.md, and a controller
 * over it. `head: null` is a repository without a commit (parallel tasks then wait for one).
 */
export async function setUp(options: { tasks: readonly Task[]; steps?: Record<string, Step[]>; maxWorkers?: number; head?: string | null }): Promise<Harness> {
  const home = await makeTempHome();
  homes.push(home);
  const projectDir = path.join(home.scratch, 'sums');
  await mkdir(projectDir, { recursive: true });
  let nowMs = START;
  const git = fakeGit(projectDir, options.head === undefined ? 'a'.repeat(40) : options.head);
  const ticks: { fn: () => void; stopped: boolean }[] = [];
  const executions: TaskExecution[] = [];
  const steps: Record<string, Step[]> = { ...options.steps };
  const runs = new Map<string, number>();
  let harness!: Harness;
  const build: BuildEnvironmentPort = {
    git: git.git,
    async execute(request) {
      executions.push(request);
      const n = runs.get(request.task.id) ?? 0;
      runs.set(request.task.id, n + 1);
      const step = steps[request.task.id]?.[n];
      if (step === undefined) throw new Error(`${request.task.id} ran ${n + 1} times; its script has ${steps[request.task.id]?.length ?? 0}`);
      return step(request, harness);
    },
    worktreeRoot: (projectId) => path.join(home.scratch, 'worktrees', projectId),
    gateScripts: async () => ({ ...harness.gateScripts }),
    detectGates: async () => harness.detected,
    maxWorkers: options.maxWorkers ?? 1,
    patrol: { taskTimeLimitMs: 60 * 60_000 },
    every(_ms, fn) {
      const tick = { fn, stopped: false };
      ticks.push(tick);
      return () => {
        tick.stopped = true;
      };
    },
    costOf: () => 0.25,
  };
  const ports: SessionPorts = {
    config: createConfigStore({ homeDir: home.home, installDir: INSTALL_DIR }),
    projects: createProjectStore(home.home),
    workspace: createWorkspace(home.scratch),
    env: { homeDir: home.home, installDir: INSTALL_DIR, now: () => new Date(nowMs) },
    agents: {
      check: async () => ({}),
      run: async () => {
        throw new Error('the controller runs tasks through ports.build, never an agent directly');
      },
      contextUse: async () => undefined,
      modelPrice: async () => undefined,
    },
    build,
  };
  const platforms = await ports.config.readPlatforms();
  if (platforms.kind !== 'ok') throw new Error('no platforms');
  const opened = await openNewProject(ports, { brief: 'Sums of numbers', platform: platforms.value.find((p) => p.id === 'web')!, directory: projectDir });
  const project = opened.project!;
  git.branchPrefix = `codesleuth/${project.id}/`;
  await ports.projects.writeArtifact(project.id, 'TASK-GRAPH.md', renderTaskGraph({ tasks: [...options.tasks] }));
  for (const [gate, names] of [
    ['plan', ['feature-spec.md']],
    ['build', ['TDD.md', 'INTERFACES.md', 'TASK-GRAPH.md']],
  ] as const) {
    const moved = await project.send({ type: 'GATE', gate, evidence: valid(...names) }, `!${gate}`);
    if (!moved.moved) throw new Error(`the ${gate} gate did not open`);
  }
  const seen = emptySeen();
  const controller = new BuildController(ports, recordingHost(seen, [{ name: 'TDD.md', text: '# TDD' }]));
  const artifact = async (name: string) => {
    const read = await ports.projects.readArtifact(project.id, name);
    return read.kind === 'ok' ? read.text : undefined;
  };
  harness = {
    controller,
    project,
    ports,
    git,
    seen,
    executions,
    projectDir,
    steps,
    gateScripts: {},
    detected: { commands: [], notes: ['no gate commands found'] },
    text: () => seen.said.map((s) => s.text).join('\n'),
    board: () => seen.lives.at(-1),
    advance: (ms) => {
      nowMs += ms;
    },
    tick: () => {
      for (const tick of ticks) if (!tick.stopped) tick.fn();
    },
    ticking: () => ticks.filter((t) => !t.stopped).length,
    stored: async () => {
      const loaded = await ports.projects.loadHandoff(project.id);
      if (loaded.kind !== 'ok') throw new Error(`HANDOFF.json: ${loaded.kind}`);
      return loaded.value;
    },
    artifact,
    statuses: async () => {
      const parsed = parseTaskGraph((await artifact('TASK-GRAPH.md')) ?? '');
      if (!parsed.ok) throw new Error('TASK-GRAPH.md does not parse');
      return Object.fromEntries(parsed.graph.tasks.map((t) => [t.id, t.status]));
    },
  };
  return harness;
}

/** A usage event of 1,000 tokens in and 100 out (costOf says $0.25). */
export const USAGE: AgentEvent = { type: 'usage', model: 'm', usage: { inputTokens: 1_000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 }, durationMs: 1, stopReason: 'tool_use' };

/** A task that goes through every phase (Builder, gates, review, commit) with one model call, then is DONE. */
export const builds: Step = (request) => {
  request.onPhase({ kind: 'builder', run: 1 });
  request.onEvent({ type: 'tool_call', id: 't1', name: 'write_file', input: { path: `src/${request.task.id}.mjs` } });
  request.onEvent(USAGE);
  request.onPhase({ kind: 'gates', commands: ['npm test'] });
  request.onPhase({ kind: 'review', stage: 'spec', round: 1 });
  request.onPhase({ kind: 'commit' });
  return doneResult(request.task.id);
};

/** Resolves when the request's signal aborts (a task that runs until the build is stopped). */
export function untilAborted(request: TaskExecution): Promise<void> {
  return new Promise((resolve) => {
    if (request.signal.aborted) resolve();
    else request.signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** A promise the test resolves by hand, to hold a task in the middle of its run. */
export function latch<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** A step that holds its task running until the test releases it, then reports DONE. */
export function heldStep(): { step: Step; running: ReturnType<typeof latch<void>>; release: ReturnType<typeof latch<void>> } {
  const running = latch();
  const release = latch();
  const step: Step = async (request) => {
    running.open();
    await release.promise;
    return doneResult(request.task.id);
  };
  return { step, running, release };
}

/** Nothing seen yet. */
export function emptySeen(): Seen {
  return { said: [], lives: [], bells: 0, changed: 0, pauses: [], stale: [], confirms: [], completed: 0 };
}
