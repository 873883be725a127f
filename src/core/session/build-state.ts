import { emptyBuildSection, type BuildSection } from '../build/build-record.js';
import { renderDecisions, renderGraphWithStatuses } from '../build/build-report.js';
import type { BuildProgress } from '../build/build-run-ports.js';
import { parseTaskGraph } from '../task-graph/parse-task-graph.js';
import type { TaskGraph } from '../task-graph/task.js';
import type { OpenProject } from './open-project.js';
import type { ProjectStorePort } from './ports.js';

/**
 * Where the build's state lives between events: the task records and decisions in HANDOFF.json,
 * their mirrors TASK-GRAPH.md and DECISIONS.md, and the build's settings. Writes go one at a
 * time: OpenProject.update changes the handoff it read when it started, so an !autonomy saved
 * while a task's record is saved would put the older records back (a DONE task IN-PROGRESS
 * again) or lose the setting. A failed write fails its own caller, not the ones after it.
 */
export class BuildState {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly projects: ProjectStorePort,
    /** Says why the task graph cannot be used (the Builder then does not run). */
    private readonly refuse: (text: string) => void,
  ) {}

  /** The approved TASK-GRAPH.md, or undefined (said through `refuse`) when it is missing or does not parse. */
  async readGraph(project: OpenProject): Promise<TaskGraph | undefined> {
    const read = await this.projects.readArtifact(project.id, 'TASK-GRAPH.md');
    const parsed = read.kind === 'ok' ? parseTaskGraph(read.text) : undefined;
    if (!parsed?.ok) {
      this.refuse(`TASK-GRAPH.md ${read.kind === 'missing' ? 'does not exist' : 'does not parse'}; the Builder cannot run. Type !status to see why.`);
      return undefined;
    }
    return parsed.graph;
  }

  /** Saves records and decisions, and renders TASK-GRAPH.md (and DECISIONS.md) from them. */
  persist(project: OpenProject, graph: TaskGraph, progress: BuildProgress): Promise<void> {
    const records = [...progress.records];
    const decisions = [...progress.decisions];
    return this.write(async () => {
      await project.update((h) => ({ ...h, tasks: records, build: { ...(h.build ?? emptyBuildSection()), decisions } }));
      await this.projects.writeArtifact(project.id, 'TASK-GRAPH.md', renderGraphWithStatuses(graph, records));
      if (decisions.length > 0) await this.projects.writeArtifact(project.id, 'DECISIONS.md', renderDecisions(decisions));
    });
  }

  saveSection(project: OpenProject, change: (section: BuildSection) => BuildSection): Promise<void> {
    return this.write(() => project.update((h) => ({ ...h, build: change(h.build ?? emptyBuildSection()) })));
  }

  /** Settles once every write asked for so far has ended; rejects when the last one failed. */
  idle(): Promise<void> {
    return this.chain;
  }

  private write(step: () => Promise<void>): Promise<void> {
    const next = this.chain.catch(() => undefined).then(step);
    this.chain = next;
    return next;
  }
}
