// NEEDS_CONTEXT end to end: the Builder's question goes to the decisions queue (HANDOFF.json,
// DECISIONS.md, !status) and survives the session; independent work goes on; `!decide D-1 ...`
// in a later session puts the answer in front of the Builder and the task finishes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '../helpers/pty-cli.js';
import { bodyOf, closeFakeModels } from '../helpers/fake-model.js';
import { BUILD_TEST, RESUME_LINES, builderTurn, buildsFiles, commitSubjects, laneCalls, moduleWithTest, readHandoff, reportStatus, setUpBuild, taskRecord, toBuildLines } from '../helpers/build-fixture.js';

afterEach(async () => {
  await cleanup();
  await closeFakeModels();
});

const QUESTION = 'Should half round odd numbers up or down?';
const ANSWER = 'Round halves up, so half(3) is 2';

describe('NEEDS_CONTEXT and !decide', BUILD_TEST, () => {
  it('queues the question, builds the independent task, and resumes the asking task with the answer', async () => {
    const half = moduleWithTest('half', 'return Math.round(n / 2);', 'assert.equal(half(3), 2);');
    const b = await setUpBuild({
      tasks: [
        { id: 'TASK-001', title: 'Half helper', files: half },
        { id: 'TASK-002', title: 'Square helper', files: moduleWithTest('square', 'return n * n;', 'assert.equal(square(3), 9);') },
      ],
      builder: { 'TASK-001': [builderTurn('TASK-001', [reportStatus({ status: 'NEEDS_CONTEXT', summary: 'One question first.', questions: [QUESTION] })]), buildsFiles('TASK-001', half)] },
    });

    const first = await b.run([...toBuildLines(b.dir), '!build', 'yes', '!status']);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('TASK-001 NEEDS_CONTEXT: waits for your answer: !decide D-1 <answer>.');
    expect(first.stdout).toContain(`D-1 (TASK-001) asks: ${QUESTION}`);
    expect(first.stdout).toContain(`Decision: D-1 (TASK-001) ${QUESTION} — answer with !decide D-1 <answer>`);
    // The independent task went on and is committed; the asking one waits with nothing committed.
    expect(commitSubjects(b.dir)).toEqual(['Initial sample project', 'TASK-002: Square helper']);
    expect(taskRecord(b.artifacts(), 'TASK-001').status).toBe('NEEDS_CONTEXT');
    expect(readHandoff(b.artifacts()).build?.decisions).toEqual([expect.objectContaining({ id: 'D-1', taskId: 'TASK-001', question: QUESTION })]);
    const decisionsFile = path.join(b.artifacts(), 'DECISIONS.md');
    expect(readFileSync(decisionsFile, 'utf8')).toContain(`## D-1 (TASK-001) — OPEN`);
    expect(readFileSync(decisionsFile, 'utf8')).toContain(`- Question: ${QUESTION}`);

    // A later session: the queue was persisted, the answer restarts the task.
    const second = await b.run([...RESUME_LINES, `!decide D-1 ${ANSWER}`]);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('D-1 answered. TASK-001 goes on with your answer.');
    expect(second.stdout).toContain('Build complete: 2 tasks DONE, one commit each');

    const calls = laneCalls(b.server, 'builder', 'TASK-001');
    expect(calls).toHaveLength(2);
    const brief = JSON.stringify(bodyOf(calls[1]!).messages[0]);
    expect(brief).toContain(`D-1 — question: ${QUESTION}`);
    expect(brief).toContain(`answer from the person: ${ANSWER}`);
    expect(laneCalls(b.server, 'builder', 'TASK-002')).toHaveLength(1);

    expect(commitSubjects(b.dir)).toEqual(['Initial sample project', 'TASK-002: Square helper', 'TASK-001: Half helper']);
    expect(taskRecord(b.artifacts(), 'TASK-001')).toMatchObject({ status: 'DONE', attempts: 2 });
    expect(readHandoff(b.artifacts()).build?.decisions).toEqual([expect.objectContaining({ id: 'D-1', answer: ANSWER })]);
    expect(readFileSync(decisionsFile, 'utf8')).toContain(`## D-1 (TASK-001) — ANSWERED`);
    expect(readFileSync(decisionsFile, 'utf8')).toContain(`- Answer: ${ANSWER}`);
  });
});
