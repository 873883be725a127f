import type { TaskRecord } from '../build/build-record.js';
import type { BuildEnding } from '../build/build-ending.js';
import type { BuildObserver } from '../build/build-run-ports.js';
import type { TaskGraph } from '../task-graph/task.js';
import { entry, type EntryInput } from '../transcript.js';
import { describeTaskEnd } from './build-messages.js';
import { TaskBoard, type TaskBoardHost } from './task-board.js';

/** How the watch reaches the person. */
export interface RunWatchHost extends TaskBoardHost {
  emit(input: EntryInput): void;
  bell(): void;
}

/**
 * Follows a build run's tasks for the person: the live board, each task's end in the
 * transcript, and a bell as soon as a task needs the person (a question or an escalated review).
 */
export class RunWatch {
  private readonly board: TaskBoard;
  /** Tasks finished in this run, and how many had when a task last rang for the person (so the build's end does not ring twice for it). */
  private finishedTasks = 0;
  private rangAt: number | undefined;

  constructor(private readonly host: RunWatchHost) {
    this.board = new TaskBoard(host);
  }

  /** A new run begins: nothing of it has finished or rung yet. */
  begin(graph: TaskGraph): void {
    this.finishedTasks = 0;
    this.rangAt = undefined;
    this.board.refresh(graph);
  }

  /** Draws the board again (the elapsed times move on between events). */
  refresh(graph: TaskGraph): void {
    this.board.refresh(graph);
  }

  /** The run's observer over `graph`; `afterTask` may hold the run after a DONE task. */
  observer(graph: TaskGraph, afterTask: (record: TaskRecord) => Promise<void>): BuildObserver {
    return {
      taskStarted: (taskId, where) => this.board.started(graph, taskId, where),
      taskEvent: (taskId, event) => this.board.event(graph, taskId, event),
      taskPhase: (taskId, phase) => this.board.phase(graph, taskId, phase),
      taskFinished: (record, result) => {
        this.board.finished(record.id);
        this.host.emit(describeTaskEnd(record, result));
        this.finishedTasks += 1;
        if (result.kind === 'needs_context' || result.kind === 'escalated') {
          // The person is needed now, not when the whole build settles (the status bar says so too).
          this.host.bell();
          this.rangAt = this.finishedTasks;
        }
        this.board.refresh(graph);
      },
      note: (tone, text) => this.host.emit(tone === 'warning' ? entry.warning(text) : entry.info(text)),
      afterTask,
    };
  }

  /** Whether the build's end rings: not when it stops waiting right after a task rang for the same thing. */
  ringsAtEnd(ending: BuildEnding): boolean {
    return !(ending.kind === 'waiting' && this.rangAt === this.finishedTasks);
  }
}
