// The Builder's scheduling, twice over a generated 60-task plan with max_workers 1, 2 and 4:
// - on a fake clock: simulateBuild (the real nextAssignments decides what starts; every task
//   takes a fixed time per size);
// - on the real clock: the real BuildRun (worktrees, merge queue, saves, patrol) with ports
//   whose "model" takes a fixed latency per task size and whose git answers at once.
// Each makespan is compared with the lower bound max(critical path, total work / workers).
// The TypeScript sources are bundled with esbuild at the start, so this needs no build step.
import { pathToFileURL } from 'node:url';
import { loadSource } from './lib/load-source.mjs';

const GOAL_RATIO = 1.15;
const WORKERS = [1, 2, 4];
/** Minutes a task of each size takes in the simulation. */
const MINUTES = { S: 10, M: 25, L: 60, XL: 120 };
/** Real milliseconds of fake model latency per simulated minute in the BuildRun pass. */
const MS_PER_MINUTE = 2;

/** Bundles the simulator, the scheduler and the graph validator (and zod) into one module. */
async function loadBuilder() {
  return loadSource('build-schedule', [
        "export { simulateBuild, makespanLowerBound, criticalPathLength, totalWork } from './src/core/build/simulate-build.ts';",
        "export { validateTaskGraph } from './src/core/task-graph/validate-task-graph.ts';",
        "export { BuildRun } from './src/core/build/build-run.ts';",
  ]);
}

/**
 * A web-app plan of 60 tasks as a Planner writes them: a scaffold that fans out, eight feature
 * chains (model → service → routes → tests), UI pages after their routes, small utilities,
 * and a fan-in at the end (integration, docs, release). Shared files force an order: every
 * routes task edits src/routes.ts, every model task src/db/migrations.ts, the UI pages
 * src/ui/nav.ts; their writers are chained through depends_on, as validate requires.
 */
export function generatePlan() {
  const tasks = [];
  const id = (n) => `TASK-${String(n).padStart(3, '0')}`;
  const add = (title, size, depends_on, output_files) => {
    const taskId = id(tasks.length + 1);
    tasks.push({
      id: taskId,
      title,
      description: `${title}.`,
      acceptance_criteria: [`${title} works`],
      output_files,
      depends_on: [...new Set(depends_on)],
      size,
      status: 'PENDING',
    });
    return taskId;
  };
  const lastWriter = new Map();
  /** Output files, and the previous writer of each shared file as a dependency. */
  const shared = (own, files) => {
    const deps = files.filter((f) => lastWriter.has(f)).map((f) => lastWriter.get(f));
    return { files: [...own, ...files], deps, commit: (taskId) => files.forEach((f) => lastWriter.set(f, taskId)) };
  };

  const scaffold = add('Scaffold the project', 'M', [], ['package.json', 'tsconfig.json', 'src/index.ts']);
  const config = add('Configuration loading', 'S', [scaffold], ['src/config.ts']);
  const db = add('Database connection and schema', 'L', [scaffold], ['src/db/schema.ts', 'src/db/connection.ts']);
  const http = add('HTTP server and error handling', 'M', [scaffold, config], ['src/server.ts', 'src/errors.ts']);

  const features = ['users', 'auth', 'projects', 'tasks', 'comments', 'files', 'billing', 'search'];
  const sizes = { users: 'M', auth: 'L', projects: 'M', tasks: 'L', comments: 'S', files: 'M', billing: 'L', search: 'M' };
  const routesOf = {};
  const testsOf = [];
  for (const f of features) {
    const m = shared([`src/${f}/model.ts`], ['src/db/migrations.ts']);
    const model = add(`${f} model and migration`, 'M', [db, ...m.deps], m.files);
    m.commit(model);
    const service = add(`${f} service`, sizes[f], [model, ...(f === 'billing' || f === 'projects' ? [routesOf.users ?? model] : [])], [`src/${f}/service.ts`]);
    const r = shared([`src/${f}/routes.ts`], ['src/routes.ts']);
    const routes = add(`${f} routes`, 'M', [service, http, ...r.deps], r.files);
    r.commit(routes);
    routesOf[f] = routes;
    testsOf.push(add(`${f} unit tests`, 'S', [service], [`test/${f}.test.ts`]));
  }

  const pages = ['login', 'dashboard', 'project', 'task-board', 'settings', 'billing', 'search'];
  const pageOn = { login: 'auth', dashboard: 'projects', project: 'projects', 'task-board': 'tasks', settings: 'users', billing: 'billing', search: 'search' };
  const ui = [];
  const uiShell = add('UI shell and router', 'M', [scaffold], ['src/ui/app.tsx', 'src/ui/nav.ts']);
  lastWriter.set('src/ui/nav.ts', uiShell);
  for (const page of pages) {
    const n = shared([`src/ui/pages/${page}.tsx`], ['src/ui/nav.ts']);
    const t = add(`${page} page`, page === 'task-board' ? 'L' : 'M', [routesOf[pageOn[page]], ...n.deps], n.files);
    n.commit(t);
    ui.push(t);
  }

  const utilities = [
    ['Logging', 'S'],
    ['Date helpers', 'S'],
    ['Validation helpers', 'S'],
    ['Email templates', 'M'],
    ['Rate limiting', 'M'],
    ['Feature flags', 'S'],
    ['Metrics endpoint', 'S'],
    ['Background job queue', 'L'],
    ['Cache layer', 'M'],
  ];
  const utils = utilities.map(([title, size], i) => add(title, size, i < 3 ? [scaffold] : [http], [`src/lib/${title.toLowerCase().replace(/\s+/g, '-')}.ts`]));

  const routes = Object.values(routesOf);
  const integration = add('API integration tests', 'L', [...routes, ...testsOf], ['test/integration/api.test.ts']);
  const e2e = add('End-to-end UI tests', 'M', [...ui], ['test/e2e/ui.test.ts']);
  const openapi = add('OpenAPI document', 'S', routes, ['docs/openapi.yaml']);
  const ci = add('CI pipeline', 'S', [integration, e2e], ['.github/workflows/ci.yml']);
  const perf = add('Load test and tuning', 'M', [integration, ...utils.slice(4)], ['bench/load.ts']);
  const readme = add('README and user guide', 'S', [openapi, e2e], ['README.md', 'docs/guide.md']);
  add('Release 1.0', 'S', [ci, perf, readme], ['CHANGELOG.md']);
  return { tasks };
}

export async function benchBuildSchedule({ log = () => undefined } = {}) {
  const { simulateBuild, makespanLowerBound, criticalPathLength, totalWork, validateTaskGraph, BuildRun } = await loadBuilder();
  const graph = generatePlan();
  const problems = validateTaskGraph(graph);
  if (problems.length > 0) throw new Error(`the generated plan is not valid: ${problems[0].message}`);
  const durationOf = (task) => MINUTES[task.size];
  const critical = criticalPathLength(graph, durationOf);
  const work = totalWork(graph, durationOf);
  const rows = [
    {
      name: `build-schedule plan: ${graph.tasks.length} tasks (S ${MINUTES.S} / M ${MINUTES.M} / L ${MINUTES.L} min)`,
      value: `critical path ${critical} min, total work ${work} min`,
      goal: '',
      status: '',
    },
  ];
  for (const workers of WORKERS) {
    const sim = simulateBuild(graph, { workers, durationOf });
    if (sim.unscheduled.length > 0) throw new Error(`${sim.unscheduled.length} tasks never started`);
    const bound = makespanLowerBound(graph, workers, durationOf);
    const ratio = sim.makespan / bound;
    log(`workers ${workers}: makespan ${sim.makespan} min, bound ${bound.toFixed(1)} min, ratio ${ratio.toFixed(3)}`);
    rows.push({
      name: `simulated makespan ÷ lower bound, max_workers ${workers}`,
      value: `${ratio.toFixed(3)}× (${sim.makespan} / ${Number.isInteger(bound) ? bound : bound.toFixed(1)} min)`,
      goal: `≤ ${GOAL_RATIO}×`,
      status: ratio <= GOAL_RATIO ? 'PASS' : 'MISS',
    });
  }
  for (const workers of WORKERS) {
    const makespan = await timedBuild(BuildRun, graph, workers, durationOf);
    const bound = makespanLowerBound(graph, workers, durationOf) * MS_PER_MINUTE;
    const ratio = makespan / bound;
    log(`BuildRun workers ${workers}: ${makespan.toFixed(0)} ms, bound ${bound.toFixed(0)} ms, ratio ${ratio.toFixed(3)}`);
    rows.push({
      name: `BuildRun makespan ÷ lower bound, max_workers ${workers} (${MS_PER_MINUTE} ms per minute of latency)`,
      value: `${ratio.toFixed(3)}× (${makespan.toFixed(0)} / ${bound.toFixed(0)} ms)`,
      goal: `≤ ${GOAL_RATIO}×`,
      status: ratio <= GOAL_RATIO ? 'PASS' : 'MISS',
    });
  }
  return rows;
}

const ok = (value) => ({ ok: true, value });

/**
 * The real BuildRun over ports that do no work: each task "runs" for its size's latency and
 * reports DONE with a passing receipt; git is instant. Returns the wall-clock makespan in ms.
 */
async function timedBuild(BuildRun, graph, workers, durationOf) {
  const git = {
    status: async (root) => ok({ root, branch: 'main', head: 'a'.repeat(40), modified: [], staged: [], untracked: [], conflicted: [], operation: null, clean: true }),
    addWorktree: async (_repo, request) => ok({ dir: request.dir, head: 'a'.repeat(40), branch: request.branch, main: false, locked: false, prunable: false }),
    removeWorktree: async (_repo, dir) => ok({ dir, branch: null, branchDeleted: true, snapshot: null }),
    mergeBranch: async () => ok({ kind: 'merged', sha: 'c'.repeat(40) }),
    setAsideWork: async () => ({ ok: false, error: { kind: 'nothing-to-save', message: 'clean' } }),
  };
  const at = new Date().toISOString();
  const receipt = { gate: 'test', command: 'npm test', exitCode: 0, timedOut: false, durationMs: 1, outputSha256: '0'.repeat(64), outputTail: 'ok', at };
  const ports = {
    async execute(task) {
      await new Promise((resolve) => setTimeout(resolve, durationOf(task) * MS_PER_MINUTE));
      return {
        kind: 'done', taskId: task.id, messages: [], agentRuns: 1, gateRuns: [[receipt]], reportedFiles: [], snapshot: null, startedAt: at, finishedAt: at,
        sha: 'b'.repeat(40), receipts: [receipt], summary: 'built', concerns: [], changedFiles: task.output_files, heldBack: [], unattributed: [], reviewRounds: 0,
      };
    },
    git,
    persist: async () => undefined,
    now: () => new Date(),
    every: () => () => undefined,
    costOf: () => 0,
  };
  const observer = { taskStarted() {}, taskEvent() {}, taskFinished() {}, note() {} };
  const run = new BuildRun(
    ports,
    { graph, projectDir: '/bench/project', worktreeRoot: '/bench/worktrees', branchPrefix: 'codesleuth/bench/', maxWorkers: workers, patrol: { taskTimeLimitMs: 3_600_000 }, signal: new AbortController().signal },
    { records: [], decisions: [] },
    observer,
  );
  const started = performance.now();
  const ending = await run.run();
  const elapsed = performance.now() - started;
  if (ending.kind !== 'complete') throw new Error(`the BuildRun pass ended ${ending.kind}`);
  return elapsed;
}

// `node bench/build-schedule.mjs` runs this benchmark alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const verbose = process.argv.includes('--verbose');
  const rows = await benchBuildSchedule({ log: verbose ? (line) => process.stderr.write(`  ${line}\n`) : undefined });
  for (const row of rows) console.log(`${row.name}: ${row.value}${row.goal ? ` (goal ${row.goal}: ${row.status})` : ''}`);
}
