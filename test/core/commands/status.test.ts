import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/core/commands/defs/index.js';
import { statusCommand } from '../../../src/core/commands/defs/status.js';
import type { CommandContext } from '../../../src/core/commands/types.js';
import type { Handoff } from '../../../src/core/handoff/handoff.schema.js';
import type { Stage } from '../../../src/core/pipeline/stages.js';

function status(stage: Stage, milestone?: Handoff['milestone']): string {
  const handoff = { project: { name: 'till', path: '/w/till' }, approvals: [], tasks: [], ...(milestone ? { milestone } : {}) } as unknown as Handoff;
  const ctx: CommandContext = { args: '', registry: createBuiltinRegistry(), project: { handoff, position: { stage, paused: false }, agentState: 'idle', stale: [], handoffPath: '/h' } };
  const result = statusCommand.run(ctx);
  if (result.kind !== 'message') throw new Error(result.kind);
  return result.entries.map((e) => e.text).join('\n');
}

describe('!status after the release', () => {
  it('says the project shipped and that Maintenance comes next, in the Verifier stage and in Maintenance', () => {
    for (const stage of ['verification', 'maintenance'] as const) {
      const text = status(stage, 'shipped');
      expect(text).toMatch(/Stage: {4}\S+ — shipped/);
      expect(text).toContain('Next:     describe a bug or a small change and Maintenance turns it into tasks; !verify verifies the project again');
    }
  });

  it('names the gate before shipping', () => {
    const text = status('verification', 'secured');
    expect(text).toContain('Stage:    Verifier\n');
    expect(text).toContain('Next:     no gate after this stage');
    expect(status('security', 'critiqued')).toContain('Next:     !verify once SECURITY_REPORT.md, SAST_FINDINGS.jsonl validate');
  });
});
