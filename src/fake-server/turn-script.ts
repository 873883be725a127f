import type { CassetteFault, CassetteTurn, LoadedCassette } from './cassette.js';

/** The agent name used when a request carries no `x-codesleuth-agent` header. */
export const DEFAULT_AGENT = 'default';

/** What the server should do with the next request of an agent. */
export type TurnDecision =
  /** Play the turn; `delayMs` > 0 for a slow turn, `cutAfterEvents` for a stream to break. */
  | {
      readonly kind: 'play';
      readonly turn: CassetteTurn;
      readonly turnIndex: number;
      readonly delayMs: number;
      readonly cutAfterEvents: number | undefined;
    }
  /** Answer with an HTTP error; the turn stays queued for the retry. */
  | { readonly kind: 'fail'; readonly fault: CassetteFault; readonly turnIndex: number }
  /** The cassette has no turn left for this agent. */
  | { readonly kind: 'missing'; readonly message: string };

interface AgentQueue {
  readonly turns: CassetteTurn[];
  next: number;
  faultsFired: number;
}

/**
 * Hands out a cassette's turns per agent, in order, firing each turn's fault `times` times
 * first. Failing faults (429/500/529) and cut streams do not consume the turn, so a retry
 * of the same request gets it.
 */
export class TurnScript {
  private readonly queues = new Map<string, AgentQueue>();

  constructor(
    cassette: LoadedCassette,
    private readonly source: string,
  ) {
    for (const turn of cassette.turns) {
      const queue = this.queues.get(turn.agent) ?? { turns: [], next: 0, faultsFired: 0 };
      queue.turns.push(turn);
      this.queues.set(turn.agent, queue);
    }
  }

  /**
   * Decides the answer to the next request of `agent`. An agent the cassette never names is
   * served from the 'default' turns, so a one-agent cassette needs no `agent` fields; an agent
   * that has turns of its own never falls back, so running out of them is reported. `lane`
   * (the task id a request's first message names) picks the turns of `agent@lane` when the
   * cassette has any, so concurrent tasks each get their own script whatever the timing.
   */
  next(agent: string, lane?: string): TurnDecision {
    // Parallel work (two Builder tasks at once) is scripted per lane: "builder@TASK-002".
    const laned = lane === undefined ? undefined : `${agent}@${lane}`;
    const served = laned !== undefined && this.queues.has(laned) ? laned : this.queues.has(agent) ? agent : DEFAULT_AGENT;
    const queue = this.queues.get(served);
    const turnIndex = queue?.next ?? 0;
    const turn = queue?.turns[turnIndex];
    if (queue === undefined || turn === undefined) {
      return { kind: 'missing', message: this.missingMessage(agent, served, turnIndex) };
    }
    const fault = turn.fault;
    if (fault !== undefined && fault.kind !== 'slow' && queue.faultsFired < (fault.times ?? 1)) {
      queue.faultsFired += 1;
      if (fault.kind === 'cut_stream') {
        return { kind: 'play', turn, turnIndex, delayMs: 0, cutAfterEvents: fault.afterEvents };
      }
      return { kind: 'fail', fault, turnIndex };
    }
    queue.next += 1;
    queue.faultsFired = 0;
    const delayMs = fault?.kind === 'slow' ? fault.delayMs : 0;
    return { kind: 'play', turn, turnIndex, delayMs, cutAfterEvents: undefined };
  }

  /** Turns not yet played, per agent (for diagnostics at the end of a test). */
  remaining(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [agent, queue] of this.queues) out[agent] = queue.turns.length - queue.next;
    return out;
  }

  private missingMessage(agent: string, served: string, turnIndex: number): string {
    const scripted = [...this.queues].map(([name, queue]) => `${name} (${queue.turns.length})`).join(', ');
    const via = served === agent ? '' : ` (served from the "${served}" turns)`;
    const count = this.queues.get(served)?.turns.length ?? 0;
    return (
      `Fake server: cassette ${this.source} has no turn index ${turnIndex} for agent "${agent}"${via} ` +
      `(request #${turnIndex + 1} from that agent; it scripts ${count} turn(s) for it). ` +
      'A cassette plays its turns in order, so a conversation off its script (a task run again, an extra question) has no reply. ' +
      `Agents in the cassette: ${scripted === '' ? 'none' : scripted}. ` +
      `Add a turn with "agent": "${agent}", or check the x-codesleuth-agent header.`
    );
  }
}
