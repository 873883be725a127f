import type { AgentEvent } from '../agent/agent-types.js';
import type { TaskRecord } from '../build/build-record.js';
import { boardLines } from '../build/build-report.js';
import type { TaskPhase } from '../build/task-runner-ports.js';
import type { TaskGraph } from '../task-graph/task.js';
import { phaseText, toolActivity } from './build-messages.js';

/** Where the board gets the running build's records and the clock, and where it is drawn. */
export interface TaskBoardHost {
  records(): readonly TaskRecord[];
  now(): number;
  /** The live area below the transcript. */
  show(text: string): void;
}

/**
 * The live task board while the Builder runs: each task's status and elapsed time, with the
 * phase it is in and what its agent does now (last tool call or turn). It outlives one run, so a
 * task stopped mid-phase keeps its phase on the board until it reports a new one.
 */
export class TaskBoard {
  private readonly activity = new Map<string, string>();
  private readonly phases = new Map<string, string>();

  constructor(private readonly host: TaskBoardHost) {}

  /** A task started; `where` tells the person whether it runs in a worktree. */
  started(graph: TaskGraph, taskId: string, where: 'project' | 'worktree'): void {
    this.activity.set(taskId, where === 'worktree' ? 'starting in its worktree' : 'starting');
    this.refresh(graph);
  }

  /** One of the task's agent events; only those the person would see change redraw. */
  event(graph: TaskGraph, taskId: string, event: AgentEvent): void {
    const doing = toolActivity(event);
    if (doing !== undefined) this.activity.set(taskId, doing);
    // A usage event changes the task's cost (and the status bar's spend).
    if (doing !== undefined || event.type === 'usage') this.refresh(graph);
  }

  /** The task moved to a new phase; the previous phase's last activity no longer applies. */
  phase(graph: TaskGraph, taskId: string, phase: TaskPhase): void {
    this.phases.set(taskId, phaseText(phase));
    this.activity.delete(taskId);
    this.refresh(graph);
  }

  /** The task ended; the caller redraws once it has said how. */
  finished(taskId: string): void {
    this.activity.delete(taskId);
    this.phases.delete(taskId);
  }

  /** Draws the board again (the elapsed times move on between events too). */
  refresh(graph: TaskGraph): void {
    const doing = new Map<string, string>();
    for (const taskId of new Set([...this.phases.keys(), ...this.activity.keys()])) {
      doing.set(taskId, [this.phases.get(taskId), this.activity.get(taskId)].filter((part) => part !== undefined).join(': '));
    }
    const lines = boardLines(graph, this.host.records(), doing, this.host.now());
    this.host.show(['Task board', ...lines].join('\n'));
  }
}
