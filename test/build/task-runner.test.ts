import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { finishedWithReport } from '../support/agent-outcomes.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { taskFileIndex } from '../../src/build/task-file-index.js';
import { gatesFromCommands } from '../../src/build/task-runner-adapter.js';
import { loadGateCommands } from '../../src/build/load-gate-commands.js';
import type { AgentOutcome } from '../../src/core/agent/agent-types.js';
import { messageText } from '../../src/core/agent/conversation.js';
import { runTask } from '../../src/core/build/task-runner.js';
import type { BuilderPort, BuilderRunRequest } from '../../src/core/build/task-runner-ports.js';
import type { ChatMessage } from '../../src/core/provider/types.js';
import type { Task } from '../../src/core/task-graph/task.js';
import { finding, review, scriptedReviewer } from '../core/build/build-fixtures.js';
import { makeSandbox, type Sandbox } from '../git/git-fixtures.js';

/*
 * runTask on a real Node project with a real `node --test` suite and a real git repository:
 * the real gate runner (npm through the process runner) and the real git port. Only the
 * Builder is scripted: it writes files into the project as the agent's tools would and
 * reports them as changedFiles.
 */

const SLOW = 180_000; // npm and node start-up, three gate runs, on a busy machine

const TASK: Task = {
  id: 'TASK-003',
  title: 'Add the sum function',
  description: 'Implement `sum(a, b)` in src/sum.mjs with a node:test suite.',
  acceptance_criteria: ['sum(2, 3) is 5', 'sum(-2, -3) is -5'],
  output_files: ['src/sum.mjs', 'test/sum.test.mjs'],
  depends_on: [],
  size: 'S',
  status: 'PENDING',
};

const TEST_FILE =
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.mjs';\n\n" +
  "test('adds', () => assert.equal(sum(2, 3), 5));\ntest('adds negatives', () => assert.equal(sum(-2, -3), -5, 'sum of negatives is off'));\n";
const BUGGY = 'export function sum(a, b) {\n  return Math.abs(a) + Math.abs(b);\n}\n';
const FIXED = 'export function sum(a, b) {\n  return a + b;\n}\n';

function finished(messages: readonly ChatMessage[], id: string): AgentOutcome {
  return finishedWithReport(messages, { summary: 'Implemented sum with tests.' }, id);
}

/** A Builder that edits the project directly, one scripted run at a time. */
function editingBuilder(dir: string, runs: readonly Record<string, string>[]): BuilderPort & { calls: BuilderRunRequest[] } {
  const calls: BuilderRunRequest[] = [];
  return {
    calls,
    async run(request) {
      const files = runs[calls.length];
      calls.push(request);
      if (files === undefined) throw new Error('the builder ran more often than scripted');
      for (const [file, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), text);
      }
      const id = `call-${calls.length}`;
      request.onEvent({ type: 'tool_result', id: `${id}-w`, name: 'write_file', display: 'wrote', isError: false, reused: false, changedFiles: Object.keys(files) });
      return finished(request.messages, id);
    },
  };
}

let sandbox: Sandbox;
let dir: string;
beforeEach(async () => {
  sandbox = await makeSandbox();
  dir = await sandbox.repo('project');
  const pkg = { name: 'task-fixture', version: '1.0.0', private: true, type: 'module', scripts: { test: 'node --test' } };
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  sandbox.git(dir, 'add', '-A');
  sandbox.git(dir, 'commit', '-q', '-m', 'package.json');
  // The person's own work in progress: an untracked note and an edited README.
  await writeFile(path.join(dir, 'notes.txt'), 'my private notes\n');
  await writeFile(path.join(dir, 'README.md'), '# project\n\nWork in progress by the person.\n');
});
afterEach(async () => {
  await sandbox.cleanup();
});

describe('runTask on a real project', () => {
  it(
    'gets a real failing receipt, repairs, and commits only the task files with a real SHA',
    async () => {
      const detected = await loadGateCommands(dir);
      expect(detected.commands).toEqual([{ name: 'test', command: 'npm test' }]);
      const builder = editingBuilder(dir, [{ 'src/sum.mjs': BUGGY, 'test/sum.test.mjs': TEST_FILE }, { 'src/sum.mjs': FIXED }]);
      const gates = gatesFromCommands(dir, detected.commands, { timeoutMs: 60_000 });
      const result = await runTask(TASK, { builder, gates, git: sandbox.port, clock: { now: () => new Date() } }, { projectDir: dir });

      expect(result.kind, JSON.stringify(result, null, 2)).toBe('done');
      if (result.kind !== 'done') return;

      // Real receipts: the first run's exit code 1 came from node --test, the second's 0.
      expect(result.gateRuns.map((run) => run.map((r) => [r.gate, r.exitCode]))).toEqual([[['test', 1]], [['test', 0]]]);
      expect(result.gateRuns[0]![0]!.outputTail).toContain('sum of negatives is off');
      expect(result.receipts[0]!.outputTail).toMatch(/# pass 2/);
      // The failure went back to the Builder as its next message.
      expect(builder.calls).toHaveLength(2);
      expect(messageText(builder.calls[1]!.messages.at(-1)!.content)).toContain('sum of negatives is off');

      // A real commit: HEAD is the SHA, the message is TASK-003's, only the task's files are in it.
      expect(result.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(sandbox.git(dir, 'rev-parse', 'HEAD').trim()).toBe(result.sha);
      const message = sandbox.git(dir, 'log', '-1', '--format=%B');
      expect(message).toMatch(/^TASK-003: Add the sum function\n\nGates: PASS \(1 of 1 passed\)\n- test: `npm test` → exit 0/);
      const inCommit = sandbox.git(dir, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort();
      expect(inCommit).toEqual(['src/sum.mjs', 'test/sum.test.mjs']);
      expect(result.changedFiles).toEqual(['src/sum.mjs', 'test/sum.test.mjs']);
      expect(await readFile(path.join(dir, 'src/sum.mjs'), 'utf8')).toBe(FIXED);

      // The person's work is still theirs: uncommitted, unchanged, and snapshotted first.
      const porcelain = sandbox.git(dir, 'status', '--porcelain', '--untracked-files=all');
      expect(porcelain).toContain(' M README.md');
      expect(porcelain).toContain('?? notes.txt');
      expect(await readFile(path.join(dir, 'notes.txt'), 'utf8')).toBe('my private notes\n');
      expect(result.snapshot?.files).toEqual(expect.arrayContaining(['README.md', 'notes.txt']));
      expect(result.unattributed).toEqual([]);
    },
    SLOW,
  );

  it(
    'reviews the real files: a finding citing a missing line is dropped, the fix goes through real gates again, then one commit',
    async () => {
      const detected = await loadGateCommands(dir);
      const builder = editingBuilder(dir, [{ 'src/sum.mjs': FIXED, 'test/sum.test.mjs': TEST_FILE }, { 'src/sum.mjs': `// sum of two numbers\n${FIXED}` }]);
      const gates = gatesFromCommands(dir, detected.commands, { timeoutMs: 60_000 });
      const reviewer = scriptedReviewer([
        review('quality', 'pass'),
        // Asked again for the right stage, it cites line 2 (exists) and line 30 (does not).
        review('spec', 'changes_requested', [finding('src/sum.mjs', 2, { problem: 'No doc comment.', fix: 'Say what sum does.' }), finding('src/sum.mjs', 30)]),
        review('spec', 'pass'),
        review('quality', 'pass'),
      ]);
      const result = await runTask(TASK, { builder, gates, git: sandbox.port, clock: { now: () => new Date() }, reviewer, fileIndex: taskFileIndex(dir) }, { projectDir: dir });

      expect(result.kind, JSON.stringify(result, null, 2)).toBe('done');
      if (result.kind !== 'done') return;
      expect(result.gateRuns.map((run) => run.map((r) => [r.gate, r.exitCode]))).toEqual([[['test', 0]], [['test', 0]]]);
      expect(result.reviewRounds).toBe(3);
      expect(result.reviews?.[1]?.rejected.map((r) => r.reason)).toEqual(['finding 2: `src/sum.mjs:30`: the file has 3 lines, so line 30 does not exist']);
      const fix = messageText(builder.calls[1]!.messages.at(-1)!.content);
      expect(fix).toContain('1. [important] `src/sum.mjs:2`: No doc comment.');
      expect(fix).not.toContain('sum.mjs:30');
      expect(sandbox.git(dir, 'log', '--format=%s').split('\n').filter((subject) => subject.startsWith('TASK-003'))).toEqual(['TASK-003: Add the sum function']);
      const message = sandbox.git(dir, 'log', '-1', '--format=%B');
      expect(message).toContain('Review: spec compliance passed in round 2; code quality passed in round 1.');
      expect(await readFile(path.join(dir, 'src/sum.mjs'), 'utf8')).toMatch(/^\/\/ sum of two numbers/);
    },
    SLOW,
  );
});
