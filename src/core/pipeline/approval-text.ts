import { parseTaskGraph } from '../task-graph/parse-task-graph.js';
import { renderTaskGraph } from '../task-graph/render-task-graph.js';

/*
 * What an approval is bound to. For most artifacts that is every byte. TASK-GRAPH.md is also
 * the Builder's progress board: the Builder marks tasks IN-PROGRESS and DONE as it goes, and
 * that must not make the person's `!build` approval stale. So a task graph is approved as its
 * plan — every task's status read as PENDING — and any change to the plan itself still shows.
 */

/** The text whose SHA-256 an approval of `name` records. */
export function approvalText(name: string, text: string): string {
  if (name !== 'TASK-GRAPH.md') return text;
  const parsed = parseTaskGraph(text);
  if (!parsed.ok) return text;
  return renderTaskGraph({ ...parsed.graph, tasks: parsed.graph.tasks.map((t) => ({ ...t, status: 'PENDING' as const })) });
}
