// Reading a large telemetry log: summariseLog on a 1,000,000-line JSONL file (written as
// appendTelemetry writes), against a plain streaming read of the same file that only counts
// newlines. Two cases: cold (no summary checkpoint beside the log: a full pass that also writes
// one; informational) and warm (the checkpoint covers the log, then 1,000 rows are appended:
// the goal). The cold pass is also compared with the default read size, and readline is shown
// for reference. Runs are interleaved and the median of each is used. The source is bundled on
// the fly with esbuild (dist/ bundles the CLI only), so this measures src/telemetry as it is
// now. Run it alone with `node bench/budget-log.mjs [--verbose] [--rows N] [--runs N]`.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { build } from 'esbuild';
import { INSTALL_DIR, median } from './lib/harness.mjs';

const GOAL_RATIO = 1.5;
const APPENDED_ROWS = 1_000;
const AGENTS = ['discovery', 'planner', 'builder', 'critic', 'security', 'verifier', 'maintenance'];
const STAGES = ['discovery', 'planning', 'building', 'critique', 'security', 'verification', 'maintenance'];

async function bundleTelemetry(dir) {
  const outfile = path.join(dir, 'telemetry.mjs');
  await build({
    stdin: {
      contents:
        "export { summariseLog } from './src/telemetry/summarise-log.ts';\nexport { toTelemetryLine } from './src/telemetry/append-telemetry.ts';\nexport { checkpointPathFor } from './src/telemetry/log-checkpoint.ts';",
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

/** Line `i` of the bench log, exactly as appendTelemetry writes it. */
function lineFor(i, toTelemetryLine) {
  const start = Date.parse('2026-11-01T00:00:00.000Z');
  const input = (i * 7919) % 20000;
  const output = (i * 104729) % 4000;
  const cacheRead = (i * 31) % 50000;
  const cacheWrite = i % 5 === 0 ? 0 : (i * 17) % 3000;
  return toTelemetryLine({
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
  });
}

/** Writes lines 0 … rows-1, in batches. */
async function writeLog(file, rows, toTelemetryLine) {
  const out = createWriteStream(file);
  let batch = [];
  for (let i = 0; i < rows; i++) {
    batch.push(lineFor(i, toTelemetryLine));
    if (batch.length === 10000) {
      if (!out.write(batch.join(''))) await once(out, 'drain');
      batch = [];
    }
  }
  out.end(batch.join(''));
  await once(out, 'finish');
}

/**
 * Appends lines from … from+count-1 in one write and returns its bytes. appendTelemetry would
 * make one write per line; the reader sees the same bytes either way.
 */
async function appendRows(file, from, count, toTelemetryLine) {
  const text = Array.from({ length: count }, (_, k) => lineFor(from + k, toTelemetryLine)).join('');
  await appendFile(file, text);
  return Buffer.byteLength(text);
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
    const { summariseLog, toTelemetryLine, checkpointPathFor } = await bundleTelemetry(dir);
    const file = path.join(dir, 'token_log.jsonl');
    const sidecar = checkpointPathFor(file);
    const made = await timed(() => writeLog(file, rows, toTelemetryLine));
    const megabytes = statSync(file).size / 1e6;
    log(`budget-log: wrote ${rows} lines (${megabytes.toFixed(0)} MB) in ${made.ms.toFixed(0)} ms`);

    let written = rows;
    const plain = () => countNewlines(file);
    const sameReads = () => countNewlines(file, 1 << 20);
    /** A full pass: no sidecar, so summariseLog reads it all and writes a fresh one. */
    const cold = async () => {
      await rm(sidecar, { force: true });
      return summariseLog(file);
    };
    const expectCold = (result) => {
      const start = result.checkpoint?.start;
      if (result.kind !== 'ok' || start?.reason !== 'missing' || result.summary.calls !== written || result.invalidLines !== 0 || result.checkpoint.saved.kind !== 'written') {
        throw new Error(`summariseLog read the bench log wrongly (cold): ${JSON.stringify({ kind: result.kind, start, calls: result.summary?.calls, invalid: result.invalidLines })}`);
      }
    };
    const expectWarm = (result, appendedBytes) => {
      const c = result.checkpoint;
      if (result.kind !== 'ok' || c.start.kind !== 'resumed' || c.bytesRead !== appendedBytes || result.summary.calls !== written || result.invalidLines !== 0) {
        throw new Error(`summariseLog read the bench log wrongly (warm): ${JSON.stringify({ kind: result.kind, start: c?.start, bytesRead: c?.bytesRead, calls: result.summary?.calls })}`);
      }
    };
    // One discarded run of each: the file is then in the page cache for all of them alike.
    await plain();
    await sameReads();
    expectCold(await cold());

    const plainMs = [];
    const sameMs = [];
    const coldMs = [];
    const readlineMs = [];
    const warmMs = [];
    const warmPlainMs = [];
    let appendedBytes = 0;
    let lastWarm;
    for (let i = 0; i < runs; i++) {
      plainMs.push((await timed(plain)).ms);
      const c = await timed(cold); // leaves a sidecar covering the whole log
      expectCold(c.value);
      coldMs.push(c.ms);
      sameMs.push((await timed(sameReads)).ms);
      readlineMs.push((await timed(() => countWithReadline(file))).ms);
      // Warm: the checkpoint is current, then new calls arrive (not timed).
      appendedBytes = await appendRows(file, written, APPENDED_ROWS, toTelemetryLine);
      written += APPENDED_ROWS;
      const w = await timed(() => summariseLog(file));
      expectWarm(w.value, appendedBytes);
      lastWarm = w.value;
      warmMs.push(w.ms);
      warmPlainMs.push((await timed(sameReads)).ms);
      log(
        `budget-log ${i + 1}/${runs}: newline count ${plainMs.at(-1).toFixed(0)} ms, summariseLog cold ${coldMs.at(-1).toFixed(0)} ms, ` +
          `newline count 1 MiB reads ${sameMs.at(-1).toFixed(0)} ms, readline ${readlineMs.at(-1).toFixed(0)} ms, ` +
          `summariseLog warm ${warmMs.at(-1).toFixed(1)} ms (${appendedBytes} bytes read), newline count after ${warmPlainMs.at(-1).toFixed(0)} ms`,
      );
    }
    // The warm answer must be the full pass's, to the nano-dollar.
    const full = await summariseLog(file, { checkpoint: false });
    if (full.kind !== 'ok' || !isDeepStrictEqual(full.summary, lastWarm.summary)) throw new Error('summariseLog warm differs from a full pass of the same log');

    const ms = (v) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
    const ratio = median(coldMs) / median(plainMs);
    const sameRatio = median(coldMs) / median(sameMs);
    const warmRatio = median(warmMs) / median(warmPlainMs);
    const n = rows.toLocaleString('en-US');
    const appended = APPENDED_ROWS.toLocaleString('en-US');
    // Like with like: the same file, the same 1 MiB reads, one counting newlines and one
    // summarising. Against the 64 KiB default the baseline pays 16× as many read calls.
    return [
      { name: `summariseLog cold (no checkpoint: full pass, writes one), ${n} lines, ${megabytes.toFixed(0)} MB (median of ${runs})`, value: ms(median(coldMs)), goal: '', status: '' },
      { name: 'stream counting newlines, 1 MiB reads (as summariseLog reads)', value: ms(median(sameMs)), goal: '', status: '' },
      { name: 'summariseLog cold ÷ newline count, same reads (no goal)', value: `${sameRatio.toFixed(2)}×`, goal: '', status: '' },
      { name: 'stream counting newlines, default 64 KiB reads', value: ms(median(plainMs)), goal: '', status: '' },
      { name: 'summariseLog cold ÷ newline count, default reads', value: `${ratio.toFixed(2)}×`, goal: '', status: '' },
      { name: 'readline counting lines (why lines are split on Buffers)', value: ms(median(readlineMs)), goal: '', status: '' },
      { name: `summariseLog warm (checkpoint current, then ${appended} rows appended: ${(appendedBytes / 1e3).toFixed(0)} kB read)`, value: ms(median(warmMs)), goal: '', status: '' },
      { name: 'stream counting newlines of that whole log, 1 MiB reads', value: ms(median(warmPlainMs)), goal: '', status: '' },
      { name: 'summariseLog warm ÷ newline count (medians)', value: `${warmRatio.toFixed(3)}×`, goal: `≤ ${GOAL_RATIO.toFixed(1)}×`, status: warmRatio <= GOAL_RATIO ? 'PASS' : 'MISS' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const option = (name, fallback) => {
    const at = process.argv.indexOf(name);
    return at === -1 ? fallback : Number(process.argv[at + 1]);
  };
  const verbose = process.argv.includes('--verbose');
  const rows = await benchBudgetLog({ rows: option('--rows', 1_000_000), runs: option('--runs', 3), log: verbose ? (line) => process.stderr.write(`  ${line}\n`) : undefined });
  for (const row of rows) console.log(`${row.name}: ${row.value}${row.goal ? `  (goal ${row.goal}) ${row.status}` : ''}`);
}
