import type { UsageEvent } from '../agent/agent-types.js';
import type { Task } from '../task-graph/task.js';
import type { Decision, TaskRecord } from './build-record.js';
import { scheduleStateOf, settledEnding, type BuildEnding } from './build-ending.js';
import type { BuildObserver, BuildOptions, BuildPorts, BuildProgress, TaskHooks } from './build-run-ports.js';
import { MergeQueue } from './merge-queue.js';
import { Patrol } from './patrol.js';
import { compareTaskIds, nextAssignments } from './scheduler.js';
import { blankRecord, recordFromResult, startedRecord, type TaskEnding } from './task-outcome.js';
import { runInProject, runInWorktree, taskWithDecisions, type TaskPlacement } from './task-placement.js';

/*
 * The build: runs the task graph's ready tasks, one at a time in the project directory or up
 * to max_workers at once in git worktrees that land through a merge queue, and keeps HANDOFF
 * records current after every step. Pure orchestration over ports; the patrol stops runaway
 * tasks, a budget refusal or five failures in a row stop the build, and nothing here ever
 * throws away a person's work (left-over changes are set aside to a snapshot ref). Where a
 * task runs and how it lands is task-placement.ts; this is the loop and its bookkeeping.
 */

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

  /** The ids of the tasks running now, those waiting to land included. */
  runningTasks(): string[] {
    return [...this.running.keys()];
  }

  /** Runs until nothing more can start and every running task has ended, or the build stops. */
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
      return this.stop ?? settledEnding(this.options.graph, this.records);
    } finally {
      stopTicking();
      this.options.signal.removeEventListener('abort', onAbort);
    }
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
      const place = this.placement(task, controller);
      const done = (lane ? runInWorktree(place, task, record.attempts, lane) : runInProject(place, task))
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

  private placement(task: Task, controller: AbortController): TaskPlacement {
    return {
      ports: this.ports,
      options: this.options,
      observer: this.observer,
      queue: this.queue,
      conflicts: this.conflicts,
      // The decisions are read when the task runs: a worktree task may wait for git first.
      execute: (dir) => this.ports.execute(taskWithDecisions(task, this.decisions), dir, this.hooks(task.id, controller)),
      finish: (ending) => this.finish(task, ending),
      nudge: () => this.nudge(),
    };
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
