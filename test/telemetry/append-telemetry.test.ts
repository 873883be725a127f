import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { telemetryRecordSchema } from '../../src/core/budget/telemetry-record.js';
import { appendTelemetry, toTelemetryLine } from '../../src/telemetry/append-telemetry.js';
import { record } from '../core/budget/records.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cs-telemetry-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const linesOf = async (file: string) => (await readFile(file, 'utf8')).split('\n');

describe('appendTelemetry', () => {
  it('appends one JSON line per call, creating the directories', async () => {
    const file = path.join(dir, 'artifacts', 'p1', 'telemetry.jsonl');
    await appendTelemetry(file, record({ task: 'T-1' }));
    await appendTelemetry(file, record({ task: 'T-2', budget_tier: 'warning' }));
    const lines = await linesOf(file);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual(record({ task: 'T-1' }));
    expect(JSON.parse(lines[1]!)).toEqual(record({ task: 'T-2', budget_tier: 'warning' }));
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('writes exactly one whole line for each of 50 concurrent appends', async () => {
    const file = path.join(dir, 'telemetry.jsonl');
    const long = 'x'.repeat(150); // long lines make a torn write easier to see
    await Promise.all(Array.from({ length: 50 }, (_, i) => appendTelemetry(file, record({ task: `T-${i}`, session: `${long}-${i}` }))));
    const lines = (await linesOf(file)).filter(Boolean);
    expect(lines).toHaveLength(50);
    const tasks = lines.map((line) => {
      const parsed = telemetryRecordSchema.parse(JSON.parse(line));
      expect(parsed.session).toBe(`${long}-${parsed.task!.slice(2)}`);
      return parsed.task;
    });
    expect(new Set(tasks).size).toBe(50);
  });

  it('never writes an Anthropic API key, wherever it appears', async () => {
    const file = path.join(dir, 'telemetry.jsonl');
    const key = 'sk-ant-api03-AbC_dEf-1234567890abcdefghijklmnopqrstuvwxyz';
    const outcome = await appendTelemetry(file, record({ task: `leak ${key} here`, agent: key, stop_reason: 'SK-ANT-ADMIN01-XYZ' }));
    const text = await readFile(file, 'utf8');
    expect(text).not.toMatch(/sk-ant-/i);
    expect(text).not.toContain('AbC_dEf');
    expect(text).toContain('leak [REDACTED] here');
    expect(outcome.redactedFields).toEqual(['agent', 'task', 'stop_reason']);
    expect(JSON.parse(text)).toMatchObject({ agent: '[REDACTED]', stop_reason: '[REDACTED]' });
  });

  it('also removes secrets it is told about that do not look like keys', async () => {
    const file = path.join(dir, 'telemetry.jsonl');
    const proxyToken = 'corp-proxy-token-0123456789';
    await appendTelemetry(file, record({ model: `claude-sonnet-4-6@${proxyToken}` }), { secrets: [proxyToken] });
    expect(await readFile(file, 'utf8')).not.toContain(proxyToken);
  });

  it('refuses an invalid record and writes nothing', async () => {
    const file = path.join(dir, 'telemetry.jsonl');
    await expect(appendTelemetry(file, record({ input_tokens: -3 }))).rejects.toThrow(/input_tokens/);
    await expect(readFile(file, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes keys in schema order and cost in whole nano-dollars', () => {
    const line = toTelemetryLine(record({ cost_usd: 0.1 + 0.2, task: undefined }));
    expect(line.endsWith('\n')).toBe(true);
    expect(line).toContain('"cost_usd":0.3,');
    expect(line).not.toContain('"task"');
    expect(Object.keys(JSON.parse(line))).toEqual([
      'time', 'session', 'stage', 'agent', 'model', 'input_tokens', 'output_tokens', 'cache_read_tokens',
      'cache_write_tokens', 'cost_usd', 'duration_ms', 'stop_reason', 'budget_tier',
    ]);
  });
});
