// Maintenance through the built CLI: a shipped project, reopened in a new run, goes to
// Maintenance; the person's bug becomes a task that continues the numbering, the Builder builds
// it with receipts and a commit, and !verify checks the project again and ships it again.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyOf, invalidCalls, messageCalls } from '../helpers/fake-model.js';
import {
  TOTAL_JS,
  TOTAL_TEST_JS,
  answersTo,
  buildLines,
  builderTurns,
  firstTask,
  git,
  gitSubjects,
  maintenanceTurns,
  projectFiles,
  releaseCleanup,
  releaseHome,
  RESUME_LINES,
  runRelease,
  shipTurns,
  startReleaseModel,
  taskReviewTurns,
  verifierTurns,
} from '../helpers/release-fixture.js';

afterEach(releaseCleanup);

const BUG = 'A line without a quantity makes the total NaN: total([{ price: 250 }]) should be 250 (it is in TASK-001).';

/** Maintenance's task: a line without a quantity counts once, with a test that reproduces the bug. */
const FIX = {
  id: 'TASK-001',
  title: 'Count a line without a quantity as one item',
  description: 'total() multiplies by an undefined quantity; count such a line once.',
  acceptance_criteria: ['total([{ price: 250 }]) is 250'],
  depends_on: [],
  files: {
    'src/total.js': TOTAL_JS.replace('line.price * line.quantity', 'line.price * (line.quantity ?? 1)'),
    'test/total.test.js': `${TOTAL_TEST_JS}\ntest('a line without a quantity counts once', () => {\n  assert.equal(total([{ price: 250 }]), 250);\n});\n`,
  },
};

describe('a shipped project in Maintenance', () => {
  it('is resumed into Maintenance; the bug becomes TASK-002, built and committed with receipts, and !verify ships it again', async () => {
    const task = firstTask();
    const server = await startReleaseModel('ship, then a maintenance fix', [
      ...shipTurns([task]),
      ...maintenanceTurns([FIX], 'node -e "total([{ price: 250 }])" printed NaN'),
      ...builderTurns({ ...FIX, id: 'TASK-002' }, 'A line without a quantity counts once; a test reproduces the bug.'),
      ...taskReviewTurns('TASK-002'),
      ...verifierTurns(),
    ]);
    const { h, dir } = releaseHome();
    const shipped = await runRelease(server, h, [...buildLines(dir), '!critic', '!security', '!verify']);
    expect(shipped.code).toBe(0);
    const f = projectFiles(h, dir);
    expect(f.stage()).toBe('shipped');
    const firstRelease = f.json<{ commit: string }>('RELEASE.json').commit;

    const run = await runRelease(server, h, [...RESUME_LINES, BUG, '!build', '!verify', '!status']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(invalidCalls(server)).toEqual([]);
    expect(Object.values(server.remainingTurns()).every((n) => n === 0)).toBe(true);

    // Resumed into Maintenance; the person's words start agent 7.
    expect(run.stdout).toMatch(/Resumed till in Maintenance/);
    expect(run.stdout).toContain('The project has shipped. Describe a bug or a small change and Maintenance turns it into tasks');
    const maintenance = messageCalls(server, 'maintenance');
    expect(maintenance).toHaveLength(1);
    expect(JSON.stringify(bodyOf(maintenance[0]!).messages[0])).toContain('total([{ price: 250 }]) should be 250');

    // Its proposal continues the numbering, after the task it builds on.
    expect(answersTo(run.stdout, BUG)[0]).toMatch(/Maintenance added TASK-002 to \S+TASK-GRAPH\.md, approved as maintenance tasks/);
    expect(f.read('TASK-GRAPH.md')).toMatch(/\| TASK-002 \| Count a line without a quantity as one item \| S \| DONE \|/);

    // Built like any task: the runtime's gates, the review, one commit with the receipts.
    const build = answersTo(run.stdout, '!build')[0]!;
    expect(build).toMatch(/✓ TASK-002 DONE — commit [0-9a-f]{12}/);
    expect(build).toContain('Gates: PASS (1 of 1 passed)');
    expect(build).toContain('Type !verify to verify the project again.');
    expect(gitSubjects(dir).slice(-2)).toEqual(['TASK-001: Order totals', 'TASK-002: Count a line without a quantity as one item']);
    expect(git(dir, 'log', '-1', '--format=%b')).toMatch(/Gates: PASS \(1 of 1 passed\)\n- test: `npm test` → exit 0/);
    expect(readFileSync(path.join(dir, 'src', 'total.js'), 'utf8')).toContain('(line.quantity ?? 1)');
    expect(execFileSync(process.execPath, ['--test'], { cwd: dir, encoding: 'utf8' })).toMatch(/# pass 3/);
    const handoff = f.handoff();
    expect(handoff.tasks.map((t) => [t.id, t.status, t.receipts.length > 0 && t.receipts.every((r) => r.exitCode === 0)])).toEqual([
      ['TASK-001', 'DONE', true],
      ['TASK-002', 'DONE', true],
    ]);

    // Verified again on a clean checkout of the new HEAD: SHIP, the stage staying Maintenance.
    const verify = answersTo(run.stdout, '!verify')[0]!;
    expect(verify).toContain('agent 6 (Verifier) is verifying again.');
    // The scanners ran again over the new code before the release checks.
    expect(verify.indexOf('Running the security scanners')).toBeLessThan(verify.indexOf('into a clean worktree'));
    expect(verify).toContain('Security report updated from the new scan: no new open finding; release gate PASS');
    expect(verify).toContain('- tasks: 2 with evidence, 0 skipped by the person, 0 without evidence');
    expect(verify).toContain('Release verdict: SHIP');
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    expect(head).not.toBe(firstRelease);
    expect(f.json('RELEASE.json')).toMatchObject({ verdict: 'SHIP', commit: head });
    expect(answersTo(run.stdout, '!status')[0]).toContain('Stage:    Maintenance — shipped');
    expect(f.stage()).toBe('maintenance');
    expect(handoff).toMatchObject({ stage: 'maintenance', milestone: 'shipped' });
    const events = handoff.history.map((e) => e.event);
    // Each release check is recorded, the second SHIP too (the milestone was already shipped).
    expect(events.slice(events.indexOf('release verdict SHIP'))).toEqual(['release verdict SHIP', 'resume (shipped)', 'maintenance tasks', 'BUILD_REPORT.md renewed with the approved tasks', 'release verdict SHIP']);
  }, 120_000);
});
