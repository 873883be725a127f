/*
 * The merge queue of a parallel build. Finished worktree tasks land on the working branch one
 * at a time in the order they were dispatched, never in the order the model happened to finish
 * them, so which task re-runs after a conflict, and the history, are the same on every run.
 *
 * Waiting for an earlier task to land must not hold up the work that depends on a finished
 * one, so a task whose dependency is finished but waits behind a task still at work starts
 * "stacked" on that dependency's commit. It lands after it (it was dispatched later); if the
 * dependency does not land (a conflict, a crash), the stacked work is built again on the new
 * base. A dependency whose turn has come is landing now: its dependents wait for that merge.
 */

/** Where a worktree task starts. */
export type Placement =
  /** From the working branch as it is. */
  | { readonly kind: 'head' }
  /** From the commit of `on`, a finished task that has not landed yet. */
  | { readonly kind: 'stack'; readonly on: string; readonly sha: string };

/** A worktree task's place in the queue. */
export interface Lane {
  readonly taskId: string;
  /** `HEAD`, or the commit it is stacked on. */
  readonly base: string;
  /** Tasks not landed when it started whose commits its branch holds (what it is stacked on, and theirs). */
  readonly holds: ReadonlySet<string>;
  /** Landings (in this run) already on the working branch when its first base was taken. */
  readonly baseLandings: number;
  /** Settles when its turn to land comes: every task dispatched before it landed or ended. */
  readonly before: Promise<void>;
}

interface Finished {
  readonly lane: Lane;
  readonly sha: string;
}

/** One per build run. */
export class MergeQueue {
  private tail: Promise<void> = Promise.resolve();
  private landings = 0;
  private readonly landedAt = new Map<string, number>();
  private readonly finished = new Map<string, Finished>();
  private readonly releases = new Map<Lane, () => void>();
  /** The lanes not yet left, in dispatch order: the first one's turn has come. */
  private readonly order: Lane[] = [];

  /** Settles once every task dispatched so far has landed or ended without landing. */
  idle(): Promise<void> {
    return this.tail;
  }

  /** Tasks whose work is committed and that wait for their turn to land (they hold no worker). */
  waiting(): ReadonlySet<string> {
    return new Set(this.finished.keys());
  }

  /**
   * Where a task with these dependencies can start: from HEAD when none of them waits to land;
   * stacked on the waiting one whose branch holds every other waiting one and every landed one
   * it needs; undefined when no single branch holds them all (it waits for a landing).
   */
  placementFor(dependsOn: readonly string[]): Placement | undefined {
    const waiting = dependsOn.filter((d) => this.finished.has(d));
    if (waiting.length === 0) return { kind: 'head' };
    // One whose turn has come lands now: waiting for that merge wastes nothing if it conflicts.
    if (waiting.some((d) => this.finished.get(d)!.lane === this.order[0])) return undefined;
    const top = waiting.find((s) => waiting.every((d) => d === s || this.finished.get(s)!.lane.holds.has(d)));
    if (top === undefined) return undefined;
    const { lane, sha } = this.finished.get(top)!;
    // A dependency that landed after this branch's base was taken is not in it.
    const inBranch = (d: string) => d === top || lane.holds.has(d) || (this.landedAt.get(d) ?? 0) <= lane.baseLandings;
    return dependsOn.every(inBranch) ? { kind: 'stack', on: top, sha } : undefined;
  }

  /** A task is dispatched: it takes the last place in the queue. */
  enter(taskId: string, placement: Placement): Lane {
    const parent = placement.kind === 'stack' ? this.finished.get(placement.on)?.lane : undefined;
    const before = this.tail;
    let release!: () => void;
    const ended = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.tail = before.then(() => ended);
    const lane: Lane = {
      taskId,
      base: placement.kind === 'stack' ? placement.sha : 'HEAD',
      holds: parent && placement.kind === 'stack' ? new Set([placement.on, ...parent.holds]) : new Set(),
      baseLandings: parent ? parent.baseLandings : this.landings,
      before,
    };
    this.releases.set(lane, release);
    this.order.push(lane);
    return lane;
  }

  /** Its work is committed at `sha`: it waits for its turn, and dependents may stack on it. */
  done(lane: Lane, sha: string): void {
    this.finished.set(lane.taskId, { lane, sha });
  }

  /** Whether everything it is stacked on landed; if not, its branch holds work that never did. */
  baseLanded(lane: Lane): boolean {
    return [...lane.holds].every((id) => this.landedAt.has(id));
  }

  /** It landed on the working branch. */
  landed(lane: Lane): void {
    this.landings += 1;
    this.landedAt.set(lane.taskId, this.landings);
  }

  /** It landed or ended without landing: the tasks after it may land. */
  leave(lane: Lane): void {
    this.finished.delete(lane.taskId);
    this.releases.get(lane)?.();
    this.releases.delete(lane);
    this.order.splice(this.order.indexOf(lane), 1);
  }
}
