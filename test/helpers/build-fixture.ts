// The Builder's end-to-end fixture: a real sample project (a small Node package whose
// `npm test` runs a real `node --test` suite, committed in its own git repository) and the
// cassette that takes it to the build: one Discovery turn (write_feature_spec), one Planner turn
// (write_design, then write_task_graph with the test's tasks), then per task the Builder's and
// the reviewer's turns (lanes builder@TASK-NNN / critic@TASK-NNN). A test states only its tasks
// and the turns that differ from "write the files, report DONE, pass both review stages".
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Cassette, FakeServer, RecordedRequest } from '../../src/fake-server/index.js';
import { bodyOf, messageCalls, modelEnv, startFakeModelWith, writeSettings, type MessagesBody } from './fake-model.js';
import { readJson, registeredEntry } from './fixtures.js';
import { makeHome, runHeadless, type HeadlessResult, type TestHome } from './pty-cli.js';

type Turn = Cassette['turns'][number];
type Block = Turn['content'][number];
type Fault = NonNullable<Turn['fault']>;

/** One task of the sample plan. `files`: what the default Builder turn writes (paths relative to the project). */
export interface SampleTask {
  readonly id: string;
  readonly title: string;
  readonly files: Readonly<Record<string, string>>;
  readonly dependsOn?: readonly string[];
  /** The task's output_files; default: the keys of `files`. */
  readonly outputFiles?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// The sample project.

/** The sample package as it is before the build: one module with a passing `node --test` suite. */
export const SAMPLE_FILES: Readonly<Record<string, string>> = {
  'package.json': `${JSON.stringify({ name: 'sample-math', version: '0.1.0', private: true, type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`,
  'src/sum.js': 'export function sum(a, b) {\n  return a + b;\n}\n',
  'test/sum.test.js': "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { sum } from '../src/sum.js';\n\ntest('sum adds', () => {\n  assert.equal(sum(2, 3), 5);\n});\n",
};

/** Runs git in `dir` and returns its trimmed stdout. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
}

/** Writes files under `dir` (directories created as needed). */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** Creates the sample project in `dir`: SAMPLE_FILES committed on `main` as "Initial sample project". */
export function makeSampleProject(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFiles(dir, SAMPLE_FILES);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  // An identity of its own: the machine running the tests may have none configured.
  git(dir, '-c', 'user.name=Sample Person', '-c', 'user.email=person@example.com', 'commit', '-q', '-m', 'Initial sample project');
}

/** A module `src/<name>.js` exporting `name` = body, and its test asserting `expr` (both real node --test code). */
export function moduleWithTest(name: string, body: string, assertion: string): Record<string, string> {
  return {
    [`src/${name}.js`]: `export function ${name}(n) {\n  ${body}\n}\n`,
    [`test/${name}.test.js`]: `import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { ${name} } from '../src/${name}.js';\n\ntest('${name} works', () => {\n  ${assertion}\n});\n`,
  };
}

// ---------------------------------------------------------------------------------------------
// Content blocks and turns.

let toolIds = 0;
const toolId = (kind: string): string => `toolu_${kind}_${++toolIds}`;

export function writeFile(filePath: string, content: string): Block {
  return { type: 'tool_use', id: toolId('write'), name: 'write_file', input: { path: filePath, content } };
}

/** write_file blocks for each file. */
function writeAll(files: Readonly<Record<string, string>>): Block[] {
  return Object.entries(files).map(([p, c]) => writeFile(p, c));
}

export type ReportInput = {
  readonly status?: 'DONE' | 'DONE_WITH_CONCERNS' | 'NEEDS_CONTEXT' | 'BLOCKED';
  readonly summary?: string;
  readonly changed_files?: readonly string[];
  readonly questions?: readonly string[];
  readonly concerns?: readonly string[];
  readonly blocker?: string;
};

export function reportStatus(input: ReportInput = {}): Block {
  const { status = 'DONE', summary = 'Done; the tests pass.', ...rest } = input;
  return { type: 'tool_use', id: toolId('report'), name: 'report_status', input: { status, summary, ...rest } };
}

/** One Builder turn in `taskId`'s lane. */
export function builderTurn(taskId: string, content: readonly Block[], fault?: Fault): Turn {
  return { agent: `builder@${taskId}`, content: [...content], ...(fault ? { fault } : {}) };
}

/** The default Builder run: write `files`, then report DONE naming them (one turn). */
export function buildsFiles(taskId: string, files: Readonly<Record<string, string>>, options: { fault?: Fault; summary?: string } = {}): Turn {
  return builderTurn(taskId, [...writeAll(files), reportStatus({ summary: options.summary ?? `${taskId} written; its tests pass.`, changed_files: Object.keys(files) })], options.fault);
}

/** A finding as report_review takes it. */
export interface Finding {
  readonly severity: 'critical' | 'important' | 'minor';
  readonly file: string;
  readonly line: number;
  readonly problem: string;
  readonly fix: string;
}

/** One reviewer turn in `taskId`'s lane: report_review for `stage`. */
export function reviewTurn(taskId: string, stage: 'spec' | 'quality', verdict: 'pass' | 'changes_requested' = 'pass', findings: readonly Finding[] = [], summary?: string): Turn {
  return {
    agent: `critic@${taskId}`,
    content: [
      {
        type: 'tool_use',
        id: toolId('review'),
        name: 'report_review',
        input: { stage, verdict, findings: [...findings], summary: summary ?? (verdict === 'pass' ? `${stage} review: nothing to change.` : `${stage} review: changes needed.`) },
      },
    ],
  };
}

/** Both review stages pass (two reviewer turns). */
export function reviewPasses(taskId: string): Turn[] {
  return [reviewTurn(taskId, 'spec'), reviewTurn(taskId, 'quality')];
}

// ---------------------------------------------------------------------------------------------
// The cassette.

const FEATURE_SPEC_INPUT = {
  summary: 'A tiny maths library for the team, with tests.',
  users: ['Developers who need small number helpers'],
  features: [{ id: 'F-01', name: 'Number helpers', description: 'Small functions over numbers, each with a test.', acceptance_criteria: ['Every helper has a passing node --test test'] }],
  data: [],
  non_functional: ['Plain Node.js, no dependencies'],
  out_of_scope: ['A user interface'],
  open_questions: [],
};

const DESIGN_INPUT = {
  tdd: {
    stack: ['Node.js 20 ES modules', 'node --test for tests'],
    architecture: 'One small module per helper under src/, each with a test under test/.',
    modules: [{ name: 'src/', responsibility: 'The helpers' }],
    risks: [],
  },
  interfaces: [{ name: 'helpers', kind: 'module', signature: 'export function <name>(n)', description: 'Each helper is a named export of its own module.' }],
};

/** The write_task_graph input for `tasks`. */
function taskGraphInput(tasks: readonly SampleTask[]): Record<string, unknown> {
  return {
    tasks: tasks.map((t) => ({
      id: t.id,
      title: t.title,
      description: `Implement ${t.title.toLowerCase()} with a node --test test.`,
      acceptance_criteria: [`${t.title} works and its test passes`],
      output_files: [...(t.outputFiles ?? Object.keys(t.files))],
      depends_on: [...(t.dependsOn ?? [])],
      size: 'S',
    })),
  };
}

export interface BuildCassetteOptions {
  readonly tasks: readonly SampleTask[];
  /** Per task, the Builder's turns instead of the default one (buildsFiles with the task's files). */
  readonly builder?: Readonly<Record<string, readonly Turn[]>>;
  /** Per task, the reviewer's turns instead of the default two passes. */
  readonly critic?: Readonly<Record<string, readonly Turn[]>>;
}

/** Discovery, Planner, then each task's Builder and reviewer turns. */
export function buildCassette(options: BuildCassetteOptions): Cassette {
  const turns: Turn[] = [
    { agent: 'discovery', content: [{ type: 'tool_use', id: toolId('spec'), name: 'write_feature_spec', input: FEATURE_SPEC_INPUT }] },
    {
      agent: 'planner',
      content: [
        { type: 'tool_use', id: toolId('design'), name: 'write_design', input: DESIGN_INPUT },
        { type: 'tool_use', id: toolId('graph'), name: 'write_task_graph', input: taskGraphInput(options.tasks) },
      ],
    },
  ];
  for (const task of options.tasks) {
    turns.push(...(options.builder?.[task.id] ?? [buildsFiles(task.id, task.files)]));
    turns.push(...(options.critic?.[task.id] ?? reviewPasses(task.id)));
  }
  return { description: 'Builder e2e: generated by test/helpers/build-fixture.ts', turns };
}

// ---------------------------------------------------------------------------------------------
// The person's lines.

/** The welcome for the existing sample repository, Discovery's spec, !plan (the Planner's graph): the build can start. */
export function toBuildLines(dir: string): string[] {
  return ['Start agent 0', 'A tiny maths library', 'cli', dir, '!plan'];
}

/** Resumes the first registered project (the resume menu's 1). */
export const RESUME_LINES: readonly string[] = ['Start agent 0', '1'];

// ---------------------------------------------------------------------------------------------
// One build test: a home, the sample project, the fake server with the generated cassette.

export interface BuildSetup {
  readonly h: TestHome;
  /** The sample project (its own git repository). */
  readonly dir: string;
  readonly server: FakeServer;
  /** The project's artifacts directory (once the welcome has registered it). */
  artifacts(): string;
  /** A headless run of `lines` (--script) against the fake server. */
  run(lines: readonly string[], timeoutMs?: number): Promise<HeadlessResult>;
}

/**
 * A build runs real `npm test` gate runs (about a second each on an idle machine, several on a
 * busy one): the Builder's end-to-end tests get this much time each.
 */
export const BUILD_TEST = { timeout: 90_000 } as const;

/** What a test's cassette may need to know before it is written. */
export interface BuildPaths {
  readonly home: string;
  readonly dir: string;
}

export type BuildSetupOptions = BuildCassetteOptions & { readonly settings?: Record<string, unknown> };

/** One worker and quick retries unless `settings` say otherwise. */
export async function setUpBuild(options: BuildSetupOptions | ((paths: BuildPaths) => BuildSetupOptions)): Promise<BuildSetup> {
  const h = makeHome({ setupComplete: true });
  const dir = h.projectDir('sample');
  const resolved = typeof options === 'function' ? options({ home: h.home, dir }) : options;
  writeSettings(h.home, { max_workers: 1, ...resolved.settings });
  makeSampleProject(dir);
  const server = await startFakeModelWith(buildCassette(resolved));
  return {
    h,
    dir,
    server,
    artifacts: () => {
      const entry = registeredEntry(h, dir);
      if (!entry) throw new Error(`${dir} is not registered in ${h.contextFile}`);
      return h.artifactsDir(entry.id);
    },
    run: (lines, timeoutMs = 60_000) => runHeadless({ home: h.home, env: modelEnv(server), script: [...lines], timeoutMs }),
  };
}

/** The task a request works on: the first TASK-NNN of its first message (as the fake server's lanes). */
function laneOf(request: RecordedRequest): string | undefined {
  const first = bodyOf(request).messages[0];
  return first === undefined ? undefined : /\bTASK-\d{3,}\b/.exec(blocksText(first.content))?.[0];
}

/** The Messages API calls of `agent` for `taskId`, in order. */
export function laneCalls(server: Pick<FakeServer, 'requests'>, agent: string, taskId: string): RecordedRequest[] {
  return messageCalls(server, agent).filter((r) => laneOf(r) === taskId);
}

function blocksText(content: MessagesBody['messages'][number]['content']): string {
  if (typeof content === 'string') return content;
  return content
    .map((b) => (typeof b.text === 'string' ? b.text : typeof b.content === 'string' ? b.content : Array.isArray(b.content) ? blocksText(b.content as Array<Record<string, unknown>>) : ''))
    .join('\n');
}

/** Everything the last (user) message of a request says: its text and tool results. */
export function lastUserText(request: RecordedRequest): string {
  const last = bodyOf(request).messages.at(-1);
  return last === undefined ? '' : blocksText(last.content);
}

// ---------------------------------------------------------------------------------------------
// What the build left.

export interface TaskRecordJson {
  readonly id: string;
  readonly status: string;
  readonly attempts: number;
  readonly sha?: string;
  readonly landedSha?: string;
  readonly reason?: string;
  readonly reviewRounds: number;
  readonly review?: string;
  readonly concerns: readonly string[];
  readonly changedFiles: readonly string[];
  readonly receipts: ReadonlyArray<{ readonly gate: string; readonly command: string; readonly exitCode: number; readonly outputTail: string }>;
}

export interface BuildHandoffJson {
  readonly stage: string;
  readonly milestone?: string;
  readonly tasks: readonly TaskRecordJson[];
  readonly build?: {
    readonly decisions: ReadonlyArray<{ readonly id: string; readonly taskId: string; readonly question: string; readonly answer?: string }>;
    readonly snapshot?: { readonly ref: string; readonly files: readonly string[]; readonly restore: string };
    readonly gateScripts?: Readonly<Record<string, string>>;
  };
}

/** HANDOFF.json of the one project in `home`'s artifacts. */
export function readHandoff(artifacts: string): BuildHandoffJson {
  return readJson<BuildHandoffJson>(path.join(artifacts, 'HANDOFF.json'));
}

export function taskRecord(artifacts: string, id: string): TaskRecordJson {
  const found = readHandoff(artifacts).tasks.find((t) => t.id === id);
  if (!found) throw new Error(`no record of ${id} in ${artifacts}/HANDOFF.json`);
  return found;
}

/** The subjects of the commits on HEAD, oldest first. */
export function commitSubjects(dir: string): string[] {
  return git(dir, 'log', '--reverse', '--format=%s').split('\n');
}

/** The files a commit changed, sorted. */
export function filesOf(dir: string, rev: string): string[] {
  return git(dir, 'show', '--name-only', '--format=', rev).split('\n').filter((f) => f !== '').sort();
}

/** The project's task branches (codesleuth/*) and the worktrees besides the main one. */
export function leftovers(dir: string): { branches: string[]; worktrees: string[] } {
  const branches = git(dir, 'branch', '--list', 'codesleuth/*', '--format=%(refname:short)').split('\n').filter((b) => b !== '');
  const worktrees = git(dir, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).map((l) => l.slice('worktree '.length)).slice(1);
  return { branches, worktrees };
}

/** Polls `check` every 50 ms (for state another process writes: HANDOFF.json, the server's requests). */
export async function waitUntil(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `| TASK-001 | title | S | STATUS |` rows of TASK-GRAPH.md as [id, status]. */
export function graphStatuses(artifacts: string): Array<[string, string]> {
  const text = readFileSync(path.join(artifacts, 'TASK-GRAPH.md'), 'utf8');
  return [...text.matchAll(/^\| (TASK-\d{3}) \|[^|]*\|[^|]*\| ([A-Z-_]+) \|/gm)].map((m) => [m[1]!, m[2]!]);
}
