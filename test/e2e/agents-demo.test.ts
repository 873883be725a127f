// The offline showcase: `codesleuth demo DIR --home H` walks the pipeline on its own, and
// `codesleuth --demo` lets a person drive the REPL against the bundled scripted model. Neither
// needs a key or the network: the environment points at a dead port and has no key.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJson } from '../helpers/fixtures.js';
import { cleanup, makeHome, runHeadless, spawnCli } from '../helpers/pty-cli.js';
import { createProjectInRepl, noKeyEnv } from '../helpers/fake-model.js';

afterEach(cleanup);

/** Nothing listens on the discard port: a run that tried the "real" API would fail. */
const OFFLINE = noKeyEnv('http://127.0.0.1:9');

describe('codesleuth demo DIR --home H', () => {
  it('exits 0 after printing the walk, and leaves the artifacts and a git repository', async () => {
    const h = makeHome();
    const dir = h.projectDir('showcase');
    // The whole product: five builds with real `npm test` runs, two clean-worktree release checks.
    const run = await runHeadless({ args: ['demo', dir, '--home', h.home], env: OFFLINE, timeoutMs: 150_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('CodeSleuth demo — offline: the model is a local fake replaying demo/cassette.json.');
    expect(run.stdout).toContain(`Home:    ${h.home}`);
    expect(run.stdout).toContain(`Project: ${dir}`);
    // The walk: the interview, the spec, the gate, the plan.
    expect(run.stdout).toContain('A shared to-do list for a café team — good. Who will use it day to day, and on what devices?');
    expect(run.stdout).toMatch(/Discovery wrote:\n\s+\S+feature-spec\.md/);
    expect(run.stdout).toContain('!plan passed: Discovery → Planning. HANDOFF.json is now v1');
    expect(run.stdout).toMatch(/Planner wrote:\n(\s+\S+\n)*\s+\S+TASK-GRAPH\.md/);
    expect(run.stdout).toContain(`The demo reached its end. Artifacts: ${path.join(h.home, 'artifacts')}`);
    expect(run.stdout).not.toContain('ANTHROPIC_API_KEY is not set');

    const [id] = readdirSync(path.join(h.home, 'artifacts'));
    const artifacts = path.join(h.home, 'artifacts', id!);
    for (const name of ['feature-spec.md', 'TDD.md', 'INTERFACES.md', 'SCHEMA.md', 'TASK-GRAPH.md', 'HANDOFF.json', 'telemetry/token_log.jsonl']) {
      expect(existsSync(path.join(artifacts, name)), name).toBe(true);
    }
    expect(readJson<{ project: { path: string } }>(path.join(artifacts, 'HANDOFF.json'))).toMatchObject({ project: { path: dir } });
    expect(existsSync(path.join(dir, '.git', 'HEAD'))).toBe(true);
    expect(readFileSync(path.join(dir, '.git', 'HEAD'), 'utf8')).toMatch(/^ref: refs\/heads\//);

    // The build: one commit per task, each DONE only with a receipt of the runtime's own `npm test` run.
    const log = execFileSync('git', ['log', '--format=%H %s'], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
    const taskCommits = log.filter((line) => / TASK-\d{3}: /.test(line)).reverse();
    expect(taskCommits.map((line) => line.slice(41))).toEqual([
      'TASK-001: Task store with atomic saves',
      'TASK-002: HTTP API for tasks',
      'TASK-003: Phone page for the list',
      'TASK-004: README, licence and changelog',
      'TASK-005: Hint on an empty shift',
    ]);
    const body = execFileSync('git', ['log', '-1', '--format=%b', taskCommits[0]!.slice(0, 40)], { cwd: dir, encoding: 'utf8' });
    expect(body).toMatch(/Gates: PASS \(1 of 1 passed\)\n- test: `npm test` → exit 0/);
    const handoff = readJson<{ tasks: { id: string; status: string; sha: string; receipts: { exitCode: number }[] }[]; milestone?: string }>(path.join(artifacts, 'HANDOFF.json'));
    expect(handoff.tasks.map((t) => [t.id, t.status, t.sha])).toEqual(taskCommits.map((line, i) => [`TASK-00${i + 1}`, 'DONE', line.slice(0, 40)]));
    expect(handoff.milestone).toBe('shipped');
    expect(handoff.tasks.every((t) => t.receipts.length > 0 && t.receipts.every((r) => r.exitCode === 0))).toBe(true);
    const report = readFileSync(path.join(artifacts, 'BUILD_REPORT.md'), 'utf8');
    for (const line of taskCommits) expect(report).toContain(line.slice(0, 12));
    expect(readFileSync(path.join(artifacts, 'TASK-GRAPH.md'), 'utf8')).toMatch(/\| TASK-005 \| Hint on an empty shift \| S \| DONE \|/);

    // The Critic: an N/A without the spec's words is refused by the runtime; the verdict is computed.
    expect(run.stdout).toMatch(/report_scores: N\/A not allowed[\s\S]*verdict SHIP_READY; wrote CRITICISM\.md/);
    expect(run.stdout).toContain('Critic verdict: SHIP_READY (mean 4.09), computed from the scores:');
    expect(readJson<{ verdict: string }>(path.join(artifacts, 'CRITICISM.json')).verdict).toBe('SHIP_READY');
    // Security: the runtime's scanners, then the agent's twenty domains; MEDIUM and LOW do not block.
    expect(run.stdout).toContain('Security review: 2 findings (1 MEDIUM, 1 LOW). Release gate: PASS');
    const sast = readFileSync(path.join(artifacts, 'SAST_FINDINGS.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { severity: string; file: string; line: number });
    expect(sast.map((f) => [f.severity, f.file, f.line])).toEqual(expect.arrayContaining([['MEDIUM', 'src/server.js', 25], ['LOW', 'src/server.js', 7]]));
    // The Verifier: the gates in a clean worktree of HEAD, coverage, evidence per task; SHIP, twice.
    expect(run.stdout.match(/Release verdict: SHIP, computed from what was checked:/g)).toHaveLength(2);
    expect(run.stdout).toMatch(/coverage: \d+\.\d+% \(threshold 80%/);
    expect(run.stdout).toContain('tasks: 5 with evidence, 0 skipped by the person, 0 without evidence');
    expect(readFileSync(path.join(artifacts, 'RELEASE.md'), 'utf8')).toContain('SHIP');
    // Maintenance: the person's request becomes TASK-005, built and committed like the others.
    expect(run.stdout).toContain('The project is in Maintenance now; agent 7 (Maintenance) takes your request.');
    expect(run.stdout).toContain('Maintenance added TASK-005');
    expect(readFileSync(path.join(dir, 'public', 'index.html'), 'utf8')).toContain('No tasks for this shift yet');
    const context = readJson<{ registered_projects: { stage: string }[] }>(path.join(h.home, 'config', 'context.json'));
    expect(context.registered_projects[0]!.stage).toBe('maintenance');
    // Nothing of the build is left behind: no task branch, no worktree, a clean tree.
    expect(execFileSync('git', ['branch', '--list', 'codesleuth/*'], { cwd: dir, encoding: 'utf8' }).trim()).toBe('');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' }).trim()).toBe('');
  }, 180_000);
});

describe('codesleuth --demo', () => {
  it('lets the person type the brief and answers with the scripted Discovery agent', async () => {
    const h = makeHome({ setupComplete: true });
    const cli = spawnCli({ home: h.home, args: ['--demo'], env: OFFLINE });
    await createProjectInRepl(cli, h.projectDir('my-cafe'), 'A shared to-do list for our café');
    await cli.waitFor('agent 1 (Discovery) is starting.');
    // Said up front, before the welcome: the replies are scripted, whatever the person types.
    const screen = cli.screen();
    expect(screen.indexOf('Demo mode: the model is a local fake replaying the showcase script')).toBeGreaterThan(-1);
    expect(screen.indexOf('Demo mode:')).toBeLessThan(screen.indexOf('1/3 What does the project do?'));
    await cli.waitFor('A shared to-do list for a café team — good. Who will use it day to day, and on what devices?');
    await cli.type('The shift lead and three baristas, on their phones.');
    await cli.waitFor('Clear. What does a task hold, and is anything stored besides the tasks?');
    await cli.type('!quit');
    expect(await cli.waitForExit()).toBe(0);
    expect(cli.screen()).not.toContain('ANTHROPIC_API_KEY is not set');
  });
});
