import type { AgentEvent } from '../agent/agent-types.js';
import { canonicalJson } from './canonical-json.js';
import { formatDuration, type Receipt } from './receipts.js';

/*
 * The patrol stops runaway work by code: it watches every running task's agent events and
 * receipts and says when a task is STALLED (too long, repeating one call, or many turns
 * without progress) and when the whole build should pause (several tasks failed in a row).
 * It never acts; the Builder reads verdict() and stops what it names.
 */

export const DEFAULT_IDLE_TURN_LIMIT = 8;
export const DEFAULT_REPEAT_LIMIT = 3;
export const DEFAULT_FAILED_TASK_LIMIT = 5;

/** The patrol's limits; only the wall-clock limit has no default. */
export interface PatrolConfig {
  /** Wall-clock limit of one task, from task_started, not counting the time it waits for the person. */
  readonly taskTimeLimitMs: number;
  /** Turns without a file change or a new receipt before a task is STALLED (default 8). */
  readonly idleTurnLimit?: number;
  /** The same tool call (name + input) this many times in a row is STALLED (default 3). */
  readonly repeatLimit?: number;
  /** Failed tasks in a row that pause the build (default 5). */
  readonly failedTaskLimit?: number;
}

/** What the patrol is fed. Agent events are tagged with their task, since tasks run in parallel. */
export type PatrolEvent =
  | { readonly type: 'task_started'; readonly taskId: string; readonly atMs: number }
  | { readonly type: 'agent'; readonly taskId: string; readonly event: AgentEvent }
  | { readonly type: 'receipt'; readonly taskId: string; readonly receipt: Receipt }
  /** A new Builder run of the task (a repair after failed gates, a fix after a review): its idle-turn count starts again. */
  | { readonly type: 'run_started'; readonly taskId: string }
  /** The task waits for the person (a y/n/a approval): its clock stops until `person_answered`. Waits may overlap. */
  | { readonly type: 'waiting_for_person'; readonly taskId: string; readonly atMs: number }
  | { readonly type: 'person_answered'; readonly taskId: string; readonly atMs: number }
  /** `failed`: BLOCKED or STALLED; `done`: DONE with passing receipts. */
  | { readonly type: 'task_finished'; readonly taskId: string; readonly outcome: 'done' | 'failed' };

/** Which rule stalled a task. */
export type StallRule = 'time-limit' | 'repeated-call' | 'no-progress';

/** A running task the patrol says to stop, and why, in words a person can act on. */
export interface StalledTask {
  readonly kind: 'stalled';
  readonly taskId: string;
  readonly rule: StallRule;
  readonly diagnosis: string;
}

/** Whether the build may go on; `paused` waits for a person (resume()). */
export type BuildState = { readonly kind: 'running' } | { readonly kind: 'paused'; readonly reason: string; readonly failedTasks: readonly string[] };

/** What the Builder acts on: stop the stalled tasks; start nothing new while paused. */
export interface PatrolVerdict {
  readonly build: BuildState;
  /** Running tasks that are STALLED, in the order they stalled. */
  readonly stalled: readonly StalledTask[];
}

interface TaskWatch {
  /** Moved on by the time spent waiting for the person, so `now - startedAtMs` is the task's own time. */
  startedAtMs: number | undefined;
  /** Open waits for the person, and when the first of them began. */
  waits: number;
  waitingSinceMs: number | undefined;
  turn: number;
  lastCall: { signature: string; name: string; input: string; id: string } | undefined;
  repeats: number;
  lastResult: Map<string, { isError: boolean; display: string }>;
  idleTurns: number;
  toolsSinceProgress: Map<string, number>;
  seenReceipts: Set<string>;
  stalled: StalledTask | undefined;
}

/**
 * One per build. Feed it every event of every running task (observe) and the clock (tick);
 * read verdict() after each. Pure: no timers, no I/O; the clock comes in through tick.
 */
export class Patrol {
  private readonly idleTurnLimit: number;
  private readonly repeatLimit: number;
  private readonly failedTaskLimit: number;
  private readonly tasks = new Map<string, TaskWatch>();
  private readonly stallOrder: string[] = [];
  private failedInARow: string[] = [];
  private paused: BuildState = { kind: 'running' };
  private nowMs: number | undefined;
  private readonly config: PatrolConfig;

  constructor(config: PatrolConfig) {
    this.config = config;
    this.idleTurnLimit = config.idleTurnLimit ?? DEFAULT_IDLE_TURN_LIMIT;
    this.repeatLimit = config.repeatLimit ?? DEFAULT_REPEAT_LIMIT;
    this.failedTaskLimit = config.failedTaskLimit ?? DEFAULT_FAILED_TASK_LIMIT;
  }

  observe(event: PatrolEvent): void {
    if (event.type === 'task_started') {
      this.tasks.set(event.taskId, newWatch(event.atMs));
      return;
    }
    if (event.type === 'task_finished') {
      this.tasks.delete(event.taskId);
      this.recordFinish(event.taskId, event.outcome);
      return;
    }
    let watch = this.tasks.get(event.taskId);
    // A wait that ends after its task finished (or a new run of one) says nothing about a running task.
    if (!watch && event.type !== 'agent' && event.type !== 'receipt') return;
    // Events of a task never announced still count; its clock starts at the latest tick.
    if (!watch) {
      watch = newWatch(this.nowMs);
      this.tasks.set(event.taskId, watch);
    }
    switch (event.type) {
      case 'receipt':
        return this.onReceipt(watch, event.receipt);
      case 'run_started':
        return this.progress(watch);
      case 'waiting_for_person':
        watch.waits += 1;
        if (watch.waits === 1) watch.waitingSinceMs = event.atMs;
        return;
      case 'person_answered':
        if (watch.waits === 0) return;
        watch.waits -= 1;
        if (watch.waits === 0 && watch.waitingSinceMs !== undefined) {
          if (watch.startedAtMs !== undefined) watch.startedAtMs += Math.max(0, event.atMs - watch.waitingSinceMs);
          watch.waitingSinceMs = undefined;
        }
        return;
      case 'agent':
        return this.onAgentEvent(event.taskId, watch, event.event);
    }
  }

  /** Advances the clock; checks every running task's wall-clock limit. */
  tick(nowMs: number): void {
    this.nowMs = nowMs;
    for (const [taskId, watch] of this.tasks) {
      watch.startedAtMs ??= nowMs;
      // While the task waits for the person its clock stands still.
      const elapsed = (watch.waitingSinceMs ?? nowMs) - watch.startedAtMs;
      if (elapsed > this.config.taskTimeLimitMs) {
        this.stall(taskId, watch, 'time-limit', `${taskId} has run for ${formatDuration(elapsed)}, over its limit of ${formatDuration(this.config.taskTimeLimitMs)} (turn ${watch.turn}${watch.lastCall ? `, last tool ${watch.lastCall.name}` : ''}).`);
      }
    }
  }

  verdict(): PatrolVerdict {
    const stalled: StalledTask[] = [];
    for (const id of this.stallOrder) {
      const s = this.tasks.get(id)?.stalled;
      if (s) stalled.push(s);
    }
    return { build: this.paused, stalled };
  }

  /** The verdict on one running task; undefined when the task is not running. */
  taskVerdict(taskId: string): StalledTask | { readonly kind: 'ok' } | undefined {
    const watch = this.tasks.get(taskId);
    if (!watch) return undefined;
    return watch.stalled ?? { kind: 'ok' };
  }

  /** The person resumed a paused build: the count of failures in a row starts again. */
  resume(): void {
    this.failedInARow = [];
    this.paused = { kind: 'running' };
  }

  private onAgentEvent(taskId: string, watch: TaskWatch, event: AgentEvent): void {
    switch (event.type) {
      case 'turn_start':
        watch.turn = event.turn;
        return;
      case 'tool_call': {
        if (watch.lastCall?.id === event.id) return; // the same call reported again is not a repeat
        const input = canonicalJson(event.input);
        const signature = `${event.name}\u0000${input}`;
        watch.repeats = watch.lastCall?.signature === signature ? watch.repeats + 1 : 1;
        const previousId = watch.lastCall?.id;
        watch.lastCall = { signature, name: event.name, input, id: event.id };
        watch.toolsSinceProgress.set(event.name, (watch.toolsSinceProgress.get(event.name) ?? 0) + 1);
        if (watch.repeats >= this.repeatLimit) {
          const last = previousId === undefined ? undefined : watch.lastResult.get(previousId);
          const result = last === undefined ? '' : ` The previous one ${last.isError ? 'failed' : 'returned'}: ${clip(last.display, 160)}`;
          this.stall(taskId, watch, 'repeated-call', `${taskId} called ${event.name} ${watch.repeats} times in a row with the same input ${clip(input, 200)}; it is repeating itself instead of making progress.${result}`);
        }
        return;
      }
      case 'tool_result':
        watch.lastResult.clear(); // only the latest result is ever quoted
        watch.lastResult.set(event.id, { isError: event.isError, display: event.display });
        if (event.changedFiles !== undefined && event.changedFiles.length > 0) this.progress(watch);
        return;
      case 'turn_end':
        watch.idleTurns++;
        if (watch.idleTurns >= this.idleTurnLimit) {
          const tools = [...watch.toolsSinceProgress].map(([name, n]) => `${name} ×${n}`).join(', ');
          this.stall(taskId, watch, 'no-progress', `${taskId} went ${watch.idleTurns} turns without changing a file or producing a new receipt (${tools === '' ? 'no tool calls' : `tools used: ${tools}`}).`);
        }
        return;
      default:
        return;
    }
  }

  private onReceipt(watch: TaskWatch, receipt: Receipt): void {
    // The same gate with the same output and exit code again shows nothing changed.
    const key = `${receipt.gate}\u0000${receipt.exitCode}\u0000${receipt.outputSha256}`;
    if (watch.seenReceipts.has(key)) return;
    watch.seenReceipts.add(key);
    this.progress(watch);
  }

  private progress(watch: TaskWatch): void {
    watch.idleTurns = 0;
    watch.toolsSinceProgress.clear();
  }

  /** The first rule that fires stays the task's verdict until it finishes. */
  private stall(taskId: string, watch: TaskWatch, rule: StallRule, diagnosis: string): void {
    if (watch.stalled) return;
    watch.stalled = { kind: 'stalled', taskId, rule, diagnosis };
    const at = this.stallOrder.indexOf(taskId);
    if (at !== -1) this.stallOrder.splice(at, 1);
    this.stallOrder.push(taskId);
  }

  private recordFinish(taskId: string, outcome: 'done' | 'failed'): void {
    if (outcome === 'done') {
      this.failedInARow = [];
      return;
    }
    this.failedInARow.push(taskId);
    if (this.paused.kind === 'running' && this.failedInARow.length >= this.failedTaskLimit) {
      const ids = [...this.failedInARow];
      this.paused = {
        kind: 'paused',
        reason: `${ids.length} tasks failed one after another (${ids.join(', ')}): something they share is likely broken (the gate commands, the environment or the plan). The build is paused for a person to look.`,
        failedTasks: ids,
      };
    }
  }
}

function newWatch(startedAtMs: number | undefined): TaskWatch {
  return {
    startedAtMs,
    waits: 0,
    waitingSinceMs: undefined,
    turn: 0,
    lastCall: undefined,
    repeats: 0,
    lastResult: new Map(),
    idleTurns: 0,
    toolsSinceProgress: new Map(),
    seenReceipts: new Set(),
    stalled: undefined,
  };
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
