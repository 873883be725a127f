// The Builder's gates and patrol end to end: the built CLI, headless, builds the sample project
// (a Node package with a real `node --test` suite) against the fake server. What counts is what
// the runtime ran and recorded: the failing output the Builder is sent back, the receipts in
// HANDOFF.json and the commit, and the tasks that never run.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '../helpers/pty-cli.js';
import { closeFakeModels, invalidCalls, messageCalls } from '../helpers/fake-model.js';
import { builderTurn, buildsFiles, commitSubjects, git, graphStatuses, laneCalls, lastUserText, moduleWithTest, readHandoff, setUpBuild, taskRecord, toBuildLines, BUILD_TEST } from '../helpers/build-fixture.js';

afterEach(async () => {
  await cleanup();
  await closeFakeModels();
});

/** src/double.js with `body`, and a test that expects double(2) to be 4. */
const double = (body: string) => moduleWithTest('double', body, 'assert.equal(double(2), 4);');
const DOUBLE_TASK = { id: 'TASK-001', title: 'Double helper', files: double('return n * 2;') };

describe('the gates decide, not the Builder', BUILD_TEST, () => {
  it('sends a failing test run back with its output twice, then commits the passing work once, failures recorded', async () => {
    const b = await setUpBuild({
      tasks: [DOUBLE_TASK],
      builder: { 'TASK-001': [buildsFiles('TASK-001', double('return n + n + 1;')), buildsFiles('TASK-001', double('return n * 3;')), buildsFiles('TASK-001', double('return n * 2;'))] },
    });
    const run = await b.run([...toBuildLines(b.dir), '!build', 'yes']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    // Each report of DONE was checked by the runtime's own `npm test`; the failure went back verbatim.
    const calls = laneCalls(b.server, 'builder', 'TASK-001');
    expect(calls).toHaveLength(3);
    expect(lastUserText(calls[1]!)).toContain('The gate `test` failed: `npm test` ended with exit 1.');
    expect(lastUserText(calls[1]!)).toContain('This is repair attempt 1 of 5');
    expect(lastUserText(calls[1]!)).toContain('5 !== 4');
    expect(lastUserText(calls[2]!)).toContain('This is repair attempt 2 of 5');
    expect(lastUserText(calls[2]!)).toContain('6 !== 4');
    expect(invalidCalls(b.server)).toEqual([]);

    const record = taskRecord(b.artifacts(), 'TASK-001');
    expect(record).toMatchObject({ status: 'DONE', attempts: 1, failedGateRuns: 2, changedFiles: ['src/double.js', 'test/double.test.js'] });
    expect(record.receipts).toHaveLength(1);
    expect(record.receipts[0]).toMatchObject({ gate: 'test', command: 'npm test', exitCode: 0 });
    expect(record.receipts[0]!.outputTail).toMatch(/# pass 2\n# fail 0/);
    // One commit, with the passing receipt and the repairs in its body; it is the task's checkpoint.
    expect(commitSubjects(b.dir)).toEqual(['Initial sample project', 'TASK-001: Double helper']);
    expect(record.sha).toBe(git(b.dir, 'rev-parse', 'HEAD'));
    const body = git(b.dir, 'log', '-1', '--format=%b');
    expect(body).toMatch(/Gates: PASS \(1 of 1 passed\)\n- test: `npm test` → exit 0/);
    expect(body).toContain('Repairs: the gates failed 2 times before this run passed; each failure went back to the Builder with its output.');
    expect(git(b.dir, 'show', 'HEAD:src/double.js')).toContain('return n * 2;');
    expect(graphStatuses(b.artifacts())).toEqual([['TASK-001', 'DONE']]);
    expect(run.stdout).toContain('• the gates failed 2 times first; the Builder repaired it each time');
    expect(run.stdout).toContain('Build complete: 1 task DONE, one commit each');
  });

  it('BLOCKS a task after 5 failed repairs with the last receipts; its dependent never runs and the person reads why', async () => {
    const wrong = [3, 4, 5, 6, 7, 8].map((k) => buildsFiles('TASK-001', double(`return n * ${k};`)));
    const b = await setUpBuild({
      tasks: [DOUBLE_TASK, { id: 'TASK-002', title: 'Quadruple helper', files: moduleWithTest('quad', 'return n * 4;', 'assert.equal(quad(1), 4);'), dependsOn: ['TASK-001'] }],
      // No turns for TASK-002 and no review: any request for them would be an error.
      builder: { 'TASK-001': wrong, 'TASK-002': [] },
      critic: { 'TASK-001': [], 'TASK-002': [] },
    });
    const run = await b.run([...toBuildLines(b.dir), '!build', 'yes', '!status']);
    expect(run.stderr).toBe('');

    const calls = laneCalls(b.server, 'builder', 'TASK-001');
    expect(calls).toHaveLength(6);
    expect(lastUserText(calls[5]!)).toContain('This is repair attempt 5 of 5');
    expect(lastUserText(calls[5]!)).toContain('14 !== 4');
    expect(laneCalls(b.server, 'builder', 'TASK-002')).toEqual([]);
    expect(messageCalls(b.server, 'critic')).toEqual([]);

    const record = taskRecord(b.artifacts(), 'TASK-001');
    expect(record).toMatchObject({ status: 'BLOCKED', attempts: 1, failedGateRuns: 6 });
    expect(record.reason).toMatch(/^the gates still fail after 5 repair attempts: test \(`npm test`\) ended with exit 1\./);
    expect(record.receipts).toHaveLength(1);
    expect(record.receipts[0]).toMatchObject({ gate: 'test', command: 'npm test', exitCode: 1 });
    expect(record.receipts[0]!.outputTail).toContain('16 !== 4');
    expect(graphStatuses(b.artifacts())).toEqual([
      ['TASK-001', 'BLOCKED'],
      ['TASK-002', 'PENDING'],
    ]);
    expect(run.stdout).toContain('TASK-001 BLOCKED: the gates still fail after 5 repair attempts');
    expect(run.stdout).toContain('TASK-002 not started: it depends on TASK-001 (BLOCKED).');
    expect(run.stdout).toMatch(/Tasks: +1 BLOCKED/);

    // Nothing committed; the last attempt's files are kept at a snapshot ref, the tree is clean again.
    expect(commitSubjects(b.dir)).toEqual(['Initial sample project']);
    expect(git(b.dir, 'status', '--porcelain')).toBe('');
    const ref = /refs\/codesleuth\/snapshots\/\S+-task-001-leftovers/.exec(record.reason ?? '')?.[0];
    expect(ref).toBeDefined();
    expect(git(b.dir, 'show', `${ref!}:src/double.js`)).toContain('return n * 8;');
    // In place, everything uncommitted went with it, and the reason says so and how to bring it back.
    expect(record.reason).toContain('Everything that was uncommitted in the project was set aside, not only what TASK-001 left: anything else edited meanwhile, yours too, is with it');
    const restore = /To restore it: (.+)$/.exec(record.reason ?? '')?.[1];
    expect(restore).toBeDefined();
    execFileSync('sh', ['-c', restore!], { encoding: 'utf8' });
    expect(readFileSync(path.join(b.dir, 'src/double.js'), 'utf8')).toContain('return n * 8;');
  });
});

describe('a task that edits its own gate', BUILD_TEST, () => {
  it('still runs the gates, and the changed test script is a concern with the receipts, in the commit, the report and the review', async () => {
    // The sample project's test script is `node --test`; the task replaces it with one that checks nothing.
    const weakened = `${JSON.stringify({ name: 'sample-math', version: '0.1.0', private: true, type: 'module', scripts: { test: 'echo tests skipped' } }, null, 2)}\n`;
    const b = await setUpBuild({ tasks: [DOUBLE_TASK], builder: { 'TASK-001': [buildsFiles('TASK-001', { ...double('return n * 2;'), 'package.json': weakened })] } });
    const run = await b.run([...toBuildLines(b.dir), '!build', 'yes']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const concern = 'This task changed the gate script "test" in package.json: it was `node --test`, now `echo tests skipped`. The gates ran the new script; check that the task did not weaken its own gates.';
    const record = taskRecord(b.artifacts(), 'TASK-001');
    expect(record.status).toBe('DONE');
    expect(record.receipts[0]).toMatchObject({ gate: 'test', command: 'npm test', exitCode: 0 });
    expect(record.receipts[0]!.outputTail).toContain('tests skipped');
    expect(record.concerns).toEqual([concern]);
    expect(readHandoff(b.artifacts()).build?.gateScripts).toEqual({ test: 'echo tests skipped' });
    expect(run.stdout).toContain(`• concern: ${concern}`);
    expect(git(b.dir, 'log', '-1', '--format=%b')).toContain(`Concerns:\n- ${concern}`);
    expect(readFileSync(path.join(b.artifacts(), 'BUILD_REPORT.md'), 'utf8')).toContain(`- Concern: ${concern}`);
    expect(lastUserText(laneCalls(b.server, 'critic', 'TASK-001')[0]!)).toContain(concern);
  });
});

describe('the patrol', BUILD_TEST, () => {
  it('stops the same tool call made three times in a row as STALLED, with a diagnosis', async () => {
    const read = builderTurn('TASK-001', [{ type: 'tool_use', name: 'read_file', input: { path: 'src/sum.js' } }]);
    const b = await setUpBuild({ tasks: [DOUBLE_TASK], builder: { 'TASK-001': [read, read, read, read] }, critic: { 'TASK-001': [] } });
    const run = await b.run([...toBuildLines(b.dir), '!build', 'yes']);
    expect(run.stderr).toBe('');

    // Stopped at the third identical call: the fourth scripted turn is never asked for.
    expect(laneCalls(b.server, 'builder', 'TASK-001')).toHaveLength(3);
    expect(b.server.remainingTurns()['builder@TASK-001']).toBe(1);
    const diagnosis = 'TASK-001 called read_file 3 times in a row with the same input {"path":"src/sum.js"}; it is repeating itself instead of making progress.';
    expect(run.stdout).toContain(`TASK-001 is STALLED: ${diagnosis}`);
    const record = taskRecord(b.artifacts(), 'TASK-001');
    expect(record.status).toBe('STALLED');
    expect(record.reason).toContain(`STALLED (repeated-call): ${diagnosis}`);
    expect(record.reason).toContain('Type !retry TASK-001 or !skip TASK-001.');
    // TASK-GRAPH.md knows PENDING, IN-PROGRESS, DONE, STALE, BLOCKED and SKIPPED: a STALLED task shows as BLOCKED there.
    expect(graphStatuses(b.artifacts())).toEqual([['TASK-001', 'BLOCKED']]);
    expect(commitSubjects(b.dir)).toEqual(['Initial sample project']);
  });
});
