import { appendFile, mkdir, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summarise } from '../../src/core/budget/summary.js';
import type { TelemetryRecord } from '../../src/core/budget/telemetry-record.js';
import { toTelemetryLine } from '../../src/telemetry/append-telemetry.js';
import { checkpointPathFor, checkpointSchema, encodeCheckpoint, readCheckpoint } from '../../src/telemetry/log-checkpoint.js';
import { summariseLog, type LogSummaryResult } from '../../src/telemetry/summarise-log.js';
import { record } from '../core/budget/records.js';

let dir: string;
let log: string;
let sidecar: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cs-checkpoint-'));
  log = path.join(dir, 'token_log.jsonl');
  sidecar = checkpointPathFor(log);
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** A small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// 'é' twice, composed and decomposed: localeCompare calls them equal, so only the order of
// first appearance ranks them, and a resumed read must keep that order.
const AGENTS = ['planner', 'builder', 'critic', 'bauführer-ü', '\u00e9', 'e\u0301'];

function randomRecord(random: () => number, i: number): TelemetryRecord {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const costs = [0, 1e-9, 3e-7, 0.006, 0.1, 0.3, 1.5, 123.456789012, Math.round(random() * 1e9) / 1e9];
  return record({
    time: new Date(Date.UTC(2026, 10, 1) + i * 1_000).toISOString(),
    agent: pick(AGENTS),
    task: random() < 0.3 ? undefined : `T-${i % 17}`,
    input_tokens: Math.floor(random() * 50_000),
    output_tokens: Math.floor(random() * 4_000),
    cache_read_tokens: Math.floor(random() * 80_000),
    cache_write_tokens: random() < 0.5 ? 0 : Math.floor(random() * 3_000),
    cost_usd: pick(costs),
    budget_tier: pick(['ok', 'warning', 'exhausted'] as const),
  });
}

/** A random log: canonical lines, valid lines written another way, and every kind of bad line. */
function randomLog(random: () => number, count: number, { torn = true } = {}): { text: Buffer; records: TelemetryRecord[] } {
  const records: TelemetryRecord[] = [];
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = randomRecord(random, i);
    const roll = random();
    if (roll < 0.7) {
      parts.push(toTelemetryLine(r));
      records.push(r);
    } else if (roll < 0.78) {
      parts.push(`${JSON.stringify(Object.fromEntries(Object.entries(r).reverse()))}\r\n`); // slow path
      records.push(r);
    } else if (roll < 0.82) {
      parts.push(`${JSON.stringify(r, null, 1).replace(/\n/g, ' ')}\n`); // slow path
      records.push(r);
    } else if (roll < 0.87 && torn) {
      parts.push(toTelemetryLine(r).slice(0, Math.floor(random() * 80))); // torn write, joined to the next line
    } else if (roll < 0.91) {
      parts.push(`${JSON.stringify({ ...r, input_tokens: -1 })}\n`); // JSON, not a record
    } else if (roll < 0.95) {
      parts.push(random() < 0.5 ? '\n' : '  \t\n'); // blank lines are not counted
    } else {
      parts.push('not json at all\n');
    }
  }
  return { text: Buffer.from(parts.join(''), 'utf8'), records };
}

/** What must agree between a resumed read and a full pass. */
function outcome(result: LogSummaryResult) {
  if (result.kind !== 'ok') return result;
  const { summary, lines, invalidLines, firstInvalid } = result;
  return { summary, lines, invalidLines, firstInvalid };
}

async function ok(file: string, options?: { checkpoint?: boolean }) {
  const result = await summariseLog(file, options);
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result;
}

async function fullPass(file: string) {
  return ok(file, { checkpoint: false });
}

const lines = (records: readonly TelemetryRecord[]): string => records.map(toTelemetryLine).join('');
const some = (n: number, from = 0): TelemetryRecord[] => Array.from({ length: n }, (_, i) => randomRecord(prng(from + i), from + i));

describe('summariseLog with its checkpoint', () => {
  it('reads only what was appended since the last read, and sums the same as a full pass', async () => {
    const first = some(300);
    await writeFile(log, lines(first));
    const cold = await ok(log);
    expect(cold.checkpoint.start).toMatchObject({ kind: 'full-pass', reason: 'missing' });
    const size = (await stat(log)).size;
    expect(cold.checkpoint.saved).toEqual({ kind: 'written', toByte: size });
    expect(cold.summary).toEqual(summarise(first));

    const more = some(40, 300);
    await appendFile(log, lines(more));
    const warm = await ok(log);
    expect(warm.checkpoint.start).toEqual({ kind: 'resumed', fromByte: size });
    expect(warm.checkpoint.bytesRead).toBe(Buffer.byteLength(lines(more)));
    expect(warm.summary).toEqual(summarise([...first, ...more]));
    expect(outcome(warm)).toEqual(outcome(await fullPass(log)));

    const again = await ok(log);
    expect(again.checkpoint).toMatchObject({ start: { kind: 'resumed' }, bytesRead: 0, saved: { kind: 'unchanged' } });
    expect(again.summary).toEqual(warm.summary);
  });

  it('trusts the covered bytes: an edit inside them that keeps both end windows is not seen', async () => {
    // The documented blind spot, and proof that a resumed read does not re-read the prefix.
    const records = some(200);
    await writeFile(log, lines(records));
    const before = await ok(log);
    const text = await readFile(log);
    text.fill(0x78, 20_000, 20_100); // 100 bytes of 'x' far from both 4 KiB windows
    await writeFile(log, text);
    const after = await ok(log);
    expect(after.checkpoint.start.kind).toBe('resumed');
    expect(after.summary).toEqual(before.summary);
    expect((await fullPass(log)).invalidLines).toBeGreaterThan(0);
  });

  it('sums an unfinished last line in the result but leaves it out of the checkpoint, then reads it once finished', async () => {
    const done = some(50);
    const late = some(2, 50);
    const lateLine = toTelemetryLine(late[0]!);
    await writeFile(log, lines(done) + lateLine.slice(0, 40)); // a writer mid-append
    const size = Buffer.byteLength(lines(done));

    const torn = await ok(log);
    expect(torn.checkpoint.saved).toEqual({ kind: 'written', toByte: size });
    expect(torn.summary).toEqual(summarise(done));
    expect(torn.invalidLines).toBe(1); // as a full pass sees it right now
    expect(outcome(torn)).toEqual(outcome(await fullPass(log)));

    await appendFile(log, lateLine.slice(40));
    const finished = await ok(log);
    expect(finished.checkpoint.start).toEqual({ kind: 'resumed', fromByte: size });
    expect(finished.invalidLines).toBe(0);
    expect(finished.summary).toEqual(summarise([...done, late[0]!]));

    // A whole record missing only its newline is summed once, not again when the line ends.
    await appendFile(log, toTelemetryLine(late[1]!).trimEnd());
    expect((await ok(log)).summary).toEqual(summarise([...done, ...late]));
    await appendFile(log, '\n');
    const ended = await ok(log);
    expect(ended.summary).toEqual(summarise([...done, ...late]));
    expect(ended.checkpoint.saved).toEqual({ kind: 'written', toByte: (await stat(log)).size });
  });

  it('judges a line over 1 MiB the same wherever the checkpoint falls', async () => {
    // A valid record padded past the limit with JSON whitespace, and a blank line as long:
    // both are one invalid line by length alone, so chunk edges cannot change the count.
    const padded = `${toTelemetryLine(record()).slice(0, -2)}${' '.repeat(1_100_000)}}\n`;
    const blank = `${' '.repeat(1_200_000)}\n`;
    const text = Buffer.from(lines(some(10)) + padded + lines(some(5, 10)) + blank + lines(some(5, 20)));
    for (const cut of [100, 1_000_000, 1_300_000, 2_000_000, 2_500_000, text.length - 10]) {
      await rm(sidecar, { force: true });
      await writeFile(log, text.subarray(0, cut));
      const partial = await ok(log);
      expect(outcome(partial)).toEqual(outcome(await fullPass(log)));
      await appendFile(log, text.subarray(cut));
      const resumed = await ok(log);
      expect(resumed.checkpoint.start.kind).toBe('resumed');
      expect(outcome(resumed)).toEqual(outcome(await fullPass(log)));
      expect(resumed).toMatchObject({ invalidLines: 2, summary: { calls: 20 } });
    }
  });

  it('ranks agents whose spend ties in the order a full pass does (first appearance)', async () => {
    // Composed and decomposed 'é' compare equal under localeCompare, so only that order ranks them.
    expect('\u00e9'.localeCompare('e\u0301')).toBe(0);
    await writeFile(log, lines([record({ agent: 'builder' }), record({ agent: '\u00e9' }), record({ agent: 'e\u0301' })]));
    await ok(log);
    await appendFile(log, lines([record({ agent: 'planner', cost_usd: 1 })]));
    const resumed = await ok(log);
    expect(resumed.checkpoint.start.kind).toBe('resumed');
    expect(resumed.summary.byAgent.map((a) => a.agent)).toEqual(['planner', 'builder', '\u00e9', 'e\u0301']);
    expect(outcome(resumed)).toEqual(outcome(await fullPass(log)));
  });

  describe('falls back to a full pass, says why, and gives the right total', () => {
    const records = some(120);

    async function checkpointed(): Promise<void> {
      await writeFile(log, lines(records));
      await ok(log);
    }

    async function expectFullPass(reason: string): Promise<void> {
      const result = await ok(log);
      expect(result.checkpoint.start).toMatchObject({ kind: 'full-pass', reason });
      expect(result.summary).toEqual(summarise(records));
      expect(result.checkpoint.saved.kind).toBe('written');
      // The fresh sidecar is then used.
      expect((await ok(log)).checkpoint.start.kind).toBe('resumed');
    }

    it('a sidecar that is not JSON', async () => {
      await checkpointed();
      await writeFile(sidecar, '{"version":1,"logSize":');
      await expectFullPass('corrupt');
    });

    it('a sidecar missing a field', async () => {
      await checkpointed();
      const data = JSON.parse(await readFile(sidecar, 'utf8'));
      delete data.tailSha256;
      await writeFile(sidecar, JSON.stringify(data));
      await expectFullPass('corrupt');
      const read = await readCheckpoint(sidecar);
      expect(read.kind).toBe('ok');
    });

    it('a sidecar whose tallies were edited (the checksum no longer matches)', async () => {
      await checkpointed();
      const data = JSON.parse(await readFile(sidecar, 'utf8'));
      data.agents[0].costNanos += 1_000_000_000;
      await writeFile(sidecar, JSON.stringify(data));
      const read = await readCheckpoint(sidecar);
      expect(read).toMatchObject({ kind: 'corrupt', detail: expect.stringContaining('checksum') });
      await expectFullPass('corrupt');
    });

    it('a sidecar whose counts do not add up, even with a matching checksum', async () => {
      await checkpointed();
      const { checksum: _, ...checkpoint } = checkpointSchema.parse(JSON.parse(await readFile(sidecar, 'utf8')));
      await writeFile(sidecar, encodeCheckpoint({ ...checkpoint, lines: checkpoint.lines + 1 }));
      expect(await readCheckpoint(sidecar)).toMatchObject({ kind: 'corrupt', detail: expect.stringContaining('lines') });
      await expectFullPass('corrupt');
    });

    it('a sidecar of another version', async () => {
      await checkpointed();
      const data = JSON.parse(await readFile(sidecar, 'utf8'));
      await writeFile(sidecar, JSON.stringify({ ...data, version: 2 }));
      await expectFullPass('version');
    });

    it('a sidecar that cannot be read', async () => {
      await checkpointed();
      await rm(sidecar);
      await mkdir(sidecar); // then it cannot be saved either
      const result = await ok(log);
      expect(result.checkpoint.start).toMatchObject({ kind: 'full-pass', reason: 'unreadable' });
      expect(result.checkpoint.saved).toMatchObject({ kind: 'failed', message: expect.stringContaining(sidecar) });
      expect(result.summary).toEqual(summarise(records));
    });

    it('a log truncated below the checkpoint', async () => {
      await checkpointed();
      await truncate(log, 1_000);
      const result = await ok(log);
      expect(result.checkpoint.start).toMatchObject({ kind: 'full-pass', reason: 'mismatch' });
      expect(outcome(result)).toEqual(outcome(await fullPass(log)));
    });

    it('a log rewritten from the start, as long or longer', async () => {
      await checkpointed();
      const other = some(130, 1_000);
      await writeFile(log, lines(other));
      const result = await ok(log);
      expect(result.checkpoint.start).toMatchObject({ kind: 'full-pass', reason: 'mismatch' });
      expect(result.summary).toEqual(summarise(other));
    });

    it('a log whose last covered line was changed', async () => {
      await checkpointed();
      const text = await readFile(log);
      text.fill(0x20, text.length - 30, text.length - 2); // same length, still ends in a newline
      await writeFile(log, Buffer.concat([text, Buffer.from(lines(some(3, 500)))]));
      const result = await ok(log);
      expect(result.checkpoint.start).toMatchObject({ kind: 'full-pass', reason: 'mismatch' });
      expect(outcome(result)).toEqual(outcome(await fullPass(log)));
    });
  });

  it('keeps no sidecar when asked not to', async () => {
    await writeFile(log, lines(some(5)));
    const result = await ok(log, { checkpoint: false });
    expect(result.checkpoint).toMatchObject({ start: { reason: 'disabled' }, saved: { kind: 'disabled' } });
    await expect(stat(sidecar)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('equals a full pass on random logs read at random points, with random damage to the sidecar and the log', async () => {
    // Each trial writes a random log a random number of bytes at a time (cuts fall anywhere,
    // inside lines and inside UTF-8 characters) and reads it after every append; now and then
    // the sidecar is deleted or damaged, or the log is rewritten. Every read must equal a full
    // pass of the log as it is at that moment.
    const reasons = new Set<string>();
    for (let trial = 0; trial < 16; trial++) {
      const random = prng(0xc0ffee + trial);
      await rm(log, { force: true });
      await rm(sidecar, { force: true });
      let { text } = randomLog(random, 20 + Math.floor(random() * 400));
      let written = 0;
      while (written < text.length) {
        const step = 1 + Math.floor(random() ** 3 * 20_000);
        await appendFile(log, text.subarray(written, written + step));
        written = Math.min(text.length, written + step);
        const roll = random();
        if (roll < 0.05) await rm(sidecar, { force: true });
        else if (roll < 0.1) await writeFile(sidecar, (await readFile(sidecar).catch(() => Buffer.from('{}'))).subarray(0, 30));
        else if (roll < 0.13) {
          // The log replaced by another one, already as long.
          text = randomLog(random, 400).text;
          written = Math.min(text.length, written);
          await writeFile(log, text.subarray(0, written));
        }
        const resumed = await summariseLog(log);
        if (resumed.kind === 'ok') reasons.add(resumed.checkpoint.start.kind === 'resumed' ? 'resumed' : resumed.checkpoint.start.reason);
        expect(outcome(resumed), `trial ${trial} at byte ${written}`).toEqual(outcome(await fullPass(log)));
      }
    }
    expect([...reasons].sort()).toEqual(['corrupt', 'mismatch', 'missing', 'resumed']);
  }, 90_000); // every read writes the sidecar with two fsyncs: slow on a busy disk

  it('equals the pure fold of the records, to the nano-dollar, once a random log is complete', async () => {
    for (let trial = 0; trial < 6; trial++) {
      const random = prng(7_000 + trial);
      const { text, records } = randomLog(random, 300, { torn: false });
      let written = 0;
      while (written < text.length) {
        const step = 1 + Math.floor(random() * 9_000);
        await appendFile(log, text.subarray(written, written + step));
        written += step;
        await summariseLog(log);
      }
      const resumed = await ok(log);
      expect(resumed.checkpoint.start.kind).toBe('resumed');
      expect(resumed.summary).toEqual(summarise(records));
      expect(outcome(resumed)).toEqual(outcome(await fullPass(log)));
      await rm(log);
      await rm(sidecar);
    }
  });
});
