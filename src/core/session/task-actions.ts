import { emptyBuildSection, type TaskRecord } from '../build/build-record.js';
import { skipMarks } from '../build/build-report.js';
import type { BuildProgress } from '../build/build-run-ports.js';
import type { BuildRun } from '../build/build-run.js';
import type { MarkedTask } from '../build/scheduler.js';
import { blankRecord } from '../build/task-outcome.js';
import type { ConfirmAction } from '../commands/types.js';
import { parseTaskGraph } from '../task-graph/parse-task-graph.js';
import type { TaskGraph } from '../task-graph/task.js';
import { entry, type EntryInput } from '../transcript.js';
import { skipPrompt } from './build-messages.js';
import type { BuildState } from './build-state.js';
import type { OpenProject } from './open-project.js';
import type { SessionPorts } from './ports.js';

/** What the task actions need from the build controller. */
export interface TaskActionsHost {
  emit(input: EntryInput): void;
  /** Asks the person to confirm; a yes comes back as `skip`. */
  confirm(action: ConfirmAction, prompt: string): void;
  /** The running build, if any: changes then go through it so it looks again at once. */
  run(): BuildRun | undefined;
  /** Starts the build (after a change, when none runs). */
  start(project: OpenProject): Promise<void>;
}

/** The statuses !retry takes. */
const RETRYABLE = ['BLOCKED', 'STALLED', 'NEEDS_CONTEXT', 'SKIPPED', 'IN-PROGRESS'];
/** The statuses !skip takes (a running task is refused: stop the build first). */
const SKIPPABLE = ['PENDING', 'BLOCKED', 'STALLED', 'NEEDS_CONTEXT', 'IN-PROGRESS'];

/**
 * The person's word on single tasks: !decide, !retry and !skip (asked first, naming the tasks
 * that then go on without it). Each works while other tasks run: the change goes through the
 * running build, which looks again; with no build running, it is saved and the build starts.
 */
export class TaskActions {
  constructor(
    private readonly ports: SessionPorts,
    private readonly state: BuildState,
    private readonly host: TaskActionsHost,
  ) {}

  async decide(project: OpenProject, id: string, answer: string): Promise<void> {
    const decisions = project.handoff.build?.decisions ?? [];
    const decision = decisions.find((d) => d.id.toLowerCase() === id.toLowerCase());
    if (!decision) {
      const open = decisions.filter((d) => d.answer === undefined).map((d) => d.id);
      this.host.emit(entry.error(`There is no decision ${id}. ${open.length > 0 ? `Open: ${open.join(', ')}.` : 'No decision is open.'} !status lists them.`));
      return;
    }
    if (decision.answer !== undefined) {
      this.host.emit(entry.error(`${decision.id} was already answered: "${decision.answer}".`));
      return;
    }
    const at = this.ports.env.now().toISOString();
    const updated = decisions.map((d) => (d.id === decision.id ? { ...d, answer, answeredAt: at } : d));
    const stillOpen = updated.some((d) => d.taskId === decision.taskId && d.answer === undefined);
    await this.change(project, (progress) => ({
      decisions: updated,
      records: progress.records.map((r) => (r.id === decision.taskId && r.status === 'NEEDS_CONTEXT' && !stillOpen ? { ...r, status: 'PENDING' as const } : r)),
    }));
    this.host.emit(entry.success(`${decision.id} answered. ${stillOpen ? `${decision.taskId} still has open questions.` : `${decision.taskId} goes on with your answer.`}`));
    if (!stillOpen && !this.host.run()) await this.host.start(project);
  }

  retry(project: OpenProject, taskId: string): Promise<void> {
    return this.requeue(project, taskId, RETRYABLE, 'PENDING', 'retry');
  }

  /** `!skip`: checks the task, then asks the person (the session's yes/no), naming its dependents. */
  async askSkip(project: OpenProject, taskId: string): Promise<void> {
    const found = await this.find(project, taskId, SKIPPABLE, 'skip');
    if (found) this.host.confirm({ kind: 'skip', taskId: found.id }, skipPrompt(found.graph, found.id));
  }

  /** `!skip` after the person's yes (checked again: the task may have moved since it was asked). */
  skip(project: OpenProject, taskId: string): Promise<void> {
    return this.requeue(project, taskId, SKIPPABLE, 'SKIPPED', 'skip');
  }

  /** The tasks built without a task the person skipped; none when nothing is skipped or the graph does not read. */
  async skipMarks(project: OpenProject): Promise<readonly MarkedTask[]> {
    const records = this.records(project);
    if (!records.some((r) => r.status === 'SKIPPED')) return [];
    const read = await this.ports.projects.readArtifact(project.id, 'TASK-GRAPH.md');
    const parsed = read.kind === 'ok' ? parseTaskGraph(read.text) : undefined;
    return parsed?.ok ? skipMarks(parsed.graph, records) : [];
  }

  /** The task `verb` may act on now, with the graph; undefined (said) when there is no such task or it is not in a `from` status. */
  private async find(project: OpenProject, taskId: string, from: readonly string[], verb: string): Promise<{ id: string; graph: TaskGraph } | undefined> {
    const graph = await this.state.readGraph(project);
    if (!graph) return undefined;
    const id = taskId.toUpperCase();
    if (!graph.tasks.some((t) => t.id === id)) {
      this.host.emit(entry.error(`There is no ${id} in TASK-GRAPH.md. !state lists the tasks.`));
      return undefined;
    }
    const current = this.records(project).find((r) => r.id === id)?.status ?? 'PENDING';
    const running = this.host.run()?.runningTasks().includes(id) ?? false;
    if (!from.includes(current) || running) {
      const stop = running ? ' Let it finish, or press Ctrl+C to stop the build first.' : '';
      this.host.emit(entry.error(`${id} is ${running ? 'running' : current}; !${verb} works on a task that is ${from.join(', ')}.${stop}`));
      return undefined;
    }
    return { id, graph };
  }

  /** The task records as they stand now: the running build's, else HANDOFF.json's. */
  private records(project: OpenProject): readonly TaskRecord[] {
    return this.host.run()?.progress().records ?? project.handoff.tasks;
  }

  private async requeue(project: OpenProject, taskId: string, from: readonly string[], to: 'PENDING' | 'SKIPPED', verb: string): Promise<void> {
    const found = await this.find(project, taskId, from, verb);
    if (!found) return;
    const { id, graph } = found;
    await this.change(project, (progress) => {
      const existing = progress.records.find((r) => r.id === id);
      const records = existing ? progress.records.map((r) => (r.id === id ? { ...r, status: to } : r)) : [...progress.records, { ...blankRecord(id), status: to }];
      return { ...progress, records };
    });
    if (to === 'SKIPPED') {
      const dependents = graph.tasks.filter((t) => t.depends_on.includes(id)).map((t) => t.id);
      const one = dependents.length === 1;
      const marked = ` Marked for your attention: ${dependents.join(', ')} ${one ? 'depends' : 'depend'} on it and will be built without it; !status and BUILD_REPORT.md show ${one ? 'it' : 'them'}.`;
      this.host.emit(entry.success(`${id} is SKIPPED.${dependents.length > 0 ? marked : ''}`));
    } else {
      this.host.emit(entry.success(`${id} is queued again; it restarts from the last checkpoint.`));
    }
    if (!this.host.run()) await this.host.start(project);
  }

  /** Changes records/decisions: through the running build when there is one, else straight into HANDOFF.json. */
  private async change(project: OpenProject, change: (progress: BuildProgress) => BuildProgress): Promise<void> {
    const run = this.host.run();
    if (run) {
      await run.update(change);
      return;
    }
    const graph = await this.state.readGraph(project);
    const section = project.handoff.build ?? emptyBuildSection();
    const next = change({ records: project.handoff.tasks, decisions: section.decisions });
    if (graph) await this.state.persist(project, graph, next);
  }
}
