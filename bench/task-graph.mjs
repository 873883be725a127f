// TASK-GRAPH.md at scale: parse + validate + render of a generated 5,000-task graph, next to
// a bare-node reference (JSON.stringify + JSON.parse of the same data) timed the same way.
// The TypeScript sources are bundled with esbuild at the start, so this needs no build step.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadSource } from './lib/load-source.mjs';

const GOAL_MS = 200;
const TASKS = 5_000;

/** Bundles the three task-graph entry points (and zod) into one module and imports it. */
async function loadTaskGraph() {
  return loadSource('task-graph', [
        "export { parseTaskGraph } from './src/core/task-graph/parse-task-graph.ts';",
        "export { validateTaskGraph } from './src/core/task-graph/validate-task-graph.ts';",
        "export { renderTaskGraph } from './src/core/task-graph/render-task-graph.ts';",
  ]);
}

/**
 * A plausible large plan: each task waits on up to three of the 40 before it, writes its own
 * files, and every 25th task also edits src/routes.ts, those in a chain so the graph is valid.
 */
function generateGraph(count) {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const id = (n) => `TASK-${String(n).padStart(4, '0')}`;
  const statuses = ['PENDING', 'PENDING', 'PENDING', 'DONE', 'IN-PROGRESS', 'STALE', 'BLOCKED'];
  const sizes = ['S', 'M', 'M', 'L', 'XL'];
  const tasks = [];
  let lastRoutes;
  for (let n = 1; n <= count; n++) {
    const deps = new Set();
    if (n > 1) for (let d = Math.floor(rand() * 4); d > 0; d--) deps.add(id(Math.max(1, n - 1 - Math.floor(rand() * 40))));
    const files = [`src/module-${n}/index.ts`, `test/module-${n}.test.ts`];
    if (n % 25 === 0) {
      files.push('src/routes.ts');
      if (lastRoutes) deps.add(lastRoutes);
      lastRoutes = id(n);
    }
    tasks.push({
      id: id(n),
      title: `Implement module ${n}: parse | validate | render`,
      description: `Build module ${n} behind the interface in INTERFACES.md.\n\nKeep it pure; see F-${String((n % 40) + 1).padStart(2, '0')}.`,
      acceptance_criteria: [`module ${n} has unit tests`, `\`npm test\` passes`, `no lint warnings in src/module-${n}`],
      output_files: files,
      depends_on: [...deps],
      size: sizes[Math.floor(rand() * sizes.length)],
      status: statuses[Math.floor(rand() * statuses.length)],
    });
  }
  return { tasks };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall and CPU milliseconds of `work()`, after a full GC so no earlier garbage lands in the sample. */
function measure(work, collectGarbage) {
  collectGarbage();
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const result = work();
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  return { wall, cpu: (cpu.user + cpu.system) / 1000, result };
}

/** Runs `{ runs }` timed rounds (after two warm-ups), the graph work and the reference interleaved. */
export async function benchTaskGraph({ runs = 9, log = () => undefined } = {}) {
  const { parseTaskGraph, validateTaskGraph, renderTaskGraph } = await loadTaskGraph();
  v8.setFlagsFromString('--expose-gc');
  const collectGarbage = vm.runInNewContext('gc');
  const graph = generateGraph(TASKS);
  const text = renderTaskGraph(graph);

  const roundTrip = () => {
    const parsed = parseTaskGraph(text);
    if (!parsed.ok) throw new Error(`the generated TASK-GRAPH.md did not parse: ${parsed.problems[0]?.message}`);
    const problems = validateTaskGraph(parsed.graph);
    if (problems.length > 0) throw new Error(`the generated graph did not validate: ${problems[0].message}`);
    return renderTaskGraph(parsed.graph);
  };
  const reference = () => JSON.parse(JSON.stringify(graph));

  const graphSamples = [];
  const referenceSamples = [];
  for (let i = 0; i < runs + 2; i++) {
    const round = measure(roundTrip, collectGarbage);
    if (round.result !== text) throw new Error('parse → render did not reproduce TASK-GRAPH.md');
    const bare = measure(reference, collectGarbage);
    if (i < 2) continue;
    graphSamples.push(round);
    referenceSamples.push(bare);
    log(`task graph ${i - 1}/${runs}: ${round.wall.toFixed(1)} ms wall, ${round.cpu.toFixed(1)} ms cpu; JSON ${bare.wall.toFixed(1)} ms wall`);
  }
  const graphWall = median(graphSamples.map((s) => s.wall));
  const graphCpu = median(graphSamples.map((s) => s.cpu));
  const referenceWall = median(referenceSamples.map((s) => s.wall));
  const lines = text.split('\n').length;
  return [
    {
      name: `TASK-GRAPH.md parse + validate + render, ${TASKS.toLocaleString('en')} tasks (median of ${runs}; max)`,
      value: `${graphWall.toFixed(1)} ms; ${Math.max(...graphSamples.map((s) => s.wall)).toFixed(1)} ms`,
      goal: `< ${GOAL_MS} ms`,
      status: graphWall < GOAL_MS ? 'PASS' : 'MISS',
    },
    { name: 'the same, process cpu time (GC threads included)', value: `${graphCpu.toFixed(1)} ms`, goal: '', status: '' },
    { name: 'bare node: JSON.stringify + JSON.parse of the same graph', value: `${referenceWall.toFixed(1)} ms`, goal: '', status: '' },
    { name: 'task graph ÷ bare node, wall time', value: `${(graphWall / referenceWall).toFixed(1)}×`, goal: '', status: '' },
    { name: 'TASK-GRAPH.md of that graph', value: `${(Buffer.byteLength(text) / 1024 / 1024).toFixed(2)} MB, ${lines.toLocaleString('en')} lines`, goal: '', status: '' },
  ];
}

// `node bench/task-graph.mjs` runs this benchmark alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const verbose = process.argv.includes('--verbose');
  const rows = await benchTaskGraph({ log: verbose ? (line) => process.stderr.write(`  ${line}\n`) : undefined });
  for (const row of rows) console.log(`${row.name}: ${row.value}${row.goal ? ` (goal ${row.goal}: ${row.status})` : ''}`);
}
