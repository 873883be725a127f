import { describe, expect, it } from 'vitest';
import type { Stage } from '../../../src/core/pipeline/stages.js';
import { endingMessage, phaseText } from '../../../src/core/session/build-messages.js';
import type { OpenProject } from '../../../src/core/session/open-project.js';

/** The two things endingMessage reads of a project: its records and where it stands. */
function projectIn(stage: Stage): OpenProject {
  const done = { id: 'TASK-001', status: 'DONE' };
  return { handoff: { tasks: [done] }, position: () => ({ stage, paused: false }) } as unknown as OpenProject;
}

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

describe('endingMessage after a complete build', () => {
  const complete = (stage: Stage) => endingMessage({ kind: 'complete' }, projectIn(stage), '/a/BUILD_REPORT.md', '$0.10').text;

  it('points to the gate that comes next, by the stage the build ran in', () => {
    expect(complete('building')).toContain('Build complete: 1 task DONE, one commit each; $0.10 spent.\nReport: /a/BUILD_REPORT.md\nReview it; when you agree, type !critic.');
    expect(complete('critique')).toContain('Critic reviews the fixes next.');
    expect(complete('security')).toContain('Security reviews the fixes next.');
    expect(complete('maintenance')).toContain('Type !verify to verify the project again.');
    expect(complete('maintenance')).not.toContain('!critic');
  });
});
