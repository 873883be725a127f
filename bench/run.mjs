// `npm run bench`: builds, then runs every benchmark module once and prints one table.
// Benchmarks report; they never fail the run (exit code 0 unless the harness itself breaks).
// To add one: write bench/<name>.mjs exporting `async (options) => Row[]` and list it below.
import { existsSync } from 'node:fs';
import { benchBudgetLog } from './budget-log.mjs';
import { benchAgentLoop } from './agent-loop.mjs';
import { benchBuildSchedule } from './build-schedule.mjs';
import { benchIdleMemory } from './memory.mjs';
import { CLI_BIN, INSTALL_DIR } from './lib/harness.mjs';
import { benchStartup } from './startup.mjs';
import { benchTaskGraph } from './task-graph.mjs';

/** @typedef {{ name: string, value: string, goal: string, status: '' | 'PASS' | 'MISS' }} Row */

const BENCHMARKS = [
  { title: 'startup', run: (options) => benchStartup({ runs: 15, ...options }) },
  { title: 'memory', run: (options) => benchIdleMemory({ runs: 3, ...options }) },
  { title: 'budget-log', run: (options) => benchBudgetLog({ rows: 1_000_000, runs: 3, ...options }) },
  { title: 'agent loop', run: (options) => benchAgentLoop({ rounds: 7, turns: 200, ...options }) },
  { title: 'task graph', run: (options) => benchTaskGraph({ runs: 9, ...options }) },
  { title: 'build schedule', run: (options) => benchBuildSchedule(options) },
];

const verbose = process.argv.includes('--verbose');
const log = verbose ? (line) => process.stderr.write(`  ${line}\n`) : () => undefined;

function printTable(rows) {
  const headers = ['measure', 'result', 'goal', ''];
  const cells = rows.map((r) => [r.name, r.value, r.goal || '—', r.status]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

if (!existsSync(new URL('../dist/cli.js', import.meta.url))) {
  console.error('bench: dist/cli.js is missing; run `npm run bench` (it builds first) or `npm run build`.');
  process.exit(1);
}

const rows = [];
for (const bench of BENCHMARKS) {
  process.stderr.write(`bench: ${bench.title}…\n`);
  try {
    rows.push(...(await bench.run({ log })));
  } catch (error) {
    rows.push({ name: `${bench.title} (did not run)`, value: error instanceof Error ? error.message.split('\n')[0] : String(error), goal: '', status: 'MISS' });
  }
}
console.log(`\nCodeSleuth benchmarks — ${CLI_BIN.replace(INSTALL_DIR, '')}, node ${process.version}, ${process.platform}/${process.arch}\n`);
printTable(rows);
