import type { Task } from '../task-graph/task.js';

/*
 * The Builder's first message for a task. The approved TDD, INTERFACES and SCHEMA are already
 * in the agent's context (the runtime adds them), so this names the task and what finishes it.
 */

/** Pure: the user message that starts the Builder on `task`. */
export function taskBrief(task: Task): string {
  const lines = [`Implement ${task.id}: ${task.title}`, '', task.description.trim(), '', 'Acceptance criteria:'];
  for (const criterion of task.acceptance_criteria) lines.push(`- ${criterion}`);
  lines.push('', 'Files this task creates or changes:');
  for (const file of task.output_files) lines.push(`- ${file}`);
  if (task.depends_on.length > 0) lines.push('', `It builds on ${task.depends_on.join(', ')}, which are done and committed.`);
  if (task.status === 'STALE') {
    lines.push('', 'This task is STALE: an approved change affected it. Re-read the current spec and design and derive the work again.');
  }
  lines.push(
    '',
    'When you are finished, call report_status. The runtime then runs the project\'s gate commands itself and commits only ' +
      'the files your tools changed; list any file you changed another way (with bash) in changed_files.',
  );
  return lines.join('\n');
}
