import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { releaseVerdict } from '../../src/core/release/release-report.js';
import { describeReleaseChecks, runtimeHoldReasons, type ReleaseChecks } from '../../src/core/release/release-checks.js';
import { createGitPort } from '../../src/git/git-port.js';
import { createReleaseChecks } from '../../src/release/release-checks-adapter.js';
import { runCommand } from '../../src/sandbox/process-runner.js';
import { createTempRepo, PLANTED, type TempRepo } from '../scanners/temp-repo.js';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

const SUM = 'export function sum(a, b) {\n  return a + b;\n}\n';
const FAILING_TEST = "import test from 'node:test';\nimport assert from 'node:assert';\nimport { sum } from '../src/sum.js';\ntest('sum', () => assert.equal(sum(2, 2), 5));\n";
const PASSING_TEST = FAILING_TEST.replace('5));', '4));');

async function nodeProject(test: string): Promise<TempRepo> {
  repo = await createTempRepo();
  await repo.write('package.json', JSON.stringify({ name: 'demo', version: '1.0.0', type: 'module', scripts: { test: 'node --test' } }, null, 2));
  await repo.write('src/sum.js', SUM);
  await repo.write('test/sum.test.js', test);
  repo.commit('initial');
  return repo;
}

const checks = () => createReleaseChecks({ git: createGitPort(), coverageThreshold: 80, timeoutMs: 60_000 });

function withClean(clean: ReleaseChecks['clean']): ReleaseChecks {
  return { at: 't', clean, tasks: { ok: true, done: [], excused: [], problems: [] }, security: { ok: true, reason: 'no open finding' } };
}

const report = {
  checklist: Object.fromEntries(['readme', 'how_to_run', 'version', 'licence', 'changelog'].map((k) => [k, { status: 'pass', evidence: 'seen' }])) as never,
  qa: [{ criterion: 'sum adds', result: 'passed' as const, evidence: 'ran it' }],
};

describe('the clean-worktree release run', () => {
  it('holds the release when the committed test fails, though an uncommitted fix passes in the working tree', async () => {
    const project = await nodeProject(FAILING_TEST);
    await project.write('test/sum.test.js', PASSING_TEST); // uncommitted
    const working = await runCommand({ command: 'npm test', cwd: project.root, timeoutMs: 60_000, maxOutputBytes: 1 << 20 });
    expect(working.exitCode).toBe(0);

    const worktreeDir = path.join(path.dirname(project.root), 'artifacts', 'worktrees', 'verify-1');
    const clean = await checks().cleanRun({ projectPath: project.root, worktreeDir });
    expect(clean.worktree.ok).toBe(true);
    expect(clean.commit).toBe(project.git('rev-parse', 'HEAD'));
    expect(clean.gates.commands).toEqual([{ name: 'test', command: 'npm test' }]);
    expect(clean.gates.receipts[0]?.exitCode).not.toBe(0);

    const reasons = runtimeHoldReasons(withClean(clean));
    expect(reasons[0]).toMatch(/^gate `test` \(`npm test`\) failed in a clean worktree of commit [0-9a-f]{12}/);
    expect(releaseVerdict(withClean(clean), report).verdict).toBe('HOLD');
    // The worktree and its branch are gone; the person's work is untouched.
    expect(await readdir(path.dirname(worktreeDir))).toEqual([]);
    expect(project.git('branch', '--list', 'codesleuth/*')).toBe('');
    expect(project.git('status', '--porcelain')).toBe('M test/sum.test.js');
  }, 120_000);

  it('ships a committed passing suite, with coverage measured by node --test', async () => {
    const project = await nodeProject(PASSING_TEST);
    const clean = await checks().cleanRun({ projectPath: project.root, worktreeDir: path.join(path.dirname(project.root), 'wt') });
    expect(clean.gates.receipts.map((r) => r.exitCode)).toEqual([0]);
    expect(clean.coverage).toMatchObject({ kind: 'measured', command: 'node --test --experimental-test-coverage', threshold: 80 });
    expect(clean.coverage.kind === 'measured' && clean.coverage.percent).toBeGreaterThanOrEqual(80);
    expect(releaseVerdict(withClean(clean), report)).toEqual({ verdict: 'SHIP', reasons: [] });
  }, 120_000);

  it('runs the checks where a project below the repository top lives, and reports its release files', async () => {
    repo = await createTempRepo();
    await repo.write('README.md', '# The monorepo\n');
    await repo.write('LICENSE', 'MIT\n');
    await repo.write('apps/tidy/package.json', JSON.stringify({ name: 'tidy', version: '2.1.0', type: 'module', scripts: { test: 'node --test' } }, null, 2));
    await repo.write('apps/tidy/README.md', '# Tidy\n');
    await repo.write('apps/tidy/src/sum.js', SUM);
    await repo.write('apps/tidy/test/sum.test.js', PASSING_TEST);
    repo.commit('initial');

    const clean = await checks().cleanRun({ projectPath: path.join(repo.root, 'apps', 'tidy'), worktreeDir: path.join(path.dirname(repo.root), 'wt') });
    expect(clean.worktree.ok).toBe(true);
    expect(clean.gates.commands).toEqual([{ name: 'test', command: 'npm test' }]);
    expect(clean.gates.receipts.map((r) => r.exitCode)).toEqual([0]);
    expect(clean.files).toEqual({ readme: 'README.md', licence: '../../LICENSE', changelog: null, manifest: 'package.json', version: '2.1.0' });
    expect(await readdir(path.dirname(repo.root))).toEqual(['project']); // the worktree is gone
  }, 120_000);

  it("runs the person's gate override instead of package.json's, and says when a project cannot be checked out", async () => {
    const project = await nodeProject(FAILING_TEST);
    const clean = await checks().cleanRun({ projectPath: project.root, worktreeDir: path.join(path.dirname(project.root), 'wt'), gateCommands: [{ name: 'check', command: 'test -f src/sum.js' }] });
    expect(clean.gates).toMatchObject({ source: 'override', commands: [{ name: 'check', command: 'test -f src/sum.js' }] });
    expect(clean.gates.receipts[0]?.exitCode).toBe(0);

    const plain = await createTempRepo({ git: false });
    try {
      const refused = await checks().cleanRun({ projectPath: plain.root, worktreeDir: path.join(path.dirname(plain.root), 'wt') });
      expect(refused.worktree.ok).toBe(false);
      expect(runtimeHoldReasons(withClean(refused))[0]).toContain("the build's HEAD could not be checked out into a clean worktree");
    } finally {
      await plain.cleanup();
    }
  }, 120_000);

  it("verifies the tip of the build's branch, not the person's checkout elsewhere, and says which commit it verified", async () => {
    const project = await nodeProject(FAILING_TEST);
    const main = project.git('rev-parse', '--abbrev-ref', 'HEAD');
    project.git('checkout', '-q', '-b', 'codesleuth-build');
    await project.write('test/sum.test.js', PASSING_TEST);
    project.commit('TASK-001: fix the test');
    const built = project.git('rev-parse', 'HEAD');
    project.git('checkout', '-q', main); // the person went back to the branch whose test fails
    const elsewhere = project.git('rev-parse', 'HEAD');

    const clean = await checks().cleanRun({ projectPath: project.root, branch: 'codesleuth-build', worktreeDir: path.join(path.dirname(project.root), 'wt') });
    expect(clean.commit).toBe(built);
    expect(clean.gates.receipts.map((r) => r.exitCode)).toEqual([0]);
    expect(clean).toMatchObject({ branch: 'codesleuth-build', checkout: `${main} at ${elsewhere.slice(0, 12)}` });
    const described = describeReleaseChecks(withClean(clean));
    expect(described).toContain(`in a clean worktree of commit ${built.slice(0, 12)}, the tip of the build's branch codesleuth-build:`);
    expect(described).toContain(`- your checkout is elsewhere (${main} at ${elsewhere.slice(0, 12)}); what was verified is commit ${built.slice(0, 12)}`);
    expect(project.git('rev-parse', 'HEAD')).toBe(elsewhere);

    // On the build's branch, nothing is said about the checkout.
    project.git('checkout', '-q', 'codesleuth-build');
    const here = await checks().cleanRun({ projectPath: project.root, branch: 'codesleuth-build', worktreeDir: path.join(path.dirname(project.root), 'wt') });
    expect(here.commit).toBe(built);
    expect(here.checkout).toBeUndefined();

    // A recorded branch that no longer exists is said, with what to do.
    const gone = await checks().cleanRun({ projectPath: project.root, branch: 'deleted-branch', worktreeDir: path.join(path.dirname(project.root), 'wt') });
    expect(gone.worktree.ok).toBe(false);
    expect(gone.worktree.message).toContain("the build's branch deleted-branch, recorded in HANDOFF.json, could not be checked out");
  }, 120_000);
});

describe('the scanners through the release port', () => {
  it('find a planted AWS-style key and an eval of the request body at their file:line', async () => {
    repo = await createTempRepo();
    await repo.write('config.js', `// settings\nexport const key = '${PLANTED.awsKeyId}';\n`);
    await repo.write('src/server.js', `app.post('/run', (req, res) => {\n  res.send(String(${PLANTED.evalOnRequest}));\n});\n`);
    repo.commit('add');
    const result = await checks().scan(repo.root);
    const at = result.findings.map((f) => `${f.file}:${f.line}:${f.severity}`);
    expect(at).toContain('config.js:2:CRITICAL');
    expect(at.some((a) => a.startsWith('src/server.js:2:'))).toBe(true);
    expect(result.notes.some((n) => n.scanner === 'deps' && !n.ran)).toBe(true);
  }, 60_000);
});
