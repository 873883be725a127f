// The sample project and the cassettes of the release end-to-end tests (Critic, Security,
// Verifier, Maintenance): a small Node package with a real `node --test` suite, built by the
// scripted Builder through the built CLI, then reviewed by the scripted stage agents. Each test
// states only what differs (a planted secret, a bad citation, a maintenance fix); the rest of
// the run is generated here.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startFakeServer, type FakeServer } from '../../src/fake-server/index.js';
import type { Cassette, CassetteTurn } from '../../src/fake-server/cassette.js';
import { SECURITY_DOMAIN_IDS } from '../../src/core/security/finding.js';
import { DIMENSION_IDS } from '../../src/core/verdicts/critic.js';
import { newProjectLines, readJson, registeredEntry } from './fixtures.js';
import { modelEnv, writeSettings } from './fake-model.js';
import { cleanup, makeHome, runHeadless, type HeadlessResult, type TestHome } from './pty-cli.js';

// ---------------------------------------------------------------------------------------------
// The sample project: order totals for a café till.

export const PACKAGE_JSON = `${JSON.stringify({ name: 'till', version: '0.1.0', private: true, type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`;

/** src/total.js as TASK-001 writes it: 4 lines. */
export const TOTAL_JS = [
  '/** The total of an order, in cents: each line is a price times a quantity. */',
  'export function total(lines) {',
  '  return lines.reduce((sum, line) => sum + line.price * line.quantity, 0);',
  '}',
  '',
].join('\n');

export const TOTAL_TEST_JS = [
  "import assert from 'node:assert/strict';",
  "import { test } from 'node:test';",
  "import { total } from '../src/total.js';",
  '',
  "test('an order totals its lines', () => {",
  '  assert.equal(total([{ price: 250, quantity: 2 }, { price: 100, quantity: 1 }]), 600);',
  '});',
  '',
  "test('an empty order totals 0', () => {",
  '  assert.equal(total([]), 0);',
  '});',
  '',
].join('\n');

/**
 * An AWS-style access key id, put together at run time so that no key-shaped string sits in
 * CodeSleuth's own sources (its scanners would rightly flag it).
 */
export const PLANTED_AWS_KEY = ['AK', 'IA', 'Q7ZT4N2M', 'X9LB3PRW'].join('');

/** src/config.js with the planted key on line 3. */
export const CONFIG_JS = ['// Where receipts are archived.', "export const bucket = 'till-receipts';", `export const accessKeyId = '${PLANTED_AWS_KEY}';`, ''].join('\n');

/** src/calc.js with `eval` on the request body on line 3. */
export const CALC_JS = [
  '/** The till\'s quick sum: POST {"expression": "250+100"}. */',
  'export function quickSum(req) {',
  '  return eval(req.body.expression);',
  '}',
  '',
].join('\n');

/** src/calc.js after the security fix: digits and "+" only, added up without eval. */
export const CALC_FIXED_JS = [
  '/** The till\'s quick sum: POST {"expression": "250+100"}; digits and "+" only. */',
  'export function quickSum(req) {',
  '  const expression = String(req.body.expression);',
  "  if (!/^\\d+(\\+\\d+)*$/.test(expression)) throw new Error('Only sums of whole numbers are allowed.');",
  "  return expression.split('+').reduce((sum, part) => sum + Number(part), 0);",
  '}',
  '',
].join('\n');

export const CALC_TEST_JS = [
  "import assert from 'node:assert/strict';",
  "import { test } from 'node:test';",
  "import { quickSum } from '../src/calc.js';",
  '',
  "test('a quick sum adds the amounts', () => {",
  "  assert.equal(quickSum({ body: { expression: '250+100' } }), 350);",
  '});',
  '',
].join('\n');

// ---------------------------------------------------------------------------------------------
// Tasks and the turns that build them.

/** A task of the plan with the files its Builder writes. */
export interface SampleTask {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly acceptance_criteria: readonly string[];
  /** Project-relative path → content, written with write_file in this order. */
  readonly files: Readonly<Record<string, string>>;
  readonly depends_on?: readonly string[];
}

export interface SampleOptions {
  /** TASK-001 also writes src/config.js with an AWS-style key on line 3. */
  readonly plantKey?: boolean;
  /** TASK-001 also writes src/calc.js with `eval(req.body.expression)` on line 3. */
  readonly plantEval?: boolean;
}

/** The plan's one task: the totals module, with whatever the test plants. */
export function firstTask(options: SampleOptions = {}): SampleTask {
  return {
    id: 'TASK-001',
    title: 'Order totals',
    description: 'Implement total(lines) in src/total.js with node --test tests.',
    acceptance_criteria: ['an order totals its lines', 'an empty order totals 0'],
    files: {
      'package.json': PACKAGE_JSON,
      'src/total.js': TOTAL_JS,
      'test/total.test.js': TOTAL_TEST_JS,
      // What the Verifier's checklist passes must be committed: the runtime checks it at HEAD.
      'README.md': '# Till\n\nOrder totals. Run the tests with `npm test`.\n',
      LICENSE: 'MIT License\n',
      'CHANGELOG.md': '# Changelog\n\n## 0.1.0\n\n- Order totals.\n',
      ...(options.plantKey ? { 'src/config.js': CONFIG_JS } : {}),
      ...(options.plantEval ? { 'src/calc.js': CALC_JS, 'test/calc.test.js': CALC_TEST_JS } : {}),
    },
  };
}

type Block = CassetteTurn['content'][number];
const text = (value: string): Block => ({ type: 'text', text: value });
const tool = (name: string, input: Record<string, unknown>): Block => ({ type: 'tool_use', name, input });
const turn = (agent: string, ...content: Block[]): CassetteTurn => ({ agent, content }) as CassetteTurn;

const plannedTask = (task: SampleTask) => ({
  id: task.id,
  title: task.title,
  description: task.description,
  acceptance_criteria: [...task.acceptance_criteria],
  output_files: Object.keys(task.files),
  depends_on: [...(task.depends_on ?? [])],
  size: 'S',
});

/** Discovery writes the spec at once (no interview), then the Planner the design and the plan. */
export function planTurns(tasks: readonly SampleTask[]): CassetteTurn[] {
  return [
    turn(
      'discovery',
      text('Here is the specification.'),
      tool('write_feature_spec', {
        summary: 'Till totals the orders of a small café so the staff never add up by hand.',
        users: ['Barista: rings up an order'],
        features: [{ id: 'F-01', name: 'Order totals', description: 'The till totals an order from its lines.', acceptance_criteria: ['an order totals its lines', 'an empty order totals 0'] }],
        data: ['Orders: lines of price and quantity; nothing personal'],
        non_functional: ['Totals are exact, in cents'],
        out_of_scope: ['Payments'],
        open_questions: ['None'],
      }),
    ),
    turn(
      'planner',
      tool('write_design', {
        tdd: {
          stack: ['Node.js 20', 'node --test for tests'],
          architecture: 'One ES module per feature, no server framework; amounts are integers in cents.',
          modules: [{ name: 'src/total.js', responsibility: 'Order totals' }],
          risks: ['None worth naming'],
        },
        interfaces: [{ name: 'total', kind: 'module', signature: 'total(lines: {price, quantity}[]): number', description: 'The order total in cents.' }],
        schema: { entities: [{ name: 'Line', fields: [{ name: 'price', type: 'integer (cents)' }, { name: 'quantity', type: 'integer' }] }] },
      }),
    ),
    turn('planner', tool('write_task_graph', { tasks: tasks.map(plannedTask) })),
  ];
}

/** A task's Builder: writes its files, then reports DONE (the runtime runs the gates itself). */
export function builderTurns(task: SampleTask, summary = `${task.title}: done, with tests.`): CassetteTurn[] {
  const lane = `builder@${task.id}`;
  return [
    turn(lane, ...Object.entries(task.files).map(([file, content]) => tool('write_file', { path: file, content }))),
    turn(lane, tool('report_status', { status: 'DONE', summary, changed_files: Object.keys(task.files) })),
  ];
}

/** The task review in the build: spec, then quality, both passing. */
export function taskReviewTurns(taskId: string): CassetteTurn[] {
  const lane = `critic@${taskId}`;
  return [
    turn(lane, tool('report_review', { stage: 'spec', verdict: 'pass', findings: [], summary: 'Every acceptance criterion has a test.' })),
    turn(lane, tool('report_review', { stage: 'quality', verdict: 'pass', findings: [], summary: 'Small, tested, nothing to add.' })),
  ];
}

/** Building and reviewing each task. */
export function buildTaskTurns(tasks: readonly SampleTask[]): CassetteTurn[] {
  return tasks.flatMap((task) => [...builderTurns(task), ...taskReviewTurns(task.id)]);
}

// ---------------------------------------------------------------------------------------------
// The stage agents.

export interface Citation {
  readonly file: string;
  readonly line: number;
}

/** A report_scores input: every dimension at `score`, each citing `cite`. */
export function scorecard(score: number, cite: Citation = { file: 'src/total.js', line: 3 }): Record<string, unknown> {
  const entry = { score, reason: `scored ${score} after running the tests`, evidence: [cite, { ran: 'npm test' }], ...(score < 5 ? { improvement: 'say what an empty order shows' } : {}) };
  return { scores: Object.fromEntries(DIMENSION_IDS.map((id) => [id, entry])), findings: [], recommendations: ['Keep amounts in cents.'] };
}

const stageDone = (agent: string, summary: string): CassetteTurn => turn(agent, tool('report_status', { status: 'DONE', summary }));

/** The Critic: each scorecard in turn (a rejected one is followed by its correction), then report_status. */
export function criticTurns(...cards: Record<string, unknown>[]): CassetteTurn[] {
  const reports = cards.length === 0 ? [scorecard(4)] : cards;
  return [...reports.map((card) => turn('critic', tool('report_scores', card))), stageDone('critic', 'Scored the product; the verdict is the runtime\'s.')];
}

/** A finding as the Security agent reports it. */
export interface AgentSecurityFinding {
  readonly domain: string;
  readonly severity: string;
  readonly title: string;
  readonly file: string;
  readonly line: number;
  readonly evidence: string;
  readonly exploit: string;
  readonly fix: string;
}

/** The Security agent: every domain checked, its own findings (none by default), then report_status. */
export function securityTurns(findings: readonly AgentSecurityFinding[] = []): CassetteTurn[] {
  const domains = Object.fromEntries(SECURITY_DOMAIN_IDS.map((id) => [id, { status: 'checked', summary: 'Read the code for it.' }]));
  return [turn('security', tool('report_security_findings', { domains, findings })), stageDone('security', 'Reviewed the twenty domains.')];
}

/** The Verifier: a QA pass and a checklist that all pass (so any HOLD is the runtime's own), then report_status. */
export function verifierTurns(): CassetteTurn[] {
  const checklist = Object.fromEntries(['readme', 'how_to_run', 'version', 'licence', 'changelog'].map((item) => [item, { status: 'pass', evidence: `checked the ${item}` }]));
  return [
    turn('verifier', tool('report_qa', { checklist, qa: [{ criterion: 'an order totals its lines', result: 'passed', evidence: 'npm test: 2 passed' }] })),
    stageDone('verifier', 'QA pass and checklist done.'),
  ];
}

/** Maintenance: proposes `tasks` (its own ids; the runtime renumbers them) with the evidence. */
export function maintenanceTurns(tasks: readonly SampleTask[], evidence: string): CassetteTurn[] {
  return [turn('maintenance', text('I reproduced it.'), tool('propose_tasks', { tasks: tasks.map(plannedTask), evidence }))];
}

/** A run with nothing to find: plan and build `tasks`, then every stage agent reports once. */
export function shipTurns(tasks: readonly SampleTask[]): CassetteTurn[] {
  return [...planTurns(tasks), ...buildTaskTurns(tasks), ...criticTurns(), ...securityTurns(), ...verifierTurns()];
}

// ---------------------------------------------------------------------------------------------
// The fake model, the scripts, what the tests read.

const servers = new Set<FakeServer>();

/** Starts the fake server with `turns` (closed by releaseCleanup). */
export async function startReleaseModel(description: string, turns: readonly CassetteTurn[]): Promise<FakeServer> {
  const cassette: Cassette = { description, turns: [...turns] } as Cassette;
  const server = await startFakeServer({ cassette });
  servers.add(server);
  return server;
}

/** For afterEach: ends the CLIs, removes the temp directories and closes the fake servers. */
export async function releaseCleanup(): Promise<void> {
  await cleanup();
  await Promise.all([...servers].map((s) => s.close()));
  servers.clear();
}

/** A fresh home (set up, fast retries) and the sample project's directory in it (not created yet). */
export function releaseHome(name = 'till'): { h: TestHome; dir: string } {
  const h = makeHome({ setupComplete: true });
  writeSettings(h.home);
  return { h, dir: h.projectDir(name) };
}

/** One headless CLI run of `script` against `server`. */
export function runRelease(server: FakeServer, h: TestHome, script: readonly string[]): Promise<HeadlessResult> {
  return runHeadless({ home: h.home, env: modelEnv(server), script, timeoutMs: 60_000 });
}

/** The person's lines from nothing to a built project: the welcome, !plan, !build and its yes. */
export function buildLines(dir: string): string[] {
  return [...newProjectLines(dir, { brief: 'Order totals for a café till' }), '!plan', '!build', 'yes'];
}

/** The person's lines that reopen the one registered project from the resume menu. */
export const RESUME_LINES = ['Start agent 0', '1'];

export interface HandoffJson {
  version: number;
  stage: string;
  milestone?: string;
  history: { event: string; from: string; to: string }[];
  tasks: { id: string; status: string; sha?: string; receipts: { gate: string; exitCode: number | null }[] }[];
}

/** Where a project's artifacts are, and readers for the files the tests assert on. */
export function projectFiles(h: TestHome, dir: string) {
  const entry = registeredEntry(h, dir);
  if (!entry) throw new Error(`${dir} is not registered in ${h.contextFile}`);
  const artifacts = h.artifactsDir(entry.id);
  const read = (name: string) => readFileSync(path.join(artifacts, name), 'utf8');
  return {
    artifacts,
    read,
    handoff: () => readJson<HandoffJson>(path.join(artifacts, 'HANDOFF.json')),
    json: <T>(name: string) => readJson<T>(path.join(artifacts, name)),
    sast: () => read('SAST_FINDINGS.jsonl').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as SastFinding),
    stage: () => registeredEntry(h, dir)?.stage,
  };
}

export interface SastFinding {
  id: string;
  severity: string;
  file: string;
  line: number;
  status: string;
  source: string;
  evidence: string;
  commit?: string;
  acceptedReason?: string;
}

/** What the CLI printed in answer to each time the person typed `line` (headless output), in order. */
export function answersTo(stdout: string, line: string): string[] {
  return stdout
    .split(`› ${line}\n`)
    .slice(1)
    .map((after) => after.split('\n› ')[0]!);
}

/** `git log` subjects, oldest first. */
export function gitSubjects(dir: string): string[] {
  return execFileSync('git', ['log', '--reverse', '--format=%s'], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
}

/** Runs git in the project as the person would (with an identity of its own). */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Person', '-c', 'user.email=person@example.com', ...args], { cwd: dir, encoding: 'utf8' });
}
