import type { AgentEvent, UsageEvent } from '../agent/agent-types.js';
import type { GitPort, GitResult, Snapshot } from '../git/ports.js';
import type { Task, TaskGraph, TaskStatus } from '../task-graph/task.js';
import type { Decision, TaskRecord } from './build-record.js';
import { Patrol, type PatrolConfig } from './patrol.js';
import type { Receipt } from './receipts.js';
import { compareTaskIds, nextAssignments, type ScheduleState } from './scheduler.js';
import { projectPrefix } from './task-files.js';
import type { TaskPhase, TaskResult } from './task-runner.js';
import { blankRecord, recordFromResult, startedRecord } from './task-outcome.js';
import { MergeQueue, type Lane } from './merge-queue.js';

/*
 * The build: runs the task graph's ready tasks, one at a time in the project directory or up
 * to max_workers at once in git worktrees that land through a merge queue, and keeps HANDOFF
 * records current after every step. Pure orchestration over ports; the patrol stops runaway
 * tasks, a budget refusal or five failures in a row stop the build, and nothing here ever
 * throws away a person's work (left-over changes are set aside to a snapshot ref).
 */

/** How a task's agent events reach the person while it runs. */
export interface TaskHooks {
  readonly signal: AbortSignal;
  /** The Builder's events: usage, and what the patrol watches. */
  onEvent(event: AgentEvent): void;
  /** The reviewer's events: usage and the board; a reviewer only reads, so the patrol's no-progress count skips them. */
  onReviewEvent(event: AgentEvent): void;
  onPhase(phase: TaskPhase): void;
  /** The receipts of each gate run: a new one is progress to the patrol's no-progress check. */
  onReceipts(receipts: readonly Receipt[]): void;
  /** Runs `wait` (a question to the person) with the task's clock stopped: the patrol's time limit counts the task's own time only. */
  waitForPerson<T>(wait: () => Promise<T>): Promise<T>;
}

/** The git operations the build needs. */
export type BuildGitPort = Pick<GitPort, 'status' | 'addWorktree' | 'removeWorktree' | 'mergeBranch'> & {
  /** Snapshots uncommitted work to a safety ref, then returns the work tree to HEAD. */
  setAsideWork(repo: string, label: string): Promise<GitResult<Snapshot>>;
};

/** The ports of a build. */
export interface BuildPorts {
  /** Runs one task with its work directory (the project, or the project inside a worktree). */
  execute(task: Task, dir: string, hooks: TaskHooks): Promise<TaskResult>;
  readonly git: BuildGitPort;
  /** Saves the records and decisions (HANDOFF.json, TASK-GRAPH.md statuses) before the build goes on. */
  persist(progress: BuildProgress): Promise<void>;
  now(): Date;
  /** Calls `fn` every `ms` until the returned function is called (the patrol's clock). */
  every(ms: number, fn: () => void): () => void;
  /** What a model call cost, in US dollars. */
  costOf(event: UsageEvent): number;
}

/** What the build keeps in HANDOFF.json. */
export interface BuildProgress {
  readonly records: readonly TaskRecord[];
  readonly decisions: readonly Decision[];
}

/** What the person sees of the build as it happens. */
export interface BuildObserver {
  taskStarted(taskId: string, where: 'project' | 'worktree'): void;
  taskEvent(taskId: string, event: AgentEvent): void;
  /** The task moved on: Builder, gates, review, commit. */
  taskPhase?(taskId: string, phase: TaskPhase): void;
  taskFinished(record: TaskRecord, result: TaskResult): void;
  note(tone: 'info' | 'warning', text: string): void;
  /** `per_task` autonomy: resolves when the person types !continue (or the build is stopped). */
  afterTask?(record: TaskRecord): Promise<void>;
}

export interface BuildOptions {
  readonly graph: TaskGraph;
  readonly projectDir: string;
  /** Where task worktrees go (outside the person's repository). */
  readonly worktreeRoot: string;
  /** Task branches are `<branchPrefix>task-003-1`; must start with `codesleuth/`. */
  readonly branchPrefix: string;
  readonly maxWorkers: number;
  readonly patrol: PatrolConfig;
  readonly signal: AbortSignal;
}

/** How a build run ended. */
export type BuildEnding =
  /** Every task is DONE or skipped. */
  | { readonly kind: 'complete' }
  /**
   * Nothing more can start: tasks wait on a decision, a retry or a skip. `held`: the tasks
   * that never started because a dependency is not DONE (BLOCKED pauses its dependents).
   */
  | { readonly kind: 'waiting'; readonly tasks: readonly string[]; readonly held: readonly HeldTask[] }
  | { readonly kind: 'paused'; readonly reason: string }
  | { readonly kind: 'budget'; readonly message: string }
  | { readonly kind: 'aborted' };

/** A task that cannot start yet, and the dependencies it waits for (not DONE, not skipped). */
export interface HeldTask {
  readonly taskId: string;
  readonly waitsFor: readonly string[];
}

/** The scheduler's view of the records. */
export function scheduleStateOf(graph: TaskGraph, records: readonly TaskRecord[], maxWorkers: number): ScheduleState {
  const statuses = new Map<string, TaskStatus>();
  const skipped = new Set<string>();
  for (const r of records) {
    if (r.status === 'SKIPPED') skipped.add(r.id);
    else statuses.set(r.id, r.status === 'DONE' ? 'DONE' : r.status === 'PENDING' || r.status === 'IN-PROGRESS' ? 'PENDING' : 'BLOCKED');
  }
  return { graph, statuses, skipped, maxWorkers };
}

/** The task as the Builder is given it: with the person's answers to its earlier questions. */
export function taskWithDecisions(task: Task, decisions: readonly Decision[]): Task {
  const answered = decisions.filter((d) => d.taskId === task.id && d.answer !== undefined);
  if (answered.length === 0) return task;
  const lines = answered.map((d) => `- ${d.id} — question: ${d.question}\n  answer from the person: ${d.answer}`);
  return { ...task, description: `${task.description}\n\nDecisions the person made for this task:\n${lines.join('\n')}` };
}

interface Running {
  readonly taskId: string;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/** One build run over the current records. Create, then `run()` once. */
export class BuildRun {
  private records: TaskRecord[];
  private decisions: Decision[];
  private readonly running = new Map<string, Running>();
  private readonly patrol: Patrol;
  /** Worktree tasks land in dispatch order; one whose work is done waits there holding no worker. */
  private readonly queue = new MergeQueue();
  /** Something changed since the loop last looked (a wake-up that came while it was busy). */
  private woken = false;
  private stop: BuildEnding | undefined;
  private readonly conflicts = new Map<string, number>();
  private wake: (() => void) | undefined;
  /** Tasks whose report waits for !continue (per_task autonomy): nothing new starts meanwhile. */
  private holding = 0;

  constructor(
    private readonly ports: BuildPorts,
    private readonly options: BuildOptions,
    progress: BuildProgress,
    private readonly observer: BuildObserver,
  ) {
    this.records = [...progress.records];
    this.decisions = [...progress.decisions];
    this.patrol = new Patrol(options.patrol);
  }

  /** The records as they are now (for the live board). */
  progress(): BuildProgress {
    return { records: this.records, decisions: this.decisions };
  }

  /** A person's change (a decision answered, a task retried or skipped): saved, and the build looks again. */
  async update(change: (progress: BuildProgress) => BuildProgress): Promise<void> {
    const next = change(this.progress());
    this.records = [...next.records].sort((a, b) => compareTaskIds(a.id, b.id));
    this.decisions = [...next.decisions];
    await this.save();
    this.nudge();
  }

  runningTasks(): string[] {
    return [...this.running.keys()];
  }

  async run(): Promise<BuildEnding> {
    const stopTicking = this.ports.every(1_000, () => this.checkPatrol());
    const onAbort = () => this.abortAll();
    this.options.signal.addEventListener('abort', onAbort);
    try {
      for (;;) {
        this.woken = false;
        if (this.options.signal.aborted) this.stop ??= { kind: 'aborted' };
        if (this.stop === undefined && this.holding === 0) await this.startReady();
        if (this.running.size === 0) break;
        if (this.woken) continue;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
      await this.queue.idle();
      if (this.options.signal.aborted) this.stop ??= { kind: 'aborted' };
      return this.stop ?? this.settledEnding();
    } finally {
      stopTicking();
      this.options.signal.removeEventListener('abort', onAbort);
    }
  }

  private settledEnding(): BuildEnding {
    const statusOf = (id: string) => this.records.find((r) => r.id === id)?.status ?? 'PENDING';
    const finished = (id: string) => statusOf(id) === 'DONE' || statusOf(id) === 'SKIPPED';
    const open = this.options.graph.tasks
      .map((t) => t.id)
      .filter((id) => !finished(id))
      .sort(compareTaskIds);
    if (open.length === 0) return { kind: 'complete' };
    const held = this.options.graph.tasks
      .filter((t) => open.includes(t.id) && (statusOf(t.id) === 'PENDING' || statusOf(t.id) === 'IN-PROGRESS'))
      .map((t) => ({ taskId: t.id, waitsFor: t.depends_on.filter((d) => !finished(d)) }))
      .filter((h) => h.waitsFor.length > 0)
      .sort((a, b) => compareTaskIds(a.taskId, b.taskId));
    return { kind: 'waiting', tasks: open, held };
  }

  /** Wakes the loop, or tells it to look again when it is busy. */
  private nudge(): void {
    this.woken = true;
    this.wake?.();
  }

  /**
   * What may start now. A task waiting for its turn to land holds no worker, and counts as
   * done for its dependents, which start stacked on its commit (see MergeQueue); one that
   * needs two such tasks on different branches waits for a landing.
   */
  private nextTasks(): string[] {
    const waiting = this.queue.waiting();
    const unplaceable = new Set<string>();
    const busy = [...this.running.keys()].filter((id) => !waiting.has(id));
    for (;;) {
      const records = this.records.map((r) => (waiting.has(r.id) ? { ...r, status: 'DONE' as const } : unplaceable.has(r.id) ? { ...r, status: 'BLOCKED' as const } : r));
      for (const id of unplaceable) if (!records.some((r) => r.id === id)) records.push({ ...blankRecord(id), status: 'BLOCKED' });
      const next = nextAssignments(scheduleStateOf(this.options.graph, records, this.options.maxWorkers), busy);
      const left = next.filter((id) => this.queue.placementFor(this.taskOf(id).depends_on) === undefined);
      if (left.length === 0) return next;
      for (const id of left) unplaceable.add(id);
    }
  }

  /** Every dependency is DONE or skipped, or finished and waiting to land (the task then starts stacked on it). */
  private dependenciesMet(task: Task): boolean {
    const waiting = this.queue.waiting();
    return task.depends_on.every((d) => waiting.has(d) || ['DONE', 'SKIPPED'].includes(this.records.find((r) => r.id === d)?.status ?? 'PENDING'));
  }

  private taskOf(taskId: string): Task {
    return this.options.graph.tasks.find((t) => t.id === taskId)!;
  }

  private async startReady(): Promise<void> {
    let next = this.nextTasks();
    let parallel = this.options.maxWorkers > 1;
    if (parallel && next.length > 0 && !(await this.hasCommit())) {
      // A worktree needs a commit to start from: until the first task commits, one task at a time in place.
      if (this.running.size > 0) return;
      next = next.slice(0, 1);
      parallel = false;
    }
    // In place, the record keeps the commit the task starts from: after a crash its leftovers are told from the person's work by it.
    const inPlace = !parallel && next.length > 0 ? await this.inPlaceBase() : undefined;
    for (const taskId of next) {
      const task = this.taskOf(taskId);
      // The queue moved during the awaits since `next` was chosen: place it now, or leave it for the next look.
      const placement = parallel ? this.queue.placementFor(task.depends_on) : undefined;
      if (parallel && (placement === undefined || !this.dependenciesMet(task))) continue;
      const lane = placement ? this.queue.enter(taskId, placement) : undefined;
      const controller = new AbortController();
      const record = startedRecord(this.records.find((r) => r.id === taskId), taskId, this.ports.now().toISOString(), inPlace);
      this.setRecord(record);
      await this.save();
      // Stopped while the record was saved: it stays IN-PROGRESS and restarts with the build.
      if (this.options.signal.aborted) {
        if (lane) this.queue.leave(lane);
        return;
      }
      this.patrol.observe({ type: 'task_started', taskId, atMs: this.ports.now().getTime() });
      this.observer.taskStarted(taskId, parallel ? 'worktree' : 'project');
      const done = (lane ? this.inWorktree(task, record.attempts, controller, lane) : this.inProject(task, controller))
        .catch((error: unknown) => this.finish(task, { kind: 'crashed', message: error instanceof Error ? error.message : String(error) }))
        .finally(() => {
          this.running.delete(taskId);
          this.nudge();
        });
      this.running.set(taskId, { taskId, controller, done });
    }
  }

  private headKnown = false;

  /** The commit an in-place task starts from; undefined when git cannot say (the task then fails on its own status). */
  private async inPlaceBase(): Promise<{ base: string | null } | undefined> {
    const status = await this.ports.git.status(this.options.projectDir);
    return status.ok ? { base: status.value.head } : undefined;
  }

  /** Whether the repository has a commit yet (a new project's first task makes it). */
  private async hasCommit(): Promise<boolean> {
    if (this.headKnown) return true;
    const status = await this.ports.git.status(this.options.projectDir);
    this.headKnown = status.ok && status.value.head !== null;
    return this.headKnown;
  }

  private hooks(taskId: string, controller: AbortController): TaskHooks {
    return {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'usage') this.addUsage(taskId, event);
        this.patrol.observe({ type: 'agent', taskId, event });
        this.observer.taskEvent(taskId, event);
        this.checkPatrol();
      },
      onReviewEvent: (event) => {
        if (event.type === 'usage') this.addUsage(taskId, event);
        this.observer.taskEvent(taskId, event);
      },
      onPhase: (phase) => {
        // A repair or a review fix is a new Builder run: its reading turns are not the last run's idle ones.
        if (phase.kind === 'builder') this.patrol.observe({ type: 'run_started', taskId });
        this.observer.taskPhase?.(taskId, phase);
      },
      onReceipts: (receipts) => {
        for (const receipt of receipts) this.patrol.observe({ type: 'receipt', taskId, receipt });
      },
      waitForPerson: async (wait) => {
        this.patrol.observe({ type: 'waiting_for_person', taskId, atMs: this.ports.now().getTime() });
        try {
          return await wait();
        } finally {
          this.patrol.observe({ type: 'person_answered', taskId, atMs: this.ports.now().getTime() });
        }
      },
    };
  }

  private async inProject(task: Task, controller: AbortController): Promise<void> {
    const result = await this.ports.execute(taskWithDecisions(task, this.decisions), this.options.projectDir, this.hooks(task.id, controller));
    let setAside: SetAside | undefined;
    if (result.kind !== 'done') {
      // The next attempt starts from the last checkpoint; what this one left is kept, not lost.
      // In place that is everything uncommitted, the person's edits made meanwhile too: the reason says so.
      const saved = await this.ports.git.setAsideWork(this.options.projectDir, `${task.id.toLowerCase()}-leftovers`);
      if (saved.ok) setAside = { where: 'project', ref: saved.value.ref, restore: saved.value.restoreInstructions };
      else if (saved.error.kind !== 'nothing-to-save') this.observer.note('warning', `Could not set aside what ${task.id} left in the project: ${saved.error.message}`);
    }
    await this.finish(task, { kind: 'result', result, ...(setAside ? { setAside } : {}) });
  }

  private async inWorktree(task: Task, attempt: number, controller: AbortController, lane: Lane): Promise<void> {
    try {
      await this.buildInWorktree(task, attempt, controller, lane);
    } finally {
      // Landed or ended without landing: the tasks dispatched after it may land.
      this.queue.leave(lane);
    }
  }

  private async buildInWorktree(task: Task, attempt: number, controller: AbortController, lane: Lane): Promise<void> {
    const status = await this.ports.git.status(this.options.projectDir);
    if (!status.ok) return this.finish(task, { kind: 'crashed', message: status.error.message });
    const root = status.value.root;
    const prefix = projectPrefix(root, this.options.projectDir);
    if (prefix === undefined) return this.finish(task, { kind: 'crashed', message: `${this.options.projectDir} is not inside the repository at ${root} as written (open the project by its real path)` });
    const branch = `${this.options.branchPrefix}${task.id.toLowerCase()}-${attempt}`;
    const dir = `${this.options.worktreeRoot}/${task.id}-${attempt}`;
    const added = await this.ports.git.addWorktree(root, { branch, base: lane.base, dir });
    if (!added.ok) return this.finish(task, { kind: 'crashed', message: `could not create its worktree: ${added.error.message}` });
    const workDir = `${added.value.dir}/${prefix}`.replace(/\/+$/, '');
    const result = await this.ports.execute(taskWithDecisions(task, this.decisions), workDir, this.hooks(task.id, controller));
    if (result.kind !== 'done') {
      const removed = await this.ports.git.removeWorktree(root, added.value.dir, { deleteBranch: true, force: true });
      const ref = removed.ok ? removed.value.snapshot?.ref : undefined;
      return this.finish(task, { kind: 'result', result, ...(ref ? { setAside: { where: 'worktree', ref } as const } : {}) });
    }
    // Land through the queue, one merge at a time, in the order the tasks were dispatched;
    // meanwhile its worker is free for the next ready task (a merge is no Builder's work).
    this.queue.done(lane, result.sha);
    this.nudge();
    await lane.before;
    if (!this.queue.baseLanded(lane)) {
      // Stacked on work that did not land: its branch holds that work too, so it is built again on the new base.
      await this.ports.git.removeWorktree(root, added.value.dir, { deleteBranch: true, force: true });
      this.observer.note('warning', `${task.id} was built on ${[...lane.holds].join(', ')}, which did not land; it runs again once ${lane.holds.size === 1 ? 'that task is' : 'they are'} DONE.`);
      return this.finish(task, { kind: 'requeue' });
    }
    try {
      await this.land(task, result, root, branch, added.value.dir, lane);
    } catch (error) {
      // One task's failed landing must not hold up the queue behind it.
      await this.finish(task, { kind: 'crashed', message: `landing failed: ${error instanceof Error ? error.message : String(error)}; its commit ${result.sha.slice(0, 12)} is on branch ${branch}` }).catch(() => undefined);
    }
  }

  private async land(task: Task, result: Extract<TaskResult, { kind: 'done' }>, root: string, branch: string, dir: string, lane: Lane): Promise<void> {
    const merged = await this.ports.git.mergeBranch(root, branch, { message: `Land ${task.id}: ${task.title}`, fastForward: true });
    const cleanup = () => this.ports.git.removeWorktree(root, dir, { deleteBranch: true, force: true });
    if (merged.ok && merged.value.kind === 'merged') {
      this.queue.landed(lane);
      await cleanup();
      return this.finish(task, { kind: 'result', result, landedSha: merged.value.sha });
    }
    if (merged.ok && merged.value.kind === 'conflict') {
      const conflicts = (this.conflicts.get(task.id) ?? 0) + 1;
      this.conflicts.set(task.id, conflicts);
      if (conflicts === 1) {
        await cleanup();
        this.observer.note('warning', `${task.id} conflicts with work landed meanwhile (${merged.value.files.join(', ')}); running it once more on the new base.`);
        return this.finish(task, { kind: 'requeue' });
      }
      // Twice: the person resolves it, so the task's commit stays on its branch (only the worktree goes).
      await this.ports.git.removeWorktree(root, dir, { force: true });
      return this.finish(task, { kind: 'conflict', files: merged.value.files, branch, sha: result.sha });
    }
    // The task's commit stays on its branch: the work is done, only landing it failed.
    await this.ports.git.removeWorktree(root, dir, { force: true });
    const why = merged.ok ? 'the merge reported neither a commit nor a conflict' : `${merged.error.message}${merged.error.hint ? ` ${merged.error.hint}` : ''}`;
    return this.finish(task, { kind: 'crashed', message: `could not land on the working branch (${why}); its commit ${result.sha.slice(0, 12)} is kept on branch ${branch}` });
  }

  private async finish(task: Task, ending: TaskEnding): Promise<void> {
    const previous = this.records.find((r) => r.id === task.id)!;
    if (ending.kind === 'requeue') {
      this.setRecord({ ...previous, status: 'PENDING' });
      await this.save();
      return;
    }
    const { record, decisions } = recordFromResult(previous, ending, { now: this.ports.now().toISOString(), decisions: this.decisions, stalled: this.patrol.taskVerdict(task.id) });
    this.decisions = decisions;
    this.setRecord(record);
    await this.save();
    const result = ending.kind === 'result' ? ending.result : undefined;
    const failed = record.status === 'BLOCKED' || record.status === 'STALLED';
    if (record.status !== 'IN-PROGRESS') this.patrol.observe({ type: 'task_finished', taskId: task.id, outcome: failed ? 'failed' : 'done' });
    if (result?.kind === 'budget_refused') this.stop ??= { kind: 'budget', message: result.message };
    const build = this.patrol.verdict().build;
    if (build.kind === 'paused') this.stop ??= { kind: 'paused', reason: build.reason };
    if (result) this.observer.taskFinished(record, result);
    if (record.status === 'DONE' && this.observer.afterTask && this.stop === undefined) {
      this.holding += 1;
      try {
        await this.observer.afterTask(record);
      } finally {
        this.holding -= 1;
      }
    }
  }

  private addUsage(taskId: string, event: UsageEvent): void {
    const record = this.records.find((r) => r.id === taskId);
    if (!record) return;
    const u = event.usage;
    this.setRecord({
      ...record,
      inputTokens: record.inputTokens + u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens,
      outputTokens: record.outputTokens + u.outputTokens,
      costUsd: record.costUsd + this.ports.costOf(event),
    });
  }

  private checkPatrol(): void {
    this.patrol.tick(this.ports.now().getTime());
    for (const stalled of this.patrol.verdict().stalled) {
      const running = this.running.get(stalled.taskId);
      // A task waiting for its turn to land has done its work: its time in the queue is not the Builder's.
      if (running && !running.controller.signal.aborted && !this.queue.waiting().has(stalled.taskId)) {
        this.observer.note('warning', `${stalled.taskId} is STALLED: ${stalled.diagnosis}`);
        running.controller.abort();
      }
    }
  }

  private abortAll(): void {
    for (const r of this.running.values()) r.controller.abort();
  }

  private setRecord(record: TaskRecord): void {
    const i = this.records.findIndex((r) => r.id === record.id);
    if (i === -1) this.records.push(record);
    else this.records[i] = record;
    this.records.sort((a, b) => compareTaskIds(a.id, b.id));
  }

  private save(): Promise<void> {
    return this.ports.persist({ records: this.records, decisions: this.decisions });
  }
}

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
