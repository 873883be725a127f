import { emptyBuildSection, type BuildSection } from '../build/build-record.js';
import { canonicalJson } from '../build/canonical-json.js';
import { nextGateScripts, type GateScripts } from '../build/gate-scripts.js';
import { renderBuildReport } from '../build/build-report.js';
import { BuildRun } from '../build/build-run.js';
import type { BuildEnding } from '../build/build-ending.js';
import type { BuildObserver } from '../build/build-run-ports.js';
import { removeLeftoverWorktrees } from '../build/leftover-worktrees.js';
import { formatUsd } from '../budget/cost.js';
import { errorMessage } from '../errors.js';
import { latestApprovals } from '../pipeline/approvals.js';
import type { TaskGraph } from '../task-graph/task.js';
import type { ApprovalDecision, ApprovalRequest } from '../tools/types.js';
import { entry, type EntryInput } from '../transcript.js';
import type { BuildHost } from './build-ports.js';
import type { BuildState } from './build-state.js';
import { endingMessage, leftoverLines, stoppedText } from './build-messages.js';
import type { OpenProject } from './open-project.js';
import type { SessionPorts } from './ports.js';

/** What wiring a run needs from the build controller. */
export interface LaunchHost {
  emit(input: EntryInput): void;
  /** What the Builder works from: the project brief and the approved design. */
  context(): Promise<{ name: string; text: string }[]>;
  /** Puts one task's y/n/a question to the person, behind any already asked. */
  ask(taskId: string, request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision>;
  /** How the controller follows the run over `graph` (board, bells, holds). */
  observer(graph: TaskGraph): BuildObserver;
}

/** A run wired and ready to go; aborting `controller` stops its tasks. */
export interface PreparedRun {
  readonly run: BuildRun;
  readonly graph: TaskGraph;
  readonly controller: AbortController;
}

/**
 * Wires a BuildRun for the project's approved task graph; `branch` (null on a detached HEAD,
 * which the preflight refuses) is where the task commits go. Undefined when the run cannot
 * start; the reason was said through `host.emit`.
 */
export async function prepareRun(ports: SessionPorts, state: BuildState, host: LaunchHost, project: OpenProject, branch: string | null): Promise<PreparedRun | undefined> {
  const build = ports.build!;
  const graph = await state.readGraph(project);
  if (!graph) return undefined;
  if (branch !== null && project.handoff.build?.branch === undefined) {
    try {
      await state.saveSection(project, (s) => ({ ...s, branch }));
    } catch (error) {
      host.emit(entry.error(stoppedText(error)));
      return undefined;
    }
  }
  const section = project.handoff.build ?? emptyBuildSection();
  let gateScripts: GateScripts | undefined;
  try {
    gateScripts = await recordGateScripts(ports, state, project, section);
  } catch (error) {
    host.emit(entry.error(stoppedText(error)));
    return undefined;
  }
  /** What was recorded when each task started: a task changes only what it saw. */
  const scriptsAtStart = new Map<string, GateScripts>();
  const leftovers = await removeLeftoverWorktrees(build.git, project.handoff.project.path, branchPrefix(project));
  for (const line of leftoverLines(leftovers)) host.emit(line);
  const context = await host.context();
  const controller = new AbortController();
  const observer = host.observer(graph);
  const run = new BuildRun(
    {
      execute: (task, dir, hooks) => {
        scriptsAtStart.set(task.id, gateScripts ?? {});
        return build.execute({
          projectId: project.id,
          task,
          dir,
          context,
          ...(section.gateCommands ? { gateCommands: section.gateCommands } : {}),
          ...(gateScripts ? { gateScripts } : {}),
          signal: hooks.signal,
          approve: (request) => hooks.waitForPerson(() => host.ask(task.id, request, hooks.signal)),
          onEvent: hooks.onEvent,
          onReviewEvent: hooks.onReviewEvent,
          onPhase: hooks.onPhase,
          onReceipts: hooks.onReceipts,
        });
      },
      git: build.git,
      persist: (progress) => state.persist(project, graph, progress),
      now: () => ports.env.now(),
      every: build.every,
      costOf: build.costOf,
    },
    {
      graph,
      projectDir: project.handoff.project.path,
      worktreeRoot: build.worktreeRoot(project.id),
      branchPrefix: branchPrefix(project),
      maxWorkers: build.maxWorkers,
      patrol: build.patrol,
      signal: controller.signal,
    },
    { records: project.handoff.tasks, decisions: section.decisions },
    {
      ...observer,
      taskFinished: (record, result) => {
        if (result.kind === 'done' && result.gateScripts) {
          const next = nextGateScripts(gateScripts ?? {}, scriptsAtStart.get(record.id) ?? {}, result.gateScripts);
          if (canonicalJson(next) !== canonicalJson(gateScripts ?? {})) {
            gateScripts = next;
            state.saveSection(project, (s) => ({ ...s, gateScripts: next })).catch((error: unknown) => host.emit(entry.error(`Could not record the gate scripts in HANDOFF.json: ${errorMessage(error)}`)));
          }
        }
        observer.taskFinished(record, result);
      },
    },
  );
  return { run, graph, controller };
}

/** The gate scripts recorded in HANDOFF; recorded now when the project has them and none were yet. */
async function recordGateScripts(ports: SessionPorts, state: BuildState, project: OpenProject, section: BuildSection): Promise<GateScripts | undefined> {
  if (section.gateScripts !== undefined) return section.gateScripts;
  const found = await ports.build!.gateScripts(project.handoff.project.path, section.gateCommands);
  if (Object.keys(found).length === 0) return undefined;
  await state.saveSection(project, (s) => ({ ...s, gateScripts: { ...found } }));
  return found;
}

function branchPrefix(project: OpenProject): string {
  return `codesleuth/${project.id}/`;
}

/**
 * Says how the run ended. A complete build writes BUILD_REPORT.md and reaches the `built`
 * milestone (or, in a later stage, renews !critic's approval); a budget stop pauses the project.
 */
export async function finishRun(
  ports: SessionPorts,
  state: BuildState,
  host: Pick<BuildHost, 'emit' | 'live' | 'changed' | 'pause'>,
  project: OpenProject,
  graph: TaskGraph,
  ending: BuildEnding,
): Promise<void> {
  await state.idle();
  host.live(undefined);
  if (ending.kind === 'complete') {
    const completedAt = ports.env.now().toISOString();
    const section = project.handoff.build ?? emptyBuildSection();
    const report = renderBuildReport({ projectName: project.handoff.project.name, graph, records: project.handoff.tasks, decisions: section.decisions, completedAt });
    await ports.projects.writeArtifact(project.id, 'BUILD_REPORT.md', report);
    await state.saveSection(project, (s) => ({ ...s, completedAt }));
    if (project.position().stage === 'building') await project.reachMilestone('built', 'build complete');
    else if (latestApprovals(project.handoff.approvals).has('critic')) {
      // Tasks added after !critic (fix or maintenance tasks) were approved when they were added; the
      // report of building them follows from that approval, so !critic's must not turn stale over it.
      await project.renewApproval('critic', 'BUILD_REPORT.md renewed with the approved tasks');
    }
    await host.changed(project);
  }
  if (ending.kind === 'budget') await host.pause('budget');
  const spent = project.handoff.tasks.reduce((sum, r) => sum + r.costUsd, 0);
  host.emit(endingMessage(ending, project, ports.projects.artifactPath(project.id, 'BUILD_REPORT.md'), formatUsd(spent)));
}
