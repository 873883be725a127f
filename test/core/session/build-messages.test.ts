import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../../src/core/build/build-record.js';
import { blankRecord } from '../../../src/core/build/task-outcome.js';
import { buildingLine, endingMessage, leftoverLines, phaseText } from '../../../src/core/session/build-messages.js';
import { graph, task } from '../task-graph/graph-fixtures.js';
import type { OpenProject } from '../../../src/core/session/open-project.js';

describe('phaseText', () => {
  it('names each phase of a task for the board', () => {
    expect(phaseText({ kind: 'builder', run: 1 })).toBe('Builder');
    expect(phaseText({ kind: 'builder', run: 3 })).toBe('Builder, run 3');
    expect(phaseText({ kind: 'gates', commands: ['npm run lint', 'npm test'] })).toBe('gates: npm run lint, npm test');
    expect(phaseText({ kind: 'gates', commands: [] })).toBe('gates (none found)');
    expect(phaseText({ kind: 'review', stage: 'quality', round: 2 })).toBe('review: quality, round 2');
    expect(phaseText({ kind: 'commit' })).toBe('committing');
  });
});

function projectWith(tasks: TaskRecord[]): OpenProject {
  return { handoff: { tasks, build: { decisions: [] } } } as unknown as OpenProject;
}

describe('endingMessage', () => {
  it('names the tasks a BLOCKED task holds back, and why', () => {
    const blocked: TaskRecord = { ...blankRecord('TASK-001'), status: 'BLOCKED', reason: 'the gates still fail after 5 repair attempts.' };
    const message = endingMessage({ kind: 'waiting', tasks: ['TASK-001', 'TASK-002', 'TASK-003'], held: [{ taskId: 'TASK-002', waitsFor: ['TASK-001'] }, { taskId: 'TASK-003', waitsFor: ['TASK-002'] }] }, projectWith([blocked]), '/r', '$0');
    expect(message.text).toContain('  TASK-001 BLOCKED: the gates still fail after 5 repair attempts.');
    expect(message.text).toContain('  TASK-002 not started: it depends on TASK-001 (BLOCKED).');
    expect(message.text).toContain('  TASK-003 not started: it depends on TASK-002 (PENDING).');
  });
});

describe('leftoverLines', () => {
  it('says what was cleaned up after a crash and where unfinished work went', () => {
    const snapshot = { ref: 'refs/codesleuth/snapshots/x-worktree', sha: 'c'.repeat(40), label: 'worktree', createdAt: '2025-01-01T00:00:00.000Z', base: null, files: ['a.js'], indexSaved: true, restoreInstructions: '' };
    const lines = leftoverLines({ removed: [{ dir: '/w/TASK-002-1', branch: 'codesleuth/p/task-002-1', branchDeleted: true, snapshot }], keptBranches: ['codesleuth/p/task-003-1'], problems: [] });
    expect(lines.map((l) => l.text)).toEqual([
      'Cleaned up 1 worktree left by an earlier run. Its unfinished work is kept at refs/codesleuth/snapshots/x-worktree.',
      'Branch codesleuth/p/task-003-1 holds a task commit that never landed; it is kept for you (merge it by hand or delete it).',
    ]);
    expect(leftoverLines({ removed: [], keptBranches: [], problems: [] })).toEqual([]);
  });
});

describe('buildingLine', () => {
  const chain = graph(task('TASK-001'), task('TASK-002', { depends_on: ['TASK-001'] }), task('TASK-003', { depends_on: ['TASK-002'] }));
  const done = (id: string): TaskRecord => ({ ...blankRecord(id), status: 'DONE' });

  it('counts the tasks the build can run and says how many at once', () => {
    expect(buildingLine(chain, [], 2)?.text).toBe('Builder (agent 3) is building 3 tasks with up to 2 at once. Ctrl+C stops it; finished tasks stay committed.');
    expect(buildingLine(chain, [], 1)?.text).toBe('Builder (agent 3) is building 3 tasks one at a time. Ctrl+C stops it; finished tasks stay committed.');
    expect(buildingLine(chain, [done('TASK-001'), done('TASK-002')], 2)?.text).toBe('Builder (agent 3) is building 1 task. Ctrl+C stops it; finished tasks stay committed.');
  });

  it('says nothing when every open task is held up by a BLOCKED one (the ending explains)', () => {
    expect(buildingLine(chain, [done('TASK-001'), { ...blankRecord('TASK-002'), status: 'BLOCKED' }], 2)).toBeUndefined();
  });
});
