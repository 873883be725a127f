import { entry } from '../../transcript.js';
import type { CommandDefinition } from '../types.js';

/** `!state`: the full durable state behind the project, as HANDOFF.json holds it. */
export const stateCommand: CommandDefinition = {
  name: 'state',
  aliases: [],
  availability: { kind: 'project' },
  summary: 'Show the full pipeline state: HANDOFF version, approvals, tasks, history',
  usage: '!state',
  run(ctx) {
    const project = ctx.project!;
    const h = project.handoff;
    const approvals =
      h.approvals.length === 0
        ? '  (none)'
        : h.approvals
            .map((a) => `  !${a.gate} at ${a.at}\n${a.artifacts.map((f) => `    ${f.name}  sha256 ${f.sha256.slice(0, 16)}…`).join('\n')}`)
            .join('\n');
    const recent = h.history.slice(-5).map((e) => `  ${e.at}  ${e.event}: ${e.from} → ${e.to}`);
    const lines = [
      `HANDOFF.json v${h.version} (schema ${h.schemaVersion}) — ${project.handoffPath}`,
      `Project:  ${h.project.name} [${h.project.id}]`,
      `Path:     ${h.project.path}`,
      `Platform: ${h.project.platform}`,
      `Brief:    ${h.project.brief}`,
      `Stage:    ${project.position.stage}${project.position.paused ? ' (paused)' : ''}`,
      `Tasks:    ${h.tasks.length === 0 ? 'none recorded yet (the Builder records each task it runs; the plan itself is TASK-GRAPH.md)' : `${h.tasks.length}`}`,
      'Approvals:',
      approvals,
      `History (${h.history.length} transitions${h.history.length > 5 ? ', last 5' : ''}):`,
      ...(recent.length > 0 ? recent : ['  (none)']),
      `Updated:  ${h.updatedAt}`,
    ];
    return { kind: 'message', entries: [entry.info(lines.join('\n'))] };
  },
};
