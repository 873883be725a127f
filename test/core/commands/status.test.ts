import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/core/commands/defs/index.js';
import { statusCommand } from '../../../src/core/commands/defs/status.js';
import type { OpenProjectView } from '../../../src/core/commands/types.js';
import type { Handoff } from '../../../src/core/handoff/handoff.schema.js';
import type { StaleApproval } from '../../../src/core/pipeline/approvals.js';
import type { Stage } from '../../../src/core/pipeline/stages.js';
import { newHandoff } from '../../../src/core/session/open-project.js';

const registry = createBuiltinRegistry();
const project = { id: 'tidy-abc123', name: 'tidy', path: '/tmp/tidy', platform: 'Web', brief: 'Shift tasks', createdAt: '2026-01-01T00:00:00.000Z' };

const STALE_REPORT: StaleApproval = {
  gate: 'critic',
  artifact: 'BUILD_REPORT.md',
  approvedAt: '2026-01-02T00:00:00.000Z',
  currentSha256: 'b'.repeat(64),
};

function statusText(stage: Stage, options: { stale?: StaleApproval[]; handoff?: Partial<Handoff> } = {}): { text: string; tone: string } {
  const { handoff, actor } = newHandoff(project, '2026-01-01T00:00:00.000Z');
  actor.stop();
  const view: OpenProjectView = {
    handoff: { ...handoff, ...options.handoff },
    position: { stage, paused: false },
    agentState: 'idle',
    stale: options.stale ?? [],
    handoffPath: '/home/artifacts/tidy-abc123/HANDOFF.json',
  };
  const result = statusCommand.run({ args: '', registry, project: view });
  if (result.kind !== 'message') throw new Error(`expected a message, got ${result.kind}`);
  const [first] = result.entries;
  return { text: first!.text, tone: first!.tone };
}

describe('!status', () => {
  it('warns about a stale approval before the gate that builds on it', () => {
    const { text, tone } = statusText('critique', { stale: [STALE_REPORT] });
    expect(tone).toBe('warning');
    expect(text).toContain('STALE:    BUILD_REPORT.md changed since !critic approved it');
    expect(text).toContain('Next:     !security once CRITICISM.md validates');
  });

  it('in Maintenance, says what the person can do and does not send them back to an earlier gate', () => {
    const { text, tone } = statusText('maintenance', { stale: [STALE_REPORT], handoff: { milestone: 'shipped' } });
    expect(tone).toBe('info');
    expect(text).not.toContain('STALE');
    expect(text).not.toContain('type !critic');
    expect(text).toContain('Stage:    Maintenance — shipped');
    expect(text).toContain('Next:     describe a bug or a small change; !build builds the tasks Maintenance proposes; !verify checks the release again');
  });

  it('in Maintenance after a HOLD, the project stays shipped and the latest release check reads HOLD; a later SHIP clears it', () => {
    const event = (verdict: string) => ({ at: '2026-01-03T00:00:00.000Z', event: `release verdict ${verdict}`, from: 'verification', to: 'maintenance' });
    const held = statusText('maintenance', { handoff: { milestone: 'shipped', history: [event('SHIP'), event('HOLD')] } }).text;
    expect(held).toContain('Stage:    Maintenance — shipped; latest release check HOLD');
    const again = statusText('maintenance', { handoff: { milestone: 'shipped', history: [event('SHIP'), event('HOLD'), event('SHIP')] } }).text;
    expect(again).toContain('Stage:    Maintenance — shipped\n');
  });

  it('in Verification, before and after the SHIP verdict', () => {
    expect(statusText('verification').text).toContain("Next:     the Verifier's SHIP verdict ships the project; !verify runs the release check again");
    const shipped = statusText('verification', { handoff: { milestone: 'shipped' } }).text;
    expect(shipped).toContain('Stage:    Verifier — shipped');
    expect(shipped).toContain('Next:     describe a bug or a small change and Maintenance turns it into tasks; !verify verifies the project again');
  });

  it('names the next gate while there is one', () => {
    expect(statusText('security', { handoff: { milestone: 'critiqued' } }).text).toContain('Next:     !verify once SECURITY_REPORT.md, SAST_FINDINGS.jsonl validate');
  });
});
