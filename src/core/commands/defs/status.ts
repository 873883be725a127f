import { describeStale } from '../../pipeline/approvals.js';
import { gateForStage } from '../../pipeline/gates.js';
import { STAGE_INFO, agentLabel } from '../../pipeline/stages.js';
import { entry } from '../../transcript.js';
import type { CommandDefinition } from '../types.js';

/** `!status`: where the project stands and what its agent is doing. */
export const statusCommand: CommandDefinition = {
  name: 'status',
  aliases: ['st'],
  availability: { kind: 'project' },
  summary: 'Show the pipeline stage and the agent status',
  usage: '!status',
  run(ctx) {
    const project = ctx.project!;
    const { stage, paused } = project.position;
    const info = STAGE_INFO[stage];
    const gate = gateForStage(stage);
    const agentState = paused ? 'paused' : project.agentState;
    const lines = [
      `Project:  ${project.handoff.project.name} (${project.handoff.project.path})`,
      `Stage:    ${info.label}${paused ? ' — paused (type !resume to continue)' : ''}`,
      `Agent:    ${agentLabel(stage)} — ${agentState}`,
      `Approved: ${project.handoff.approvals.length === 0 ? 'no gate yet' : [...new Set(project.handoff.approvals.map((a) => `!${a.gate}`))].join(', ')}`,
      ...project.stale.map((s) => `STALE:    ${describeStale(s)}`),
      `Next:     ${gate ? `${gate.command} once ${gate.artifacts.join(', ')} ${gate.artifacts.length > 1 ? 'validate' : 'validates'}` : 'no gate after this stage'}`,
    ];
    return { kind: 'message', entries: [project.stale.length > 0 ? entry.warning(lines.join('\n')) : entry.info(lines.join('\n'))] };
  },
};
