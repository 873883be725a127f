import { readFileSync } from 'node:fs';
import path from 'node:path';
// The review gate end to end: the reviewer's findings (their file:line checked against the real
// files first) go back to the Builder as one numbered list; a fix passes in round 2; a stage that
// still asks for changes after round 3 stops the task for the person, with nothing committed.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '../helpers/pty-cli.js';
import { closeFakeModels } from '../helpers/fake-model.js';
import { BUILD_TEST, buildsFiles, commitSubjects, git, laneCalls, lastUserText, moduleWithTest, reviewTurn, setUpBuild, taskRecord, toBuildLines } from '../helpers/build-fixture.js';

afterEach(async () => {
  await cleanup();
  await closeFakeModels();
});

const double = (body: string) => moduleWithTest('double', body, 'assert.equal(double(2), 4);');
const DOUBLE_TASK = { id: 'TASK-001', title: 'Double helper', files: double('return n * 2;') };
const CHECKED = "if (typeof n !== 'number') throw new TypeError('double needs a number');\n  return n * 2;";

describe('review rounds', BUILD_TEST, () => {
  it('sends the findings that cite real lines to the Builder; the fix passes in round 2 and is committed once', async () => {
    const b = await setUpBuild({
      tasks: [DOUBLE_TASK],
      builder: { 'TASK-001': [buildsFiles('TASK-001', double('return n * 2;')), buildsFiles('TASK-001', double(CHECKED))] },
      critic: {
        'TASK-001': [
          reviewTurn('TASK-001', 'spec', 'changes_requested', [
            { severity: 'important', file: 'src/double.js', line: 2, problem: 'double("2") returns "22"', fix: 'throw a TypeError for non-numbers' },
            { severity: 'important', file: 'src/double.js', line: 40, problem: 'a line the file does not have', fix: 'nothing' },
          ]),
          reviewTurn('TASK-001', 'spec'),
          reviewTurn('TASK-001', 'quality'),
        ],
      },
    });
    const run = await b.run([...toBuildLines(b.dir), '!build', 'yes']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const builder = laneCalls(b.server, 'builder', 'TASK-001');
    expect(builder).toHaveLength(2);
    const feedback = lastUserText(builder[1]!);
    expect(feedback).toContain('The spec compliance review (round 1 of 3) requests changes.');
    expect(feedback).toContain('1. [important] `src/double.js:2`: double("2") returns "22" Fix: throw a TypeError for non-numbers');
    expect(feedback).not.toContain('src/double.js:40');
    // The reviewer hears which citation was dropped, and reviews the fix in round 2.
    const reviewer = laneCalls(b.server, 'critic', 'TASK-001');
    expect(reviewer).toHaveLength(3);
    expect(lastUserText(reviewer[1]!)).toContain('`src/double.js:40`: the file has 3 lines, so line 40 does not exist');
    expect(lastUserText(reviewer[1]!)).toContain('Round 2 of 3 of the spec compliance review');

    expect(commitSubjects(b.dir)).toEqual(['Initial sample project', 'TASK-001: Double helper']);
    expect(git(b.dir, 'log', '-1', '--format=%b')).toContain('Review: spec compliance passed in round 2; code quality passed in round 1.');
    expect(git(b.dir, 'show', 'HEAD:src/double.js')).toContain("throw new TypeError('double needs a number')");
    const record = taskRecord(b.artifacts(), 'TASK-001');
    expect(record).toMatchObject({ status: 'DONE', attempts: 1, reviewRounds: 3, sha: git(b.dir, 'rev-parse', 'HEAD') });
    expect(record.review).toBe('Review: spec compliance passed in round 2; code quality passed in round 1.');
    const report = readFileSync(path.join(b.artifacts(), 'BUILD_REPORT.md'), 'utf8');
    expect(report).toContain('| TASK-001 | Double helper | DONE |');
    expect(report).toContain('- Review: spec compliance passed in round 2; code quality passed in round 1.');
    expect(record.receipts[0]).toMatchObject({ gate: 'test', exitCode: 0 });
  });

  it('escalates after round 3 with what happened, what was tried and the decision needed; nothing is committed', async () => {
    const b = await setUpBuild({
      tasks: [DOUBLE_TASK],
      builder: { 'TASK-001': [1, 2, 3].map((v) => buildsFiles('TASK-001', double(`return n * 2; // version ${v}`))) },
      critic: {
        'TASK-001': [1, 2, 3].map((round) =>
          reviewTurn('TASK-001', 'spec', 'changes_requested', [{ severity: 'important', file: 'src/double.js', line: 2, problem: `round ${round}: still no input check`, fix: 'throw a TypeError for non-numbers' }]),
        ),
      },
    });
    const run = await b.run([...toBuildLines(b.dir), '!build', 'yes', '!status']);
    expect(run.stderr).toBe('');

    expect(laneCalls(b.server, 'builder', 'TASK-001')).toHaveLength(3);
    expect(laneCalls(b.server, 'critic', 'TASK-001')).toHaveLength(3);
    const record = taskRecord(b.artifacts(), 'TASK-001');
    expect(record).toMatchObject({ status: 'BLOCKED', attempts: 1, reviewRounds: 3 });
    // The gates passed each round: the receipts say so, the review is what stopped it.
    expect(record.receipts[0]).toMatchObject({ gate: 'test', exitCode: 0 });
    const escalation = [
      'TASK-001 BLOCKED: the review did not settle after 3 rounds and needs your decision.',
      'What happened: The spec compliance review of TASK-001 did not pass in 3 rounds. Still open: [important] src/double.js:2 round 3: still no input check.',
      'What was tried: spec compliance round 1: 1 finding (1 important) sent to the Builder; spec compliance round 2: 1 finding (1 important) sent to the Builder; spec compliance round 3: 1 finding (1 important) sent to the Builder.',
      'Decision needed: Decide how TASK-001 goes on: the review loop stops here until a person chooses.',
      'Type !retry TASK-001 to run it again, or !skip TASK-001.',
    ].join(' ');
    expect(run.stdout).toContain(escalation);
    expect(record.reason).toContain(escalation.slice('TASK-001 BLOCKED: '.length));
    expect(commitSubjects(b.dir)).toEqual(['Initial sample project']);
    expect(git(b.dir, 'status', '--porcelain')).toBe('');
    const ref = /refs\/codesleuth\/snapshots\/\S+-task-001-leftovers/.exec(record.reason ?? '')?.[0];
    expect(git(b.dir, 'show', `${ref!}:src/double.js`)).toContain('// version 3');
  });
});
