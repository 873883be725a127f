// Reading a large telemetry log: summariseLog on a 1,000,000-line JSONL file (written as
// appendTelemetry writes), against a plain streaming read of the same file that only counts
// newlines, with the same read size (the goal) and with the default one; readline for reference.
// Runs are interleaved and the median of each is used. The source is bundled on the fly with
// esbuild (dist/ bundles the CLI only), so this measures src/telemetry as it is now.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { INSTALL_DIR, median } from './lib/harness.mjs';

const GOAL_RATIO = 1.5;
const AGENTS = ['discovery', 'planner', 'builder', 'critic', 'security', 'verifier', 'maintenance'];
const STAGES = ['discovery', 'planning', 'building', 'critique', 'security', 'verification', 'maintenance'];

async function bundleTelemetry(dir) {
  const outfile = path.join(dir, 'telemetry.mjs');
  await build({
    stdin: {
      contents:
        "export { summariseLog } from './src/telemetry/summarise-log.ts';\nexport { toTelemetryLine } from './src/telemetry/append-telemetry.ts';",
      resolveDir: INSTALL_DIR,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}

/** Writes `rows` lines exactly as appendTelemetry would, in batches. */
async function writeLog(file, rows, toTelemetryLine) {
  const out = createWriteStream(file);
  const start = Date.parse('2026-11-01T00:00:00.000Z');
  let batch = [];
  for (let i = 0; i < rows; i++) {
    const input = (i * 7919) % 20000;
    const output = (i * 104729) % 4000;
    const cacheRead = (i * 31) % 50000;
    const cacheWrite = i % 5 === 0 ? 0 : (i * 17) % 3000;
    batch.push(
      toTelemetryLine({
        time: new Date(start + i * 1000).toISOString(),
        session: `s-20261123-${(i >> 12).toString(16).padStart(6, '0')}`,
        stage: STAGES[i % 7],
        agent: AGENTS[i % 7],
        ...(i % 3 === 0 ? {} : { task: `T-${i % 97}` }),
        model: i % 4 === 0 ? 'claude-opus-4-6' : 'claude-sonnet-4-6',
        input_tokens: input,
        output_tokens: output,
        cache_read_tokens: cacheRead,
        cache_write_tokens: cacheWrite,
        cost_usd: (input * 3000 + output * 15000 + cacheRead * 300 + cacheWrite * 3750) / 1e9,
        duration_ms: 500 + (i % 9000),
        stop_reason: i % 10 === 0 ? 'tool_use' : 'end_turn',
        budget_tier: i % 50 === 0 ? 'warning' : 'ok',
      }),
    );
    if (batch.length === 10000) {
      if (!out.write(batch.join(''))) await once(out, 'drain');
      batch = [];
    }
  }
  out.end(batch.join(''));
  await once(out, 'finish');
}

/** The baseline: stream the file and count '\n' bytes, nothing else. */
async function countNewlines(file, highWaterMark) {
  let count = 0;
  for await (const chunk of createReadStream(file, highWaterMark ? { highWaterMark } : {})) {
    let i = -1;
    while ((i = chunk.indexOf(10, i + 1)) !== -1) count++;
  }
  return count;
}

async function countWithReadline(file) {
  let count = 0;
  for await (const _line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) count++;
  return count;
}

async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

export async function benchBudgetLog({ rows = 1_000_000, runs = 3, log = () => undefined } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'codesleuth-bench-log-'));
  try {
    const { summariseLog, toTelemetryLine } = await bundleTelemetry(dir);
    const file = path.join(dir, 'telemetry.jsonl');
    const made = await timed(() => writeLog(file, rows, toTelemetryLine));
    const megabytes = statSync(file).size / 1e6;
    log(`budget-log: wrote ${rows} lines (${megabytes.toFixed(0)} MB) in ${made.ms.toFixed(0)} ms`);

    const plain = () => countNewlines(file);
    const sameReads = () => countNewlines(file, 1 << 20);
    const summarise = () => summariseLog(file);
    // One discarded run of each: the file is then in the page cache for all of them alike.
    await plain();
    await sameReads();
    const check = await summarise();
    if (check.kind !== 'ok' || check.summary.calls !== rows || check.invalidLines !== 0) {
      throw new Error(`summariseLog read the bench log wrongly: ${JSON.stringify({ kind: check.kind, calls: check.summary?.calls, invalid: check.invalidLines })}`);
    }
    const plainMs = [];
    const sameMs = [];
    const summaryMs = [];
    const readlineMs = [];
    for (let i = 0; i < runs; i++) {
      plainMs.push((await timed(plain)).ms);
      summaryMs.push((await timed(summarise)).ms);
      sameMs.push((await timed(sameReads)).ms);
      readlineMs.push((await timed(() => countWithReadline(file))).ms);
      log(`budget-log ${i + 1}/${runs}: newline count ${plainMs.at(-1).toFixed(0)} ms, summariseLog ${summaryMs.at(-1).toFixed(0)} ms, newline count 1 MiB reads ${sameMs.at(-1).toFixed(0)} ms, readline ${readlineMs.at(-1).toFixed(0)} ms`);
    }
    const ms = (v) => `${v.toFixed(0)} ms`;
    const ratio = median(summaryMs) / median(plainMs);
    const sameRatio = median(summaryMs) / median(sameMs);
    const n = rows.toLocaleString('en-US');
    // The goal compares like with like: the same file, the same 1 MiB reads, one counting
    // newlines and one summarising. Against the 64 KiB default the baseline pays 16× as many
    // read calls, which on a loaded machine can make summariseLog look faster than reading.
    return [
      { name: `summariseLog, ${n} lines, ${megabytes.toFixed(0)} MB (median of ${runs})`, value: ms(median(summaryMs)), goal: '', status: '' },
      { name: 'stream counting newlines, 1 MiB reads (as summariseLog reads)', value: ms(median(sameMs)), goal: '', status: '' },
      { name: 'summariseLog ÷ newline count, same reads (medians)', value: `${sameRatio.toFixed(2)}×`, goal: `≤ ${GOAL_RATIO.toFixed(1)}×`, status: sameRatio <= GOAL_RATIO ? 'PASS' : 'MISS' },
      { name: 'stream counting newlines, default 64 KiB reads', value: ms(median(plainMs)), goal: '', status: '' },
      { name: 'summariseLog ÷ newline count, default reads', value: `${ratio.toFixed(2)}×`, goal: '', status: '' },
      { name: 'readline counting lines (why lines are split on Buffers)', value: ms(median(readlineMs)), goal: '', status: '' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
