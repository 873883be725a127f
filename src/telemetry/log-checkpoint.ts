import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { z } from 'zod';
import { MAX_LABEL_LENGTH } from '../core/budget/telemetry-record.js';
import { errorMessage } from '../core/errors.js';
import { formatProblems, zodProblems } from '../core/validation.js';
import type { AgentTally, FoldState } from './log-fold.js';

/*
 * The summary checkpoint: a sidecar beside the log holding the fold of its first `logSize`
 * bytes (always up to a newline), so the next read folds only what was appended since.
 *
 * Trust is earned on every read, never assumed. The sidecar must parse, match the schema,
 * carry a checksum of its own content (a hand edit or a damaged disk block is caught, not
 * summed) and be consistent with itself; then the log must still be at least `logSize` bytes
 * and its first and last WINDOW_BYTES before `logSize` must hash as they did. The log is
 * append-only (one O_APPEND write per line), so appends never touch those bytes, while a
 * truncated, rotated or rewritten log almost always does; an edit inside the covered part
 * that keeps its length and both windows is the one change this cannot see.
 * Anything short of all that is a full pass, and the result says why.
 */

/** The sidecar format; another number is read as "not ours" and triggers a full pass. */
export const CHECKPOINT_VERSION = 1;

/** Bytes hashed at each end of the covered part. */
export const WINDOW_BYTES = 4096;

/** A sidecar larger than this is not one we wrote (it would need tens of thousands of agents). */
const MAX_SIDECAR_BYTES = 16 << 20;

const count = z.int().nonnegative();
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in lower-case hex');

const agentTallySchema = z
  .object({
    agent: z.string().min(1).max(MAX_LABEL_LENGTH),
    calls: z.int().positive(),
    input: count,
    output: count,
    cacheRead: count,
    cacheWrite: count,
    costNanos: count,
  })
  .strict();

/** `token_log.summary.json`: the fold of the log's first `logSize` bytes. */
export const checkpointSchema = z
  .object({
    version: z.literal(CHECKPOINT_VERSION),
    /** Bytes of the log covered; the byte before is a newline (or this is 0). */
    logSize: count,
    /** SHA-256 of the log's bytes [0, min(WINDOW_BYTES, logSize)). */
    headSha256: sha256Hex,
    /** SHA-256 of the log's bytes [max(0, logSize - WINDOW_BYTES), logSize). */
    tailSha256: sha256Hex,
    lineNumber: count,
    lines: count,
    invalidLines: count,
    firstInvalid: z.object({ line: z.int().positive(), reason: z.string() }).strict().optional(),
    agents: z.array(agentTallySchema),
    /** SHA-256 of the canonical JSON of every other field. */
    checksum: sha256Hex,
  })
  .strict();

/** A checkpoint as stored, minus its checksum. */
export interface Checkpoint extends FoldState {
  readonly logSize: number;
  readonly headSha256: string;
  readonly tailSha256: string;
}

/** Why a sidecar could not be used before the log was even looked at. */
export type SidecarProblem = 'missing' | 'unreadable' | 'corrupt' | 'version';

/** The sidecar's path for a log: `token_log.jsonl` → `token_log.summary.json`. */
export function checkpointPathFor(logFile: string): string {
  return `${logFile.endsWith('.jsonl') ? logFile.slice(0, -'.jsonl'.length) : logFile}.summary.json`;
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Fields in a fixed order, so the checksum does not depend on how the object was built. */
function canonical(c: Checkpoint): object {
  return {
    version: CHECKPOINT_VERSION,
    logSize: c.logSize,
    headSha256: c.headSha256,
    tailSha256: c.tailSha256,
    lineNumber: c.lineNumber,
    lines: c.lines,
    invalidLines: c.invalidLines,
    ...(c.firstInvalid ? { firstInvalid: { line: c.firstInvalid.line, reason: c.firstInvalid.reason } } : {}),
    agents: c.agents.map((a: AgentTally) => ({
      agent: a.agent,
      calls: a.calls,
      input: a.input,
      output: a.output,
      cacheRead: a.cacheRead,
      cacheWrite: a.cacheWrite,
      costNanos: a.costNanos,
    })),
  };
}

function checksumOf(c: Checkpoint): string {
  return sha256(Buffer.from(JSON.stringify(canonical(c)), 'utf8'));
}

/** The sidecar's text for a checkpoint. */
export function encodeCheckpoint(c: Checkpoint): string {
  return `${JSON.stringify({ ...canonical(c), checksum: checksumOf(c) }, null, 1)}\n`;
}

/** What is wrong with a schema-valid checkpoint's numbers, or undefined if they hang together. */
function inconsistency(c: Checkpoint): string | undefined {
  const names = new Set(c.agents.map((a) => a.agent));
  if (names.size !== c.agents.length) return 'an agent is listed twice';
  const sums = { calls: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costNanos: 0 };
  for (const a of c.agents) for (const key of Object.keys(sums) as (keyof typeof sums)[]) sums[key] += a[key];
  if (!Object.values(sums).every(Number.isSafeInteger)) return 'the totals are beyond exact integers';
  // Every counted line is either a record (one call) or invalid.
  if (c.lines !== sums.calls + c.invalidLines) return `lines (${c.lines}) ≠ calls (${sums.calls}) + invalid lines (${c.invalidLines})`;
  if (c.lineNumber < c.lines) return 'fewer lines passed than counted';
  if (c.logSize < c.lineNumber) return 'more lines than bytes';
  if ((c.invalidLines > 0) !== (c.firstInvalid !== undefined)) return 'invalid lines without the first one, or the other way round';
  if (c.firstInvalid && c.firstInvalid.line > c.lineNumber) return 'the first invalid line is past the covered lines';
  return undefined;
}

/** Reads and checks a sidecar on its own (the log is checked by the caller). */
export async function readCheckpoint(
  sidecar: string,
): Promise<{ readonly kind: 'ok'; readonly checkpoint: Checkpoint } | { readonly kind: SidecarProblem; readonly detail: string }> {
  let text: string;
  try {
    const handle = await open(sidecar, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_SIDECAR_BYTES) return { kind: 'corrupt', detail: `${sidecar} is ${size} bytes, far more than a checkpoint holds` };
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing', detail: `${sidecar} does not exist yet` };
    return { kind: 'unreadable', detail: `${sidecar}: ${errorMessage(error)}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { kind: 'corrupt', detail: `${sidecar} is not JSON (${errorMessage(error)})` };
  }
  if (typeof data === 'object' && data !== null && 'version' in data && data.version !== CHECKPOINT_VERSION) {
    return { kind: 'version', detail: `${sidecar} has version ${JSON.stringify(data.version)}; this CodeSleuth reads version ${CHECKPOINT_VERSION}` };
  }
  const parsed = checkpointSchema.safeParse(data);
  if (!parsed.success) return { kind: 'corrupt', detail: formatProblems(zodProblems(sidecar, parsed.error)) };
  const { checksum, ...fields } = parsed.data;
  const checkpoint: Checkpoint = fields;
  if (checksumOf(checkpoint) !== checksum) return { kind: 'corrupt', detail: `${sidecar}: the checksum does not match the content (edited or damaged)` };
  const wrong = inconsistency(checkpoint);
  if (wrong) return { kind: 'corrupt', detail: `${sidecar}: ${wrong}` };
  return { kind: 'ok', checkpoint };
}

/** The byte ranges hashed for a checkpoint ending at `logSize`. */
export function windowRanges(logSize: number): { readonly head: readonly [number, number]; readonly tail: readonly [number, number] } {
  return { head: [0, Math.min(WINDOW_BYTES, logSize)], tail: [Math.max(0, logSize - WINDOW_BYTES), logSize] };
}

/** The last WINDOW_BYTES of `a` followed by `b`, as a copy. */
function lastWindow(a: Buffer, b: Buffer): Buffer {
  if (b.length >= WINDOW_BYTES) return Buffer.from(b.subarray(b.length - WINDOW_BYTES));
  return Buffer.concat([a.subarray(Math.max(0, a.length - (WINDOW_BYTES - b.length))), b]);
}

/**
 * Keeps, while chunks go by, the bytes a new checkpoint's fingerprint hashes: the log's first
 * WINDOW_BYTES and the WINDOW_BYTES before the last newline. They are taken from the very
 * bytes that were folded, not read again afterwards, so a log changed during the read cannot
 * lend its fingerprint to a summary of other bytes.
 */
export class CoveredWindows {
  private head: Buffer;
  private recent: Buffer;
  private atEnd: Buffer;
  private offset: number;
  private coveredEnd: number;

  /** Starts at `offset` (a checkpoint's end, or 0) with that checkpoint's verified windows. */
  constructor(offset: number, head: Buffer, tail: Buffer) {
    this.offset = offset;
    this.coveredEnd = offset;
    this.head = head;
    this.recent = tail;
    this.atEnd = tail;
  }

  /** Notes a chunk read at the current offset; `lastEnd` is LogFold.feed's answer for it. */
  see(chunk: Buffer, lastEnd: number): void {
    if (this.head.length < WINDOW_BYTES) this.head = Buffer.concat([this.head, chunk.subarray(0, WINDOW_BYTES - this.head.length)]);
    if (lastEnd >= 0) {
      this.atEnd = lastWindow(this.recent, chunk.subarray(0, lastEnd));
      this.coveredEnd = this.offset + lastEnd;
    }
    this.recent = lastWindow(this.recent, chunk);
    this.offset += chunk.length;
  }

  /** Bytes up to and including the last newline seen: where a new checkpoint ends. */
  get end(): number {
    return this.coveredEnd;
  }

  fingerprint(): { readonly logSize: number; readonly headSha256: string; readonly tailSha256: string } {
    const head = this.head.subarray(0, windowRanges(this.coveredEnd).head[1]);
    return { logSize: this.coveredEnd, headSha256: sha256(head), tailSha256: sha256(this.atEnd) };
  }
}
