import type { AgentEvent } from '../agent/agent-types.js';
import type { TaskRecord } from '../build/build-record.js';
import type { BuildEnding } from '../build/build-run.js';
import { renderReceiptSummary } from '../build/receipts.js';
import type { TaskResult } from '../build/task-runner.js';
import type { Stage } from '../pipeline/stages.js';
import { entry, type EntryInput } from '../transcript.js';
import type { OpenProject } from './open-project.js';

/** The question asked before a build starts in a project with uncommitted work. */
export function dirtyTreePrompt(dir: string, files: readonly string[]): string {
  const shown = files.slice(0, 12).map((f) => `  ${f}`);
  if (files.length > 12) shown.push(`  … and ${files.length - 12} more`);
  return [
    `${dir} has uncommitted changes (${files.length} file${files.length === 1 ? '' : 's'}):`,
    ...shown,
    'The Builder never sweeps them into a task commit. Choose:',
    '  commit — commit them now as your own commit, then build',
    '  aside  — save them to a safety ref (refs/codesleuth/snapshots/…, untracked files included), set them aside, then build',
    '  cancel — do nothing now',
  ].join('\n');
}

/** What a task's agent is doing, for the board; undefined for events that change nothing shown. */
export function toolActivity(event: AgentEvent): string | undefined {
  if (event.type === 'tool_call') {
    const input = event.input as Record<string, unknown> | undefined;
    const target = typeof input?.['path'] === 'string' ? input['path'] : typeof input?.['command'] === 'string' ? input['command'] : '';
    return `${event.name}${target ? ` ${String(target)}` : ''}`;
  }
  if (event.type === 'turn_start') return `thinking (turn ${event.turn})`;
  return undefined;
}

/** The transcript line for a finished task. */
export function describeTaskEnd(record: TaskRecord, result: TaskResult): EntryInput {
  if (record.status === 'DONE') {
    const lines = [`✓ ${record.id} DONE — commit ${record.sha?.slice(0, 12)}${record.landedSha && record.landedSha !== record.sha ? ` (landed ${record.landedSha.slice(0, 12)})` : ''}: ${record.summary ?? ''}`];
    lines.push(renderReceiptSummary(record.receipts));
    for (const concern of record.concerns) lines.push(`  • concern: ${concern}`);
    if (result.kind === 'done' && result.heldBack.length > 0) lines.push(`  • not committed (your uncommitted changes): ${result.heldBack.join(', ')}`);
    if (result.kind === 'done' && result.unattributed.length > 0) lines.push(`  • changed but not reported by any tool, left uncommitted: ${result.unattributed.join(', ')}`);
    return entry.success(lines.join('\n'));
  }
  if (record.status === 'IN-PROGRESS' || record.status === 'PENDING') return entry.info(`${record.id}: ${record.reason ?? 'stopped; it restarts from its last checkpoint.'}`);
  return entry.warning(`${record.id} ${record.status}: ${record.reason ?? ''}`);
}

/**
 * The next step once every task is built: the first build goes to the Critic. Tasks added
 * later were approved as they were added, so the report's !critic approval is renewed (see
 * BuildController) and the stage that asked for them looks again: the session restarts the
 * Critic or Security; after shipping (or a HOLD) the person verifies again.
 */
function afterBuild(stage: Stage): string {
  if (stage === 'building') return 'Review it; when you agree, type !critic.';
  const renewed = "The report's !critic approval is renewed with these tasks.";
  return stage === 'critique' || stage === 'security' ? renewed : `${renewed} Type !verify to verify the project again.`;
}

/** What the person reads when the build stops. */
export function endingMessage(ending: BuildEnding, project: OpenProject, reportPath: string, spent: string): EntryInput {
  const records = project.handoff.tasks;
  switch (ending.kind) {
    case 'complete': {
      const done = records.filter((r) => r.status === 'DONE').length;
      return entry.success(`Build complete: ${done} task${done === 1 ? '' : 's'} DONE, one commit each; ${spent} spent.\nReport: ${reportPath}\n${afterBuild(project.position().stage)}`);
    }
    case 'waiting': {
      const lines = ['The build waits for you:'];
      for (const id of ending.tasks) {
        const r = records.find((x) => x.id === id);
        if (r && r.status !== 'PENDING' && r.status !== 'IN-PROGRESS') lines.push(`  ${id} ${r.status}: ${r.reason ?? ''}`);
      }
      const open = (project.handoff.build?.decisions ?? []).filter((d) => d.answer === undefined);
      for (const d of open) lines.push(`  ${d.id} (${d.taskId}) asks: ${d.question}`);
      if (open.length > 0) lines.push('Answer with !decide <id> <answer>.');
      lines.push('Other commands: !retry TASK-NNN, !skip TASK-NNN, !status.');
      return entry.warning(lines.join('\n'));
    }
    case 'paused':
      return entry.warning(`The build is paused: ${ending.reason}\nFinished tasks stay committed. Look at the failures above, then !retry a task or !continue.`);
    case 'budget':
      return entry.warning(`The build stopped before spending past the budget: ${ending.message}\nType !budget extend N (US dollars), then !resume and !continue. Finished tasks stay committed.`);
    case 'aborted':
      return entry.info('The build stopped. Finished tasks stay committed; unfinished ones restart from their last checkpoint when you type !continue.');
  }
}
