import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summarise } from '../../src/core/budget/summary.js';
import type { TelemetryRecord } from '../../src/core/budget/telemetry-record.js';
import { toTelemetryLine } from '../../src/telemetry/append-telemetry.js';
import { summariseLog } from '../../src/telemetry/summarise-log.js';
import { record } from '../core/budget/records.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cs-log-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

function varied(i: number): TelemetryRecord {
  const agents = ['discovery', 'planner', 'builder', 'critic', 'security', 'verifier', 'maintenance', 'bauführer-ü'];
  return record({
    time: new Date(Date.UTC(2026, 10, 1) + i * 1_000).toISOString(),
    agent: agents[i % agents.length]!,
    task: i % 3 === 0 ? undefined : `T-${i % 17}`,
    input_tokens: (i * 7_919) % 20_000,
    output_tokens: (i * 104_729) % 4_000,
    cache_read_tokens: (i * 31) % 50_000,
    cache_write_tokens: i % 5 === 0 ? 0 : (i * 17) % 3_000,
    // Mixes plain decimals, exponent forms (below 1e-6) and 0.
    cost_usd: i % 11 === 0 ? 0 : i % 7 === 0 ? 3e-7 * (i % 3) : Math.round(((i % 1_000) / 1_000) * 0.0123456789 * 1e9) / 1e9,
    budget_tier: (['ok', 'warning', 'exhausted'] as const)[i % 3],
  });
}

describe('summariseLog', () => {
  it('sums a log, skipping and counting a corrupt line without crashing', async () => {
    const file = path.join(dir, 'telemetry.jsonl');
    const good = [record({ agent: 'planner', cost_usd: 0.25 }), record({ agent: 'builder', cost_usd: 0.5 }), record({ agent: 'builder', cost_usd: 0.125 })];
    const text = [
      toTelemetryLine(good[0]!),
      '{"time":"2026-11-23T16:30:00.000Z","session":"s-1","stage":"buil\n', // torn line (crash mid-write)
      '\n', // blank lines are not records
      toTelemetryLine(good[1]!),
      `${JSON.stringify({ ...good[1], input_tokens: -5 })}\n`, // valid JSON, invalid record
      toTelemetryLine(good[2]!).trimEnd(), // last line without its newline
    ].join('');
    await writeFile(file, text);
    const result = await summariseLog(file);
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(result.summary).toEqual(summarise(good));
    expect(result.summary.costUsd).toBe(0.875);
    expect(result.lines).toBe(5);
    expect(result.invalidLines).toBe(2);
    expect(result.firstInvalid?.line).toBe(2);
    expect(result.firstInvalid?.reason).toMatch(/^not JSON/);
  });

  it('names the field of the first invalid record', async () => {
    const file = path.join(dir, 'telemetry.jsonl');
    await writeFile(file, `${toTelemetryLine(record())}${JSON.stringify({ ...record(), budget_tier: 'fine' })}\n`);
    const result = await summariseLog(file);
    expect(result).toMatchObject({ kind: 'ok', invalidLines: 1, firstInvalid: { line: 2, reason: expect.stringContaining('budget_tier') } });
  });

  it('reads lines written some other way (spaces, key order, CRLF) through the slow path', async () => {
    const file = path.join(dir, 'telemetry.jsonl');
    const r = record({ agent: 'critic', cost_usd: 0.75 });
    const reordered = Object.fromEntries(Object.entries(r).reverse());
    await writeFile(file, `${JSON.stringify(r, null, 1).replace(/\n/g, ' ')}\n${JSON.stringify(reordered)}\r\n`);
    const result = await summariseLog(file);
    expect(result).toMatchObject({ kind: 'ok', lines: 2, invalidLines: 0 });
    if (result.kind === 'ok') expect(result.summary).toEqual(summarise([r, r]));
  });

  it('agrees with the pure fold on a log larger than one read chunk', async () => {
    const file = path.join(dir, 'telemetry.jsonl');
    const records = Array.from({ length: 6_000 }, (_, i) => varied(i));
    await writeFile(file, records.map(toTelemetryLine).join('')); // ≈ 1.9 MB: lines cross 1 MiB chunk edges
    const result = await summariseLog(file);
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(result.invalidLines).toBe(0);
    expect(result.lines).toBe(6_000);
    expect(result.summary).toEqual(summarise(records));
    expect(result.summary.byAgent.map((a) => a.agent)).toContain('bauführer-ü');
  });

  it('treats a line longer than 1 MiB as one invalid line and goes on', async () => {
    const file = path.join(dir, 'telemetry.jsonl');
    await writeFile(file, toTelemetryLine(record()));
    await appendFile(file, `${'x'.repeat(3 * 1024 * 1024)}\n`);
    await appendFile(file, toTelemetryLine(record()));
    const result = await summariseLog(file);
    expect(result).toMatchObject({ kind: 'ok', lines: 3, invalidLines: 1, firstInvalid: { line: 2 } });
    if (result.kind === 'ok') expect(result.summary.calls).toBe(2);
  });

  it('reads a missing log as empty and an unreadable one as a value, not a throw', async () => {
    const missing = await summariseLog(path.join(dir, 'nope.jsonl'));
    expect(missing).toMatchObject({ kind: 'missing', summary: { calls: 0 } });
    const unreadable = await summariseLog(dir); // a directory
    expect(unreadable.kind).toBe('unreadable');
  });
});
