import { describe, expect, it } from 'vitest';
import { SummaryBuilder } from '../../src/core/budget/summary.js';
import type { TelemetryRecord } from '../../src/core/budget/telemetry-record.js';
import { toTelemetryLine } from '../../src/telemetry/append-telemetry.js';
import { FastLineFolder } from '../../src/telemetry/fast-line.js';
import { parseTelemetryLine } from '../../src/telemetry/summarise-log.js';
import { record } from '../core/budget/records.js';

/** Folds one line (without its newline) through the fast path; null if it declined. */
function fast(line: Buffer): ReturnType<SummaryBuilder['finish']> | null {
  const builder = new SummaryBuilder();
  const buf = Buffer.concat([line, Buffer.from('\n')]);
  return new FastLineFolder(builder).tryFold(buf, 0, buf.length - 1) ? builder.finish() : null;
}

/** The same line through JSON.parse and the schema; null if invalid. */
function slow(line: Buffer): ReturnType<SummaryBuilder['finish']> | null {
  const parsed = parseTelemetryLine(line.toString('utf8'));
  if (!parsed.ok) return null;
  const builder = new SummaryBuilder();
  builder.addRecord(parsed.record);
  return builder.finish();
}

const samples: TelemetryRecord[] = [
  record(),
  record({ task: undefined, budget_tier: 'warning', cost_usd: 0 }),
  record({ agent: 'bauführer-ü', budget_tier: 'exhausted', cost_usd: 6e-7 }),
  record({ input_tokens: 0, output_tokens: 999_999_999_999_999, cost_usd: 123.456789012 }),
  record({ agent: 'a'.repeat(200), cost_usd: 1e-9 }),
];

describe('FastLineFolder', () => {
  it('takes the lines appendTelemetry writes, with the values the slow path reads', () => {
    for (const r of samples) {
      const line = Buffer.from(toTelemetryLine(r).trimEnd());
      const viaFast = fast(line);
      expect(viaFast, line.toString()).not.toBeNull();
      expect(viaFast).toEqual(slow(line));
    }
  });

  it.each([
    ['spaces after colons', (l: string) => l.replace(/":/g, '": ')],
    ['an escaped character', (l: string) => l.replace('"builder"', '"build\\u0065r"')],
    ['a 17-digit cost', (l: string) => l.replace(/"cost_usd":[^,]+/, '"cost_usd":0.30000000000000004')],
    ['an integer written as 1.0', (l: string) => l.replace('"input_tokens":1000', '"input_tokens":1000.0')],
    ['a 201-byte agent', (l: string) => l.replace('"builder"', `"${'b'.repeat(201)}"`)],
    ['a time without milliseconds', (l: string) => l.replace('16:30:00.000Z', '16:30:00Z')],
  ])('leaves %s to the slow path', (_what, edit) => {
    const line = Buffer.from(edit(toTelemetryLine(record()).trimEnd()));
    expect(fast(line)).toBeNull();
  });

  it('never accepts a line the slow path rejects, nor reads other values (30,000 mutations)', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = Buffer.from('0123456789.eE+-"\\:,{}[] \tabcxyzZT\x00\x1f\x7f\xc3\xbc');
    let fastTaken = 0;
    for (let i = 0; i < 30_000; i++) {
      const base = Buffer.from(toTelemetryLine(samples[i % samples.length]!).trimEnd());
      const bytes = [...base];
      for (let edits = 1 + rand(3); edits > 0; edits--) {
        const at = rand(bytes.length + 1);
        const op = rand(3);
        const byte = alphabet[rand(alphabet.length)]!;
        if (op === 0) bytes.splice(at, 1);
        else if (op === 1) bytes.splice(at, 0, byte);
        else bytes[Math.min(at, bytes.length - 1)] = byte;
      }
      const line = Buffer.from(bytes.filter((b) => b !== 0x0a));
      const viaFast = fast(line);
      if (viaFast === null) continue;
      fastTaken++;
      expect(viaFast, line.toString('latin1')).toEqual(slow(line));
    }
    // Mutations inside values (a digit for a digit) keep many lines valid: the fast path took some.
    expect(fastTaken).toBeGreaterThan(1_000);
  });
});
