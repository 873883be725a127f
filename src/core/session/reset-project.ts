import { renderGraphWithStatuses } from '../build/build-report.js';
import { errorMessage } from '../errors.js';
import { RUN_OUTPUTS, listWords, resetClears } from '../handoff/reset-scope.js';
import { parseTaskGraph } from '../task-graph/parse-task-graph.js';
import { TASK_GRAPH_FILE } from '../task-graph/render-task-graph.js';
import { entry, type EntryInput } from '../transcript.js';
import type { OpenProject } from './open-project.js';
import type { SessionPorts } from './ports.js';

/**
 * `!reset` after the person's yes: HANDOFF.json is copied aside, then the machine goes back to
 * Discovery with the run cleared (OpenProject.send), the old run's reports move into backups/,
 * the task graph's statuses go back to PENDING and the agents' conversations are archived.
 * `forget` drops the agents' cached conversations before their files move.
 */
export async function resetProject(ports: SessionPorts, project: OpenProject, forget: () => void): Promise<EntryInput[]> {
  const cleared = resetClears(project.handoff);
  const backup = await ports.projects.backupHandoff(project.id);
  await project.send({ type: 'RESET' }, '!reset');
  forget();
  const lines = [`Reset to Discovery. The previous state is backed up at ${backup}.`, `Cleared from HANDOFF.json: ${listWords(cleared)}.`];
  const problems: EntryInput[] = [];

  try {
    const archived = await ports.projects.archiveArtifacts(project.id, RUN_OUTPUTS);
    if (archived.moved.length > 0) lines.push(`The old run's reports moved to ${archived.dir}: ${archived.moved.join(', ')}.`);
  } catch (error) {
    problems.push(
      entry.error(
        `The old run's reports could not all be moved into backups/ (${errorMessage(error)}). Those still in ${ports.projects.artifactPath(project.id, '')} ` +
          `(${RUN_OUTPUTS.join(', ')}) belong to the old run: move them out by hand before the next build.`,
      ),
    );
  }

  try {
    if (await resetTaskGraph(ports, project)) lines.push(`Every task in ${TASK_GRAPH_FILE} is PENDING again.`);
  } catch (error) {
    problems.push(entry.error(`${TASK_GRAPH_FILE} could not be rewritten with every task PENDING (${errorMessage(error)}); the next !build rewrites it, or set its statuses to PENDING by hand.`));
  }

  const conversations = await ports.projects.archiveConversations(project.id);
  if (conversations) lines.push(`The agents' conversations moved to ${conversations}.`);
  lines.push('feature-spec.md and the planning documents stay as your starting point; your project files and their git history are untouched.');
  return [entry.success(lines.join('\n')), ...problems];
}

/** Rewrites TASK-GRAPH.md with every task PENDING; false when there is none or nothing to change. */
async function resetTaskGraph(ports: SessionPorts, project: OpenProject): Promise<boolean> {
  const read = await ports.projects.readArtifact(project.id, TASK_GRAPH_FILE);
  if (read.kind === 'missing') return false;
  const parsed = parseTaskGraph(read.text);
  // A graph that does not parse passes no gate; it is left for the person (or the Planner) to fix.
  if (!parsed.ok || parsed.graph.tasks.every((t) => t.status === 'PENDING')) return false;
  await ports.projects.writeArtifact(project.id, TASK_GRAPH_FILE, renderGraphWithStatuses(parsed.graph, []));
  return true;
}
