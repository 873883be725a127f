// Build → !critic → !security → !verify through the built CLI against the fake server, on a
// sample Node project with a real `node --test` suite: the verdicts are the runtime's, computed
// from the scripted agents' reports and from the checks the runtime ran itself.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyOf, invalidCalls, messageCalls, systemText } from '../helpers/fake-model.js';
import {
  answersTo,
  buildLines,
  builderTurns,
  buildTaskTurns,
  criticTurns,
  firstTask,
  git,
  gitSubjects,
  planTurns,
  projectFiles,
  releaseCleanup,
  releaseHome,
  runRelease,
  RESUME_LINES,
  scorecard,
  securityTurns,
  shipTurns,
  startReleaseModel,
  taskReviewTurns,
  TOTAL_JS,
} from '../helpers/release-fixture.js';

afterEach(releaseCleanup);

describe('the release pipeline, headless', () => {
  it('goes build → !critic → !security → !verify → shipped, each gate advancing HANDOFF.json and the registry', async () => {
    const task = firstTask();
    const server = await startReleaseModel('full release run', shipTurns([task]));
    const { h, dir } = releaseHome();

    const run = await runRelease(server, h, [...buildLines(dir), '!critic', '!security', '!verify', '!status']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(server.remainingTurns()).toEqual({ discovery: 0, planner: 0, 'builder@TASK-001': 0, 'critic@TASK-001': 0, critic: 0, security: 0, verifier: 0 });
    expect(invalidCalls(server)).toEqual([]);

    // Each gate advanced HANDOFF.json, and each verdict was the runtime's, said on the way.
    expect([...run.stdout.matchAll(/!(\w+) passed: .*HANDOFF\.json is now v(\d+)/g)].map((m) => `${m[1]} v${m[2]}`)).toEqual(['plan v1', 'build v2', 'critic v4', 'security v6', 'verify v8']);
    expect(run.stdout).toContain('Critic verdict: SHIP_READY (mean 4.00), computed from the scores:');
    expect(run.stdout).toContain('Security review: 0 findings. Release gate: PASS');
    expect(run.stdout).toMatch(/- gate test \(`npm test`, from package\.json\): passed\n- coverage: 100\.00% \(threshold 80%/);
    expect(run.stdout).toContain('Release verdict: SHIP, computed from what was checked:');
    const status = answersTo(run.stdout, '!status')[0]!;
    expect(status).toContain('Stage:    Verifier — shipped');
    expect(status).toContain('Next:     describe a bug or a small change and Maintenance turns it into tasks');

    const f = projectFiles(h, dir);
    const handoff = f.handoff();
    expect(handoff).toMatchObject({ stage: 'verification', milestone: 'shipped', version: 9 });
    // The milestones in order, each after its gate: built, critiqued, secured, shipped.
    expect(handoff.history.map((e) => e.event)).toEqual(['create', '!plan', '!build', 'build complete', '!critic', 'critic verdict SHIP_READY', '!security', 'security review passed', '!verify', 'release verdict SHIP']);
    expect(f.stage()).toBe('shipped');

    expect(f.json<{ verdict: string; mean: number }>('CRITICISM.json')).toMatchObject({ verdict: 'SHIP_READY', mean: 4 });
    expect(f.read('CRITICISM.md')).toContain('SHIP_READY');
    expect(f.sast()).toEqual([]);
    expect(f.read('SECURITY_REPORT.md')).toMatch(/PASS/);
    expect(f.json<{ verdict: string; reasons: string[]; commit: string }>('RELEASE.json')).toMatchObject({ verdict: 'SHIP', reasons: [] });
    const release = f.read('RELEASE.md');
    expect(release).toContain('Verdict: **SHIP**');
    expect(release).toContain('- gate test (`npm test`, from package.json): passed');

    // One commit for the one task; the clean worktree and its branch are gone.
    expect(gitSubjects(dir).at(-1)).toBe('TASK-001: Order totals');
    expect(f.json<{ commit: string }>('RELEASE.json').commit).toBe(git(dir, 'rev-parse', 'HEAD').trim());
    expect(git(dir, 'branch', '--list', 'codesleuth/*').trim()).toBe('');
    expect(git(dir, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  }, 90_000);

  it('rejects a Critic report citing a line that does not exist, back to the model, and computes the verdict from the corrected one; !critic fix builds its finding', async () => {
    const task = firstTask();
    const finding = { title: 'An empty order is not explained', detail: 'total([]) is 0 with no word why.', evidence: [{ file: 'src/total.js', line: 1 }] };
    const fix = { id: 'TASK-002', title: 'fix', description: 'fix', acceptance_criteria: ['explained'], files: { 'src/total.js': TOTAL_JS.replace('each line is a price times a quantity.', 'each line is a price times a quantity; an empty order is 0.') } };
    const server = await startReleaseModel('critic cites a missing line, then its finding is fixed', [
      ...planTurns([task]),
      ...buildTaskTurns([task]),
      // All 5s would be SHIP_READY; that card is rejected, and the corrected card (all 3s) decides.
      ...criticTurns(scorecard(5, { file: 'src/total.js', line: 40 }), { ...scorecard(3, { file: 'src/total.js', line: 3 }), findings: [finding] }),
      ...builderTurns(fix),
      ...taskReviewTurns('TASK-002'),
      ...criticTurns(scorecard(4)),
      ...securityTurns(),
    ]);
    const { h, dir } = releaseHome();

    const run = await runRelease(server, h, [...buildLines(dir), '!critic', '!critic fix', '!security']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(Object.values(server.remainingTurns()).every((n) => n === 0)).toBe(true);
    expect(invalidCalls(server)).toEqual([]);

    // The request after the rejected report carries the error as the tool's result.
    // The stage's Critic, not the task reviews of the build (their first message is "Review TASK-00N: ...").
    const critic = messageCalls(server, 'critic').filter((call) => !JSON.stringify(bodyOf(call).messages[0]).includes('Review TASK-'));
    expect(critic).toHaveLength(5);
    const results = bodyOf(critic[1]!).messages.at(-1)!.content as { type: string; is_error?: boolean; content: unknown }[];
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ type: 'tool_result', is_error: true });
    const error = JSON.stringify(results[0]!.content);
    expect(error).toContain('report_scores rejected. 12 cited locations do not exist in the project');
    expect(error).toContain('`src/total.js:40`: the file has 4 lines, so line 40 does not exist');
    expect(answersTo(run.stdout, '!critic')[0]).toContain('Critic verdict: CONDITIONAL (mean 3.00), computed from the scores:');

    // !critic fix: the finding became TASK-002, built and committed; the Critic looked again.
    const fixed = answersTo(run.stdout, '!critic fix')[0]!;
    expect(fixed).toMatch(/!critic fix: added TASK-002 to \S+TASK-GRAPH\.md/);
    expect(fixed).toMatch(/✓ TASK-002 DONE — commit [0-9a-f]{12}/);
    expect(fixed).toContain('Critic verdict: SHIP_READY (mean 4.00)');
    expect(gitSubjects(dir).at(-1)).toBe('TASK-002: Fix: An empty order is not explained');
    // The report of the fix task did not make !critic's approval stale: !security goes through.
    expect(answersTo(run.stdout, '!security')[0]).toContain('!security passed: Critic → Security');

    const f = projectFiles(h, dir);
    const criticism = f.json<{ verdict: string; mean: number; scores: { id: string; score: number; evidence: unknown[] }[] }>('CRITICISM.json');
    expect(criticism).toMatchObject({ verdict: 'SHIP_READY', mean: 4 });
    const events = f.handoff().history.map((e) => e.event);
    expect(events.slice(events.indexOf('!critic'))).toEqual([
      '!critic',
      'critic verdict CONDITIONAL',
      'critic fix tasks',
      'BUILD_REPORT.md renewed with the approved tasks',
      '!security',
      'security review passed',
    ]);
  }, 90_000);

  it('holds the release when the committed HEAD fails its tests in a clean worktree, though the working tree passes', async () => {
    const task = firstTask();
    const server = await startReleaseModel('a fix that was never committed', shipTurns([task]));
    const { h, dir } = releaseHome();
    const built = await runRelease(server, h, [...buildLines(dir), '!critic', '!security']);
    expect(built.code).toBe(0);
    const f = projectFiles(h, dir);
    expect(f.stage()).toBe('secured');

    // The person commits a change that breaks the totals, then fixes it in the working tree only.
    writeFileSync(path.join(dir, 'src', 'total.js'), TOTAL_JS.replace('line.price * line.quantity', 'line.price'));
    git(dir, 'commit', '-am', 'Price per line only');
    writeFileSync(path.join(dir, 'src', 'total.js'), TOTAL_JS);
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    expect(execFileSync(process.execPath, ['--test'], { cwd: dir, encoding: 'utf8' })).toMatch(/# fail 0/);

    const run = await runRelease(server, h, [...RESUME_LINES, '!verify']);
    expect(run.stderr).toBe('');
    expect(server.remainingTurns()).toMatchObject({ verifier: 0 });
    const reason = `gate \`test\` (\`npm test\`) failed in a clean worktree of commit ${head.slice(0, 12)}: exit 1 — uncommitted changes do not count`;
    expect(run.stdout).toContain('Release verdict: HOLD, computed from:');
    expect(run.stdout).toContain(`• ${reason}`);
    const release = f.read('RELEASE.md');
    expect(release).toContain('Verdict: **HOLD**');
    expect(release).toContain(`- ${reason}`);
    expect(release).toContain('- gate test (`npm test`, from package.json): FAILED (exit 1)');
    expect(f.json('RELEASE.json')).toMatchObject({ verdict: 'HOLD', commit: head });
    // The receipt of the clean run: the runtime's own `npm test`, failing on the committed code.
    const checks = f.json<{ clean: { commit: string; gates: { receipts: { gate: string; command: string; exitCode: number; outputTail: string }[] } } }>('RELEASE_CHECKS.json');
    expect(checks.clean.commit).toBe(head);
    expect(checks.clean.gates.receipts).toEqual([expect.objectContaining({ gate: 'test', command: 'npm test', exitCode: 1 })]);
    expect(checks.clean.gates.receipts[0]!.outputTail).toMatch(/not ok \d+ - an order totals its lines/);
    // The Verifier was shown the failing output; the project did not ship.
    expect(systemText(bodyOf(messageCalls(server, 'verifier')[0]!))).toContain('Output of the failed gate `npm test`');
    expect(f.handoff().milestone).toBe('secured');
    expect(f.stage()).toBe('verification');
    expect(git(dir, 'status', '--porcelain').trim()).toBe('M src/total.js');
  }, 120_000);
});
