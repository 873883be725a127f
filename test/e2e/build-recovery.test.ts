// The person's work and a crash, end to end. Uncommitted work (modified, staged, untracked)
// before !build is set aside to a snapshot ref that really restores it, or committed as the
// person's own commit, or left alone; and a CLI killed in the middle of a task resumes with
// !continue: the task restarts cleanly, DONE tasks are never redone, no worktree is left.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, makeTempDir, spawnCli } from '../helpers/pty-cli.js';
import { closeFakeModels, modelEnv } from '../helpers/fake-model.js';
import { RESUME_LINES, builderTurn, buildsFiles, commitSubjects, filesOf, git, laneCalls, leftovers, moduleWithTest, readHandoff, reportStatus, setUpBuild, taskRecord, toBuildLines, waitUntil, writeFile, writeFiles, BUILD_TEST } from '../helpers/build-fixture.js';

afterEach(async () => {
  await cleanup();
  await closeFakeModels();
});

const DOUBLE_TASK = { id: 'TASK-001', title: 'Double helper', files: moduleWithTest('double', 'return n * 2;', 'assert.equal(double(2), 4);') };
const TASK_FILES = ['src/double.js', 'test/double.test.js'];
const PERSON_FILES = ['NOTES.md', 'scratch.txt', 'src/sum.js'];

/** The person's uncommitted work: a modified file, a staged new file, an untracked file. */
function makeDirty(dir: string): void {
  writeFiles(dir, { 'src/sum.js': 'export function sum(a, b) {\n  return a + b; // mine, not committed\n}\n', 'NOTES.md': 'staged notes\n', 'scratch.txt': 'untracked scratch\n' });
  git(dir, 'add', 'NOTES.md');
}

/** What `git status` and the files say, to compare before and after. */
function workState(dir: string) {
  return { status: git(dir, 'status', '--porcelain'), staged: git(dir, 'diff', '--cached', '--name-only'), contents: PERSON_FILES.map((f) => readFileSync(path.join(dir, f), 'utf8')) };
}

describe('a dirty tree before !build', BUILD_TEST, () => {
  it('aside: saves modified, staged and untracked files to a snapshot ref, builds, and the printed commands bring them all back', async () => {
    const b = await setUpBuild({ tasks: [DOUBLE_TASK] });
    makeDirty(b.dir);
    const before = workState(b.dir);
    expect(before.status).toBe('A  NOTES.md\n M src/sum.js\n?? scratch.txt');

    const run = await b.run([...toBuildLines(b.dir), '!build', 'yes', 'aside']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${b.dir} has uncommitted changes (3 files):\n  NOTES.md\n  src/sum.js\n  scratch.txt\nThe Builder never sweeps them into a task commit.`);
    const snapshot = readHandoff(b.artifacts()).build?.snapshot;
    expect(snapshot?.ref).toMatch(/^refs\/codesleuth\/snapshots\/\S+-before-build$/);
    expect(snapshot?.files).toEqual(PERSON_FILES);
    expect(run.stdout).toContain(`Set aside your uncommitted changes (3 files); they are kept at ${snapshot!.ref}.\n${snapshot!.restore}`);
    expect(git(b.dir, 'for-each-ref', '--format=%(refname)', 'refs/codesleuth/snapshots')).toBe(snapshot!.ref);

    // The task commit holds the task's files only; the person's work is out of the tree.
    expect(commitSubjects(b.dir)).toEqual(['Initial sample project', 'TASK-001: Double helper']);
    expect(filesOf(b.dir, 'HEAD')).toEqual(TASK_FILES);
    expect(git(b.dir, 'status', '--porcelain')).toBe('');

    // Restoring with exactly the printed commands brings back all three kinds, staged still staged.
    const commands = snapshot!.restore.split('\n').filter((line) => line.startsWith('  ')).map((line) => line.trim());
    execFileSync('sh', ['-c', commands.join(' && ')], { encoding: 'utf8' });
    expect(workState(b.dir)).toEqual(before);
  });

  it('cancel leaves everything as it was; commit (later, after !continue) makes the person\'s own commit, kept out of the task\'s', async () => {
    const b = await setUpBuild({ tasks: [DOUBLE_TASK] });
    makeDirty(b.dir);
    const before = workState(b.dir);
    const head = git(b.dir, 'rev-parse', 'HEAD');

    const cancelled = await b.run([...toBuildLines(b.dir), '!build', 'yes', 'cancel']);
    expect(cancelled.stderr).toBe('');
    expect(cancelled.stdout).toContain('Build not started; your files are exactly as they were. Commit or move them, then type !continue.');
    expect(workState(b.dir)).toEqual(before);
    expect(git(b.dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(b.dir, 'for-each-ref', 'refs/codesleuth')).toBe('');
    expect(laneCalls(b.server, 'builder', 'TASK-001')).toEqual([]);

    const committed = await b.run([...RESUME_LINES, '!continue', 'commit']);
    expect(committed.stderr).toBe('');
    expect(committed.code).toBe(0);
    expect(committed.stdout).toMatch(/Committed your changes as [0-9a-f]{12} \("Work in progress before the CodeSleuth build"\)\./);
    expect(commitSubjects(b.dir)).toEqual(['Initial sample project', 'Work in progress before the CodeSleuth build', 'TASK-001: Double helper']);
    expect(filesOf(b.dir, 'HEAD~1')).toEqual(PERSON_FILES);
    expect(filesOf(b.dir, 'HEAD')).toEqual(TASK_FILES);
    expect(git(b.dir, 'show', 'HEAD~1:src/sum.js')).toContain('// mine, not committed');
    expect(git(b.dir, 'status', '--porcelain')).toBe('');
  });
});

/**
 * A two-task build killed while TASK-002 waits on a slow model turn, after it wrote a
 * half-finished file and TASK-001 is DONE; the third scripted turn finishes it on resume.
 */
async function killedDuringTask002(maxWorkers: number) {
  const square = moduleWithTest('square', 'return n * n;', 'assert.equal(square(3), 9);');
  const b = await setUpBuild({
    settings: { max_workers: maxWorkers },
    tasks: [DOUBLE_TASK, { id: 'TASK-002', title: 'Square helper', files: square }],
    builder: {
      'TASK-002': [
        builderTurn('TASK-002', [writeFile('src/square.js', 'export function square(n) {\n  // half-written\n')]),
        // The kill lands while the server holds this answer back.
        builderTurn('TASK-002', [reportStatus({ summary: 'never delivered' })], { kind: 'slow', delayMs: 60_000 }),
        buildsFiles('TASK-002', square),
      ],
    },
  });
  const script = path.join(makeTempDir('codesleuth-script-'), 'script.txt');
  writeFileSync(script, `${[...toBuildLines(b.dir), '!build', 'yes'].join('\n')}\n`);
  const cli = spawnCli({ home: b.h.home, args: ['--script', script], env: modelEnv(b.server) });
  const recordOf = (id: string) => {
    try {
      return readHandoff(b.artifacts()).tasks.find((t) => t.id === id);
    } catch {
      return undefined; // not registered or being written
    }
  };
  await waitUntil('TASK-001 DONE and TASK-002 waiting on its slow turn', () => recordOf('TASK-001')?.status === 'DONE' && laneCalls(b.server, 'builder', 'TASK-002').length === 2, 30_000);
  process.kill(cli.pid, 'SIGKILL');
  await cli.exitCode();
  return { b, recordOf };
}

describe('a kill in the middle of a task', BUILD_TEST, () => {
  it('resumes with !continue: the IN-PROGRESS task restarts from its checkpoint, the DONE one is not redone, no worktree is left', async () => {
    const { b, recordOf } = await killedDuringTask002(2);

    const artifacts = b.artifacts();
    const done = taskRecord(artifacts, 'TASK-001');
    expect(recordOf('TASK-002')?.status).toBe('IN-PROGRESS');
    expect(leftovers(b.dir).worktrees).toEqual([path.join(artifacts, 'worktrees', 'TASK-002-1')]);
    const callsBefore = { builder: laneCalls(b.server, 'builder', 'TASK-001').length, critic: laneCalls(b.server, 'critic', 'TASK-001').length };
    expect(callsBefore).toEqual({ builder: 1, critic: 2 });

    const run = await b.run([...RESUME_LINES, '!continue']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const cleaned = /Cleaned up 1 worktree left by an earlier run\. Its unfinished work is kept at (\S+)\./.exec(run.stdout);
    expect(cleaned).not.toBeNull();
    expect(git(b.dir, 'show', `${cleaned![1]!}:src/square.js`)).toContain('// half-written');
    expect(run.stdout).toContain('Builder (agent 3) is building 1 task. Ctrl+C stops it');
    expect(run.stdout).toContain('Build complete: 2 tasks DONE, one commit each');

    // TASK-002 ran again from scratch in a fresh worktree; TASK-001 was not asked for again.
    const square2 = laneCalls(b.server, 'builder', 'TASK-002');
    expect(square2).toHaveLength(3);
    expect(JSON.stringify(square2[2]!.body)).toContain(path.join(artifacts, 'worktrees', 'TASK-002-2'));
    expect({ builder: laneCalls(b.server, 'builder', 'TASK-001').length, critic: laneCalls(b.server, 'critic', 'TASK-001').length }).toEqual(callsBefore);
    expect(taskRecord(artifacts, 'TASK-001')).toEqual(done);
    expect(taskRecord(artifacts, 'TASK-002')).toMatchObject({ status: 'DONE', attempts: 2 });
    expect(commitSubjects(b.dir).filter((s) => s.startsWith('TASK-'))).toEqual(['TASK-001: Double helper', 'TASK-002: Square helper']);
    expect(git(b.dir, 'show', 'HEAD:src/square.js')).toContain('return n * n;');
    expect(leftovers(b.dir)).toEqual({ branches: [], worktrees: [] });
    expect(git(b.dir, 'status', '--porcelain')).toBe('');
    expect(b.server.remainingTurns()).toMatchObject({ 'builder@TASK-002': 0, 'critic@TASK-002': 0 });
  });
});

describe('a kill in the middle of a task working in the project directory (max_workers 1)', BUILD_TEST, () => {
  it('sets what the task had written aside to a ref named for it without asking, restarts it from its checkpoint, and loses nothing', async () => {
    const { b, recordOf } = await killedDuringTask002(1);

    // The half-written file is in the project itself, uncommitted, and HANDOFF says where the task started.
    const head = git(b.dir, 'rev-parse', 'HEAD');
    expect(recordOf('TASK-002')).toMatchObject({ status: 'IN-PROGRESS', inPlace: { base: head } });
    expect(git(b.dir, 'status', '--porcelain')).toBe('?? src/square.js');

    const run = await b.run([...RESUME_LINES, '!continue']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('has uncommitted changes');
    const kept = /TASK-002 was interrupted; what it had written is kept at (refs\/codesleuth\/snapshots\/\S+-task-002-interrupted) \(1 file: everything that was uncommitted in the project/.exec(run.stdout);
    expect(kept).not.toBeNull();
    expect(git(b.dir, 'show', `${kept![1]!}:src/square.js`)).toContain('// half-written');
    expect(run.stdout).toContain(`TASK-002 restarts from its checkpoint ${head.slice(0, 12)}.`);
    expect(run.stdout).toContain('Build complete: 2 tasks DONE, one commit each');

    // The task ran again from a clean tree; its commit holds the finished file, not the half-written one, and no commit is the person's.
    expect(laneCalls(b.server, 'builder', 'TASK-002')).toHaveLength(3);
    expect(laneCalls(b.server, 'builder', 'TASK-001')).toHaveLength(1);
    expect(commitSubjects(b.dir)).toEqual(['Initial sample project', 'TASK-001: Double helper', 'TASK-002: Square helper']);
    expect(git(b.dir, 'show', 'HEAD:src/square.js')).toContain('return n * n;');
    expect(taskRecord(b.artifacts(), 'TASK-002')).toMatchObject({ status: 'DONE', attempts: 2 });
    expect(git(b.dir, 'status', '--porcelain')).toBe('');
    expect(leftovers(b.dir)).toEqual({ branches: [], worktrees: [] });
  });
});

describe('the budget running out between tasks', BUILD_TEST, () => {
  it('stops before TASK-002 sends anything, pauses, and after !budget extend, !resume and !continue builds it', async () => {
    const square = moduleWithTest('square', 'return n * n;', 'assert.equal(square(3), 9);');
    const b = await setUpBuild({ tasks: [DOUBLE_TASK, { id: 'TASK-002', title: 'Square helper', files: square }] });
    // per_task holds the build after TASK-001; a budget below what was spent then stops TASK-002 before its first call.
    const run = await b.run([...toBuildLines(b.dir), '!autonomy per_task', '!build', 'yes', '!budget set 0.01', '!continue', '!continue', '!budget extend 5', '!resume', '!continue', '!continue']);
    expect(run.stderr).toBe('');
    const [, afterHold] = run.stdout.split('› !budget set 0.01');
    const [stopped, afterExtend] = afterHold!.split('› !budget extend 5');
    expect(stopped).toContain('TASK-002: stopped before spending past the budget (nothing was sent); it restarts from its last checkpoint when the build goes on.');
    expect(stopped).toMatch(/The build stopped before spending past the budget: Stopped before calling \S+: .*The budget of \$0\.0100 is used up/);
    expect(stopped).toContain('The project is paused: after !budget extend, type !resume, then !continue.');
    // While paused, !continue says what to do instead of only where it is valid.
    expect(stopped).toContain('the project is paused in building. Type !resume first.');
    // One Builder call for TASK-002 in all, after the extension: the refused one never reached the server.
    expect(laneCalls(b.server, 'builder', 'TASK-002')).toHaveLength(1);
    expect(afterExtend).toContain('Resumed Builder; agent 3 (Builder) is active. The build is not finished: type !continue to go on.');
    expect(afterExtend).toContain('Builder (agent 3) is building 1 task. Ctrl+C stops it');
    expect(afterExtend).toContain('Build complete: 2 tasks DONE, one commit each');
    expect(commitSubjects(b.dir).filter((s) => s.startsWith('TASK-'))).toEqual(['TASK-001: Double helper', 'TASK-002: Square helper']);
    expect(taskRecord(b.artifacts(), 'TASK-002')).toMatchObject({ status: 'DONE' });
  });
});

/** A two-task build in per_task autonomy, left after TASK-001 committed (the REPL quit at the stop). */
async function stoppedAfterFirstTask(): Promise<Awaited<ReturnType<typeof setUpBuild>>> {
  const square = moduleWithTest('square', 'return n * n;', 'assert.equal(square(3), 9);');
  const b = await setUpBuild({ tasks: [DOUBLE_TASK, { id: 'TASK-002', title: 'Square helper', files: square }] });
  const first = await b.run([...toBuildLines(b.dir), '!autonomy per_task', '!build', 'yes', '!quit']);
  expect(first.stderr).toBe('');
  return b;
}

describe('the person switching branch in the middle of a build', BUILD_TEST, () => {
  it('asks before a task lands on the other branch; cancel leaves it alone, and back on the first branch the build goes on there', async () => {
    const b = await stoppedAfterFirstTask();
    const started = git(b.dir, 'rev-parse', '--abbrev-ref', 'HEAD');
    expect(readHandoff(b.artifacts()).build).toMatchObject({ branch: started });
    git(b.dir, 'switch', '-q', '-c', 'side');

    const asked = await b.run([...RESUME_LINES, '!continue', 'cancel']);
    expect(asked.stdout).toContain('The build is not finished: type !continue to go on.');
    expect(asked.stdout).toContain(`The build started on branch ${started}; the project is now on side.`);
    expect(asked.stdout).toContain('Build not started; nothing was changed.');
    expect(laneCalls(b.server, 'builder', 'TASK-002')).toHaveLength(0);
    expect(git(b.dir, 'log', '--format=%s', 'side')).not.toContain('TASK-002');

    git(b.dir, 'switch', '-q', started);
    const resumed = await b.run([...RESUME_LINES, '!continue', '!continue']);
    expect(resumed.stderr).toBe('');
    expect(resumed.stdout).not.toContain('the project is now on');
    expect(resumed.stdout).toContain('Build complete: 2 tasks DONE, one commit each');
    expect(commitSubjects(b.dir).filter((s) => s.startsWith('TASK-'))).toEqual(['TASK-001: Double helper', 'TASK-002: Square helper']);
    expect(git(b.dir, 'log', '--format=%s', 'side')).not.toContain('TASK-002');
  });
});

describe('the person editing TASK-GRAPH.md in the middle of a build', BUILD_TEST, () => {
  it('builds nothing from the changed graph until !build re-approves it, then goes on', async () => {
    const b = await stoppedAfterFirstTask();
    const graphFile = path.join(b.artifacts(), 'TASK-GRAPH.md');
    const graph = readFileSync(graphFile, 'utf8');
    expect(graph).toContain('### TASK-002');
    writeFileSync(graphFile, graph.replace('### TASK-002\n', '### TASK-002\n\nAlso accept negative numbers.\n'));

    const refused = await b.run([...RESUME_LINES, '!continue']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('The Builder runs only what was approved, and an approval no longer holds:');
    expect(refused.stdout).toMatch(/• TASK-GRAPH\.md changed since !build approved it \(.+\); review it and type !build again to re-approve\./);
    expect(laneCalls(b.server, 'builder', 'TASK-002')).toHaveLength(0);

    const run = await b.run([...RESUME_LINES, '!build', '!continue']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Re-approved [^\n]*TASK-GRAPH\.md with !build/);
    expect(run.stdout).toContain('Build complete: 2 tasks DONE, one commit each');
    // The Builder was given the graph as re-approved.
    expect(JSON.stringify(laneCalls(b.server, 'builder', 'TASK-002')[0]!.body)).toContain('Also accept negative numbers.');
  });
});
