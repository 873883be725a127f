import type { SummaryBuilder, SummaryTally } from '../core/budget/summary.js';
import { MAX_LABEL_LENGTH } from '../core/budget/telemetry-record.js';

/*
 * The fast path of the log reader. Decoding, JSON.parse and zod cost 3-4 µs of CPU a line on
 * the 2-core bench machine, so a million-line log took seconds; this scanner reads the exact
 * bytes `appendTelemetry` writes (keys in order, no spaces, canonical numbers) straight from
 * the Buffer in about 0.5 µs, with no allocation per line.
 *
 * It is only ever allowed to say "yes, and these are the values" for a line that JSON.parse
 * plus telemetryRecordSchema would accept with the same values. Anything else, including every
 * valid line written some other way, returns false and goes to the slow path, which decides.
 * test/telemetry/fast-line.test.ts checks this against the slow path on mutated lines.
 */

interface Literal {
  readonly length: number;
  /** Little-endian 32-bit words of the literal; the last one overlaps when length % 4 ≠ 0. */
  readonly words: Int32Array;
  readonly offsets: Int32Array;
}

function literal(text: string): Literal {
  const bytes = Buffer.from(text, 'latin1');
  const words: number[] = [];
  const offsets: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) {
    const offset = Math.min(i, bytes.length - 4);
    offsets.push(offset);
    words.push(bytes.readInt32LE(offset));
  }
  return { length: bytes.length, words: Int32Array.from(words), offsets: Int32Array.from(offsets) };
}

const K_TIME = literal('{"time":"');
const K_SESSION = literal('","session":"');
const K_STAGE = literal('","stage":"');
const K_AGENT = literal('","agent":"');
const K_TASK = literal('","task":"');
const K_MODEL = literal('","model":"');
const K_INPUT = literal('","input_tokens":');
const K_OUTPUT = literal(',"output_tokens":');
const K_CACHE_READ = literal(',"cache_read_tokens":');
const K_CACHE_WRITE = literal(',"cache_write_tokens":');
const K_COST = literal(',"cost_usd":');
const K_DURATION = literal(',"duration_ms":');
const K_STOP = literal(',"stop_reason":"');
const K_TIER = literal('","budget_tier":"');
const T_OK = literal('ok"}');
const T_WARNING = literal('warning"}');
const T_EXHAUSTED = literal('exhausted"}');

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ZERO = 0x30;
const NINE = 0x39;

/** A known agent: its bytes as written and its tally, so a line needs no string for its agent. */
interface AgentSlot {
  readonly bytes: Uint8Array;
  readonly tally: SummaryTally;
}

/** Folds canonical telemetry lines into a SummaryBuilder, straight from the bytes. */
export class FastLineFolder {
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(4));
  private viewOf: Uint8Array | undefined;
  private value = 0;
  private readonly agents: AgentSlot[] = [];

  constructor(private readonly builder: SummaryBuilder) {}

  /**
   * Folds the line `buf[start, end)` (end is its '\n' or the buffer's end) and returns true,
   * or returns false and changes nothing: the slow path must then decide.
   */
  tryFold(buf: Uint8Array, start: number, end: number): boolean {
    if (this.viewOf !== buf) {
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.viewOf = buf;
    }
    let p = start;
    if (!this.lit(p, end, K_TIME)) return false;
    p = time(buf, p + K_TIME.length);
    if (p < 0 || !this.lit(p, end, K_SESSION)) return false;
    p = label(buf, p + K_SESSION.length);
    if (p < 0 || !this.lit(p, end, K_STAGE)) return false;
    p = label(buf, p + K_STAGE.length);
    if (p < 0 || !this.lit(p, end, K_AGENT)) return false;
    const agentStart = p + K_AGENT.length;
    p = label(buf, agentStart);
    if (p < 0) return false;
    const agentEnd = p;
    if (this.lit(p, end, K_TASK)) {
      p = label(buf, p + K_TASK.length);
      if (p < 0) return false;
    }
    if (!this.lit(p, end, K_MODEL)) return false;
    p = label(buf, p + K_MODEL.length);
    if (p < 0 || !this.lit(p, end, K_INPUT)) return false;
    p = this.int(buf, p + K_INPUT.length);
    const input = this.value;
    if (p < 0 || !this.lit(p, end, K_OUTPUT)) return false;
    p = this.int(buf, p + K_OUTPUT.length);
    const output = this.value;
    if (p < 0 || !this.lit(p, end, K_CACHE_READ)) return false;
    p = this.int(buf, p + K_CACHE_READ.length);
    const cacheRead = this.value;
    if (p < 0 || !this.lit(p, end, K_CACHE_WRITE)) return false;
    p = this.int(buf, p + K_CACHE_WRITE.length);
    const cacheWrite = this.value;
    if (p < 0 || !this.lit(p, end, K_COST)) return false;
    p = this.decimal(buf, p + K_COST.length);
    const cost = this.value;
    if (p < 0 || !this.lit(p, end, K_DURATION)) return false;
    p = this.int(buf, p + K_DURATION.length);
    if (p < 0 || !this.lit(p, end, K_STOP)) return false;
    p = label(buf, p + K_STOP.length);
    if (p < 0 || !this.lit(p, end, K_TIER)) return false;
    p += K_TIER.length;
    const left = end - p;
    const tierOk =
      (left === T_OK.length && this.lit(p, end, T_OK)) ||
      (left === T_WARNING.length && this.lit(p, end, T_WARNING)) ||
      (left === T_EXHAUSTED.length && this.lit(p, end, T_EXHAUSTED));
    if (!tierOk) return false;
    this.builder.add(this.agentTally(buf, agentStart, agentEnd), input, output, cacheRead, cacheWrite, cost);
    return true;
  }

  /** Whether the literal sits at p and ends by `end`; compares four bytes at a time. */
  private lit(p: number, end: number, k: Literal): boolean {
    if (p + k.length > end) return false;
    const view = this.view;
    const words = k.words;
    const offsets = k.offsets;
    for (let i = 0; i < words.length; i++) {
      if (view.getInt32(p + offsets[i]!, true) !== words[i]) return false;
    }
    return true;
  }

  /** A JSON non-negative integer of at most 15 digits (always safe); its value goes to `value`. */
  private int(b: Uint8Array, p: number): number {
    let c = b[p];
    if (c === ZERO) {
      c = b[p + 1];
      if (c !== undefined && c >= ZERO && c <= NINE) return -1; // leading zero: not JSON
      this.value = 0;
      return p + 1;
    }
    let v = 0;
    let i = p;
    for (; i < p + 16; i++) {
      c = b[i];
      if (c === undefined || c < ZERO || c > NINE) break;
      v = v * 10 + (c - ZERO);
    }
    if (i === p || i === p + 16) return -1;
    this.value = v;
    return i;
  }

  /**
   * A JSON non-negative number such as 0.000123 or 1.5e-7, read exactly: with at most 15
   * significant digits and a power of ten down to 1e-22, m / 10^k is the correctly rounded
   * double, the same as JSON.parse (the Clinger fast path). Other numbers go to the slow path.
   */
  private decimal(b: Uint8Array, p: number): number {
    let m = 0;
    let digits = 0;
    let fraction = 0;
    let i = p;
    let c = b[i];
    if (c === ZERO) i++;
    else if (c !== undefined && c > ZERO && c <= NINE) {
      while ((c = b[i]) !== undefined && c >= ZERO && c <= NINE) {
        m = m * 10 + (c - ZERO);
        digits++;
        i++;
      }
    } else return -1;
    if (b[i] === 0x2e) {
      i++;
      const from = i;
      while ((c = b[i]) !== undefined && c >= ZERO && c <= NINE) {
        m = m * 10 + (c - ZERO);
        if (m !== 0) digits++;
        i++;
      }
      fraction = i - from;
      if (fraction === 0) return -1;
    }
    let exponent = 0;
    c = b[i];
    if (c === 0x65 || c === 0x45) {
      i++;
      let sign = 1;
      c = b[i];
      if (c === 0x2d) {
        sign = -1;
        i++;
      } else if (c === 0x2b) i++;
      const from = i;
      while ((c = b[i]) !== undefined && c >= ZERO && c <= NINE) {
        exponent = exponent * 10 + (c - ZERO);
        i++;
        if (exponent > 400) return -1;
      }
      if (i === from) return -1;
      exponent *= sign;
    }
    const scale = exponent - fraction;
    if (digits > 15 || scale > 0 || scale < -22) return -1;
    this.value = m / POW10[-scale]!;
    return i;
  }

  private agentTally(b: Uint8Array, start: number, end: number): SummaryTally {
    const length = end - start;
    const agents = this.agents;
    search: for (let j = 0; j < agents.length; j++) {
      const slot = agents[j]!;
      const known = slot.bytes;
      if (known.length !== length) continue;
      for (let i = 0; i < length; i++) if (b[start + i] !== known[i]) continue search;
      return slot.tally;
    }
    const bytes = Uint8Array.from(b.subarray(start, end));
    const tally = this.builder.tallyFor(Buffer.from(bytes).toString('utf8'));
    agents.push({ bytes, tally });
    return tally;
  }
}

/** Byte classes inside a string: 0 ordinary, 1 the closing quote, 2 not allowed unescaped here. */
const STRING_BYTE = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_BYTE[c] = 2;
STRING_BYTE[QUOTE] = 1;
STRING_BYTE[BACKSLASH] = 2; // an escape: the slow path decodes it

/**
 * A JSON string body of 1 to MAX_LABEL_LENGTH bytes with no escapes and no control characters,
 * starting at p; returns the index of its closing quote, or -1. A label of at most that many
 * UTF-8 bytes has at most that many UTF-16 units, so the schema's max length holds. The scan
 * needs no bound: the line's own '\n' (a control character) or the buffer's end stops it.
 */
function label(b: Uint8Array, p: number): number {
  let i = p;
  while (STRING_BYTE[b[i]!] === 0) i++;
  if (b[i] !== QUOTE) return -1;
  const length = i - p;
  return length > 0 && length <= MAX_LABEL_LENGTH ? i : -1;
}

function digit(b: Uint8Array, i: number): number {
  const c = b[i];
  return c !== undefined && c >= ZERO && c <= NINE ? c - ZERO : -1;
}

function twoDigits(b: Uint8Array, i: number, min: number, max: number): boolean {
  const high = digit(b, i);
  const low = digit(b, i + 1);
  if (high < 0 || low < 0) return false;
  const v = high * 10 + low;
  return v >= min && v <= max;
}

/**
 * `YYYY-MM-DDTHH:MM:SS.mmmZ`, what Date#toISOString writes, followed by the closing quote;
 * returns the index of that quote. A strict subset of ISO_UTC_TIME.
 */
function time(b: Uint8Array, p: number): number {
  if (digit(b, p) < 0 || digit(b, p + 1) < 0 || digit(b, p + 2) < 0 || digit(b, p + 3) < 0) return -1;
  if (b[p + 4] !== 0x2d || b[p + 7] !== 0x2d || b[p + 10] !== 0x54 || b[p + 13] !== 0x3a || b[p + 16] !== 0x3a) return -1;
  if (b[p + 19] !== 0x2e || b[p + 23] !== 0x5a || b[p + 24] !== QUOTE) return -1;
  if (!twoDigits(b, p + 5, 1, 12) || !twoDigits(b, p + 8, 1, 31) || !twoDigits(b, p + 11, 0, 23)) return -1;
  if (!twoDigits(b, p + 14, 0, 59) || !twoDigits(b, p + 17, 0, 59)) return -1;
  if (digit(b, p + 20) < 0 || digit(b, p + 21) < 0 || digit(b, p + 22) < 0) return -1;
  return p + 24;
}
