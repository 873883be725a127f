import { nanosToUsd } from '../core/budget/cost.js';
import { SummaryBuilder, cacheHitRatio, type SummaryTally, type TelemetrySummary } from '../core/budget/summary.js';
import { telemetryRecordSchema, type TelemetryRecord } from '../core/budget/telemetry-record.js';
import { errorMessage } from '../core/errors.js';
import { FastLineFolder } from './fast-line.js';

/*
 * The line-by-line half of the log reader, kept apart from the file handling so that a fold
 * can start from a checkpoint and stop at any line boundary. Everything a fold knows at a
 * line boundary is in FoldState: a full pass and "checkpoint + tail" walk the same lines
 * through the same code, which is what keeps them equal to the nano-dollar.
 */

/** The first line that could not be used: its 1-based number and why. */
export interface InvalidLine {
  readonly line: number;
  readonly reason: string;
}

/** One agent's running tally, with its name (the order of a list is first appearance). */
export interface AgentTally extends SummaryTally {
  readonly agent: string;
}

/** All a fold knows after some whole number of lines; what a checkpoint stores. */
export interface FoldState {
  /** Lines passed, blank ones included: the number the next line's 1-based number follows. */
  readonly lineNumber: number;
  /** Lines holding a record or an attempt at one (blank lines are not counted). */
  readonly lines: number;
  readonly invalidLines: number;
  readonly firstInvalid?: InvalidLine;
  /** Agents in order of their first valid record; each has at least one call. */
  readonly agents: readonly AgentTally[];
}

/** The state of a fold that has read nothing. */
export const EMPTY_FOLD: FoldState = { lineNumber: 0, lines: 0, invalidLines: 0, agents: [] };

/** A line longer than this without a newline is treated as damage, not buffered for ever. */
export const MAX_LINE_BYTES = 1 << 20;

const OVERLONG = `longer than ${MAX_LINE_BYTES} bytes`;

/** JSON.parse plus the schema: the authority on whether a line is a record. */
export function parseTelemetryLine(text: string): { ok: true; record: TelemetryRecord } | { ok: false; reason: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON (${errorMessage(error)})` };
  }
  const parsed = telemetryRecordSchema.safeParse(data);
  if (parsed.success) return { ok: true, record: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  return { ok: false, reason: `field \`${field}\`: ${issue?.message ?? 'invalid'}` };
}

/**
 * A SummaryBuilder that can start from stored per-agent tallies and hand them back. The core
 * builder keeps its grand total privately and offers no way to seed it, so this one seeds the
 * agents' tallies (the builder's own mutable objects, via `tallyFor`) and derives the total
 * from them in `finish`: every call the builder adds goes to exactly one agent's tally and to
 * the total, so the total is the sum of the agents' tallies, in whole numbers, exactly.
 */
class ResumableBuilder extends SummaryBuilder {
  private readonly seen = new Map<string, SummaryTally>();

  override tallyFor(agent: string): SummaryTally {
    let tally = this.seen.get(agent);
    if (!tally) {
      tally = super.tallyFor(agent);
      this.seen.set(agent, tally);
    }
    return tally;
  }

  seed(agents: readonly AgentTally[]): void {
    for (const { agent, calls, input, output, cacheRead, cacheWrite, costNanos } of agents) {
      Object.assign(this.tallyFor(agent), { calls, input, output, cacheRead, cacheWrite, costNanos });
    }
  }

  tallies(): AgentTally[] {
    return [...this.seen].filter(([, t]) => t.calls > 0).map(([agent, t]) => ({ agent, ...t }));
  }

  override finish(): TelemetrySummary {
    const byAgent = super.finish().byAgent;
    let calls = 0;
    let input = 0;
    let output = 0;
    let cacheRead = 0;
    let cacheWrite = 0;
    let costNanos = 0;
    for (const t of this.seen.values()) {
      calls += t.calls;
      input += t.input;
      output += t.output;
      cacheRead += t.cacheRead;
      cacheWrite += t.cacheWrite;
      costNanos += t.costNanos;
    }
    const tokens = { input, output, cacheRead, cacheWrite };
    return { calls, tokens, costUsd: nanosToUsd(costNanos), cacheHitRatio: cacheHitRatio(tokens), byAgent };
  }
}

/**
 * Folds a log's bytes, fed in chunks from a line boundary, into a summary. Lines are split on
 * Buffers (faster than readline, which decodes and allocates a string per line) and each goes
 * through the byte-level fast path first. A line is judged the same wherever the chunks fall,
 * so a fold resumed from a checkpoint reads every line exactly as a full pass does.
 */
export class LogFold {
  private readonly builder = new ResumableBuilder();
  private readonly fast = new FastLineFolder(this.builder);
  private lineNumber: number;
  private lines: number;
  private invalidLines: number;
  private firstInvalid: InvalidLine | undefined;
  /** The start of the line not yet ended, copied so the chunk it came from can be reused. */
  private carry: Buffer | undefined;
  /** The line not yet ended is already longer than MAX_LINE_BYTES; its bytes are dropped. */
  private overlong = false;

  constructor(from: FoldState = EMPTY_FOLD) {
    this.lineNumber = from.lineNumber;
    this.lines = from.lines;
    this.invalidLines = from.invalidLines;
    this.firstInvalid = from.firstInvalid;
    this.builder.seed(from.agents);
  }

  /**
   * Folds every line the chunk ends and keeps the rest for the next one. Returns the index
   * just after the chunk's last newline (where a checkpoint could end), or -1 if it has none.
   * The chunk may be reused by the caller afterwards.
   */
  feed(chunk: Buffer): number {
    let start = 0;
    let newline = chunk.indexOf(10);
    if (newline === -1) {
      this.keep(chunk);
      return -1;
    }
    if (this.overlong) {
      this.overlongLine();
    } else if (this.carry) {
      const joined = Buffer.concat([this.carry, chunk.subarray(0, newline)]);
      this.line(joined, 0, joined.length);
    } else {
      this.line(chunk, 0, newline);
    }
    this.carry = undefined;
    start = newline + 1;
    while ((newline = chunk.indexOf(10, start)) !== -1) {
      this.line(chunk, start, newline);
      start = newline + 1;
    }
    const lastEnd = start;
    if (start < chunk.length) this.keep(chunk.subarray(start));
    return lastEnd;
  }

  /** What the fold knows at the last newline fed: the unended line is not in it. */
  state(): FoldState {
    const counts = { lineNumber: this.lineNumber, lines: this.lines, invalidLines: this.invalidLines, agents: this.builder.tallies() };
    return this.firstInvalid ? { ...counts, firstInvalid: this.firstInvalid } : counts;
  }

  /**
   * Folds the last line if the log does not end with a newline (a crash or a writer
   * mid-append leaves exactly this) and returns the summary. Call `state()` first for a
   * checkpoint: it must not hold that line, which may still be growing.
   */
  finish(): FoldState & { readonly summary: TelemetrySummary } {
    if (this.overlong) this.overlongLine();
    else if (this.carry) this.line(this.carry, 0, this.carry.length);
    this.carry = undefined;
    return { ...this.state(), summary: this.builder.finish() };
  }

  private keep(part: Buffer): void {
    if (this.overlong) return;
    const length = (this.carry?.length ?? 0) + part.length;
    if (length > MAX_LINE_BYTES) {
      this.carry = undefined;
      this.overlong = true;
    } else {
      this.carry = this.carry ? Buffer.concat([this.carry, part]) : Buffer.from(part);
    }
  }

  private overlongLine(): void {
    this.overlong = false;
    this.lineNumber++;
    this.lines++;
    this.invalid(OVERLONG);
  }

  private invalid(reason: string): void {
    this.invalidLines++;
    this.firstInvalid ??= { line: this.lineNumber, reason };
  }

  /** The line `buf[start, end)`; `end` is its '\n' or the buffer's end. */
  private line(buf: Buffer, start: number, end: number): void {
    // By length alone, so that where the reads fall never changes how a line is judged.
    if (end - start > MAX_LINE_BYTES) {
      this.overlongLine();
      return;
    }
    this.lineNumber++;
    if (this.fast.tryFold(buf, start, end)) {
      this.lines++;
      return;
    }
    const text = buf.toString('utf8', start, end);
    if (text.trim() === '') return;
    this.lines++;
    const parsed = parseTelemetryLine(text);
    if (parsed.ok) this.builder.addRecord(parsed.record);
    else this.invalid(parsed.reason);
  }
}
