import { NANOS_PER_USD, nanosToUsd } from './cost.js';
import type { TelemetryRecord } from './telemetry-record.js';

/** Token counts by kind, as billed. */
export interface TokenCounts {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
}

/** What one agent's calls used and cost. */
export interface AgentSpend {
  readonly agent: string;
  readonly calls: number;
  readonly tokens: TokenCounts;
  readonly costUsd: number;
  /** This agent's cache reads ÷ all its input tokens; null before any input. */
  readonly cacheHitRatio: number | null;
}

/** A fold of telemetry records: cumulative tokens, cost, cache use, per agent (dearest first). */
export interface TelemetrySummary {
  readonly calls: number;
  readonly tokens: TokenCounts;
  readonly costUsd: number;
  /** cache_read ÷ (input + cache_read + cache_write); null when no input was sent. */
  readonly cacheHitRatio: number | null;
  readonly byAgent: readonly AgentSpend[];
}

/** Running totals of one group of calls; mutable so a million-line fold allocates nothing per line. */
export interface SummaryTally {
  calls: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  costNanos: number;
}

function newTally(): SummaryTally {
  return { calls: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costNanos: 0 };
}

/** cache_read ÷ (input + cache_read + cache_write), or null when that is 0 ÷ 0. */
export function cacheHitRatio(tokens: TokenCounts): number | null {
  const all = tokens.input + tokens.cacheRead + tokens.cacheWrite;
  return all === 0 ? null : tokens.cacheRead / all;
}

function countsOf(tally: SummaryTally): TokenCounts {
  return { input: tally.input, output: tally.output, cacheRead: tally.cacheRead, cacheWrite: tally.cacheWrite };
}

/**
 * Builds a `TelemetrySummary` one call at a time. The session keeps one for the live summary;
 * the log reader feeds it from parsed lines. Costs are summed in whole nano-dollars, so the
 * total does not drift with the number of lines.
 */
export class SummaryBuilder {
  private readonly agents = new Map<string, SummaryTally>();
  private readonly total = newTally();

  /** The running tally of one agent, created on first use; pass it to `add`. */
  tallyFor(agent: string): SummaryTally {
    let tally = this.agents.get(agent);
    if (!tally) {
      tally = newTally();
      this.agents.set(agent, tally);
    }
    return tally;
  }

  /** Adds one call to an agent's tally (from `tallyFor`) and to the total. */
  add(tally: SummaryTally, input: number, output: number, cacheRead: number, cacheWrite: number, costUsd: number): void {
    const nanos = Math.round(costUsd * NANOS_PER_USD);
    tally.calls += 1;
    tally.input += input;
    tally.output += output;
    tally.cacheRead += cacheRead;
    tally.cacheWrite += cacheWrite;
    tally.costNanos += nanos;
    const total = this.total;
    total.calls += 1;
    total.input += input;
    total.output += output;
    total.cacheRead += cacheRead;
    total.cacheWrite += cacheWrite;
    total.costNanos += nanos;
  }

  addRecord(record: TelemetryRecord): void {
    this.add(
      this.tallyFor(record.agent),
      record.input_tokens,
      record.output_tokens,
      record.cache_read_tokens,
      record.cache_write_tokens,
      record.cost_usd,
    );
  }

  finish(): TelemetrySummary {
    const tokens = countsOf(this.total);
    const byAgent = [...this.agents]
      .filter(([, tally]) => tally.calls > 0)
      .map(([agent, tally]): AgentSpend => {
        const counts = countsOf(tally);
        return { agent, calls: tally.calls, tokens: counts, costUsd: nanosToUsd(tally.costNanos), cacheHitRatio: cacheHitRatio(counts) };
      })
      .sort((a, b) => b.costUsd - a.costUsd || a.agent.localeCompare(b.agent));
    return { calls: this.total.calls, tokens, costUsd: nanosToUsd(this.total.costNanos), cacheHitRatio: cacheHitRatio(tokens), byAgent };
  }
}

/** Pure fold of records into a summary. */
export function summarise(records: Iterable<TelemetryRecord>): TelemetrySummary {
  const builder = new SummaryBuilder();
  for (const record of records) builder.addRecord(record);
  return builder.finish();
}
