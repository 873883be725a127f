import type { MarkedTask } from '../../build/scheduler.js';
import type { Handoff } from '../../handoff/handoff.schema.js';
import { describeStale } from '../../pipeline/approvals.js';
import { gateForStage } from '../../pipeline/gates.js';
import { STAGE_INFO, agentLabel } from '../../pipeline/stages.js';
import { shippedText } from '../../release/release-history.js';
import { entry } from '../../transcript.js';
import type { CommandDefinition } from '../types.js';

/** The build's tasks by status, and the decisions waiting for the person. */
function buildLines(handoff: Handoff, marked: readonly MarkedTask[]): string[] {
  if (handoff.tasks.length === 0 && !handoff.build) return [];
  const counts = new Map<string, number>();
  for (const task of handoff.tasks) counts.set(task.status, (counts.get(task.status) ?? 0) + 1);
  const lines = [`Tasks:    ${[...counts].map(([status, n]) => `${n} ${status}`).join(', ') || 'none started'}${handoff.build?.completedAt ? ` — build complete ${handoff.build.completedAt}` : ''}`];
  for (const task of handoff.tasks) {
    if (['BLOCKED', 'STALLED', 'NEEDS_CONTEXT'].includes(task.status)) lines.push(`  ${task.id} ${task.status}: ${task.reason ?? ''}`);
    if (task.status === 'SKIPPED') {
      const dependents = marked.filter((m) => m.skippedDependencies.includes(task.id)).map((m) => m.taskId);
      lines.push(`  ${task.id} SKIPPED by you${dependents.length > 0 ? `; built without it: ${dependents.join(', ')}` : ''} (!retry ${task.id} builds it after all)`);
    }
  }
  for (const m of marked) lines.push(`  ${m.taskId} marked: ${m.why}`);
  const open = (handoff.build?.decisions ?? []).filter((d) => d.answer === undefined);
  for (const d of open) lines.push(`Decision: ${d.id} (${d.taskId}) ${d.question} — answer with !decide ${d.id} <answer>`);
  if (handoff.build?.autonomy === 'per_task') lines.push('Autonomy: per_task (the Builder stops after each task until !continue)');
  return lines;
}

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
    const maintenance = stage === 'maintenance';
    const agentState = paused ? 'paused' : project.agentState;
    // After SHIP the pipeline has no gate left: what comes next is Maintenance's.
    const shipped = project.handoff.milestone === 'shipped';
    const next = maintenance
      ? 'describe a bug or a small change; !build builds the tasks Maintenance proposes; !verify checks the release again'
      : gate
        ? `${gate.command} once ${gate.artifacts.join(', ')} ${gate.artifacts.length > 1 ? 'validate' : 'validates'}`
        : shipped
          ? 'describe a bug or a small change and Maintenance turns it into tasks; !verify verifies the project again'
          : stage === 'verification'
            ? "the Verifier's SHIP verdict ships the project; !verify runs the release check again"
            : 'no gate after this stage';
    const lines = [
      `Project:  ${project.handoff.project.name} (${project.handoff.project.path})`,
      `Stage:    ${info.label}${shipped ? ` — ${shippedText(project.handoff)}` : ''}${paused ? ' — paused (type !resume to continue)' : ''}`,
      `Agent:    ${agentLabel(stage)} — ${agentState}`,
      `Approved: ${project.handoff.approvals.length === 0 ? 'no gate yet' : [...new Set(project.handoff.approvals.map((a) => `!${a.gate}`))].join(', ')}`,
      // In Maintenance the earlier gates are history: their artifacts change with every maintenance build.
      ...(maintenance ? [] : project.stale.map((s) => `STALE:    ${describeStale(s)}`)),
      ...buildLines(project.handoff, project.marked ?? []),
      `Next:     ${next}`,
    ];
    const warn = !maintenance && project.stale.length > 0;
    return { kind: 'message', entries: [warn ? entry.warning(lines.join('\n')) : entry.info(lines.join('\n'))] };
  },
};
