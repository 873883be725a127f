import type { AgentEvent } from '../agent/agent-types.js';
import { emptyBuildSection, type TaskRecord } from '../build/build-record.js';
import { boardLines, renderBuildReport } from '../build/build-report.js';
import { BuildRun, type BuildEnding, type BuildProgress } from '../build/build-run.js';
import { removeLeftoverWorktrees } from '../build/leftover-worktrees.js';
import { blankRecord } from '../build/task-outcome.js';
import { formatUsd } from '../budget/cost.js';
import type { BuildAction } from '../commands/types.js';
import { errorMessage } from '../errors.js';
import { latestApprovals, type StaleApproval } from '../pipeline/approvals.js';
import type { TaskGraph } from '../task-graph/task.js';
import { APPROVAL_ANSWER_HINT, approvalQuestion, createSessionApprover, parseApprovalAnswer } from '../tools/approvals.js';
import type { ApprovalDecision, ApprovalRequest } from '../tools/types.js';
import { entry, type EntryInput } from '../transcript.js';
import type { OpenProject } from './open-project.js';
import type { SessionPorts } from './ports.js';
import { BuildState } from './build-state.js';
import { preflight, settleDirtyTree, type PreflightQuestion } from './build-preflight.js';
import { buildingLine, describeTaskEnd, detachedHeadText, dirtyTreePrompt, movedBranchPrompt, endingMessage, gitFailureText, leftoverLines, phaseText, toolActivity } from './build-messages.js';

/** What the build controller needs from the session. */
export interface BuildHost {
  emit(input: EntryInput): void;
  /** The live area: the task board while the build runs, undefined after. */
  live(text: string | undefined): void;
  bell(): void;
  /** The project's stage or records changed: registry and status bar. */
  changed(project: OpenProject): Promise<void>;
  pause(reason: string): Promise<void>;
  /** Approvals whose artifacts changed since the person gave them (the Builder runs only what was approved). */
  stale(project: OpenProject): Promise<readonly StaleApproval[]>;
  /** What the Builder works from: the project brief and the approved design (the stage agents' context). */
  context(): Promise<{ name: string; text: string }[]>;
  /**
   * The build completed (every task DONE, skipped or accepted BLOCKED), however it got there:
   * in one go, after !continue, !retry, !decide or a resume. Called once the controller is
   * idle again, so the stage that asked for the tasks (Security after !security fix) can look again.
   */
  completed(project: OpenProject): Promise<void>;
}

type Waiting =
  | PreflightQuestion
  | { readonly kind: 'approval'; readonly resolve: (decision: ApprovalDecision) => void }
  | { readonly kind: 'continue'; readonly resolve: () => void };

/**
 * The Builder as the person meets it: the dirty-tree choice before anything moves, the build
 * run with its live board, the decisions queue, !retry/!skip/!autonomy/!continue, and
 * BUILD_REPORT.md when every task is DONE or skipped.
 */
export class BuildController {
  private run: BuildRun | undefined;
  private runDone: Promise<void> | undefined;
  private controller: AbortController | undefined;
  private waiting: Waiting | undefined;
  private wake: (() => void) | undefined;
  /** Per running task: what its agent does now (last tool call or turn), and which phase it is in. */
  private readonly activity = new Map<string, string>();
  private readonly phases = new Map<string, string>();
  private readonly approver = createSessionApprover((request) => this.askPerson(request));
  private readonly state: BuildState;

  constructor(
    private readonly ports: SessionPorts,
    private readonly host: BuildHost,
  ) {
    this.state = new BuildState(ports.projects, (text) => host.emit(entry.error(text)));
  }

  running(): boolean {
    return this.run !== undefined;
  }

  waitingFor(): string | undefined {
    switch (this.waiting?.kind) {
      case undefined:
        return undefined;
      case 'dirty':
        return 'commit, aside or cancel';
      case 'branch':
        return 'here or cancel';
      case 'approval':
        return 'y/n/a for the Builder';
      case 'continue':
        return '!continue';
    }
  }

  /** Starts (or goes on with) the build of the project's task graph. Resolves when it settles or waits for the person. */
  async start(project: OpenProject): Promise<void> {
    if (this.run) {
      this.host.emit(entry.info(this.waiting ? `The build is already under way and waits for ${this.waitingFor()}.` : 'The build is already running.'));
      return this.settled();
    }
    const build = this.ports.build;
    if (!build || !this.ports.agents) {
      this.host.emit(entry.warning('The Builder cannot run in this session (no agent runtime). Nothing was changed.'));
      return;
    }
    const readiness = await this.ports.agents.check();
    if (readiness.unavailable) {
      this.host.emit(entry.warning(`The Builder cannot start: ${readiness.unavailable}`));
      return;
    }
    const checked = await preflight(project, build, await this.host.stale(project));
    if (checked.kind === 'refuse') {
      this.host.emit(entry.error(checked.text));
      return;
    }
    if (checked.kind === 'ask') {
      this.waiting = checked.question;
      this.host.emit(entry.warning(checked.text));
      this.host.bell();
      return;
    }
    await this.launch(project, checked.branch);
    return this.settled();
  }

  /** A plain line while the controller waits for the person. False when it was not waiting for text. */
  async answer(text: string): Promise<boolean> {
    const waiting = this.waiting;
    if (!waiting || waiting.kind === 'continue') return false;
    if (waiting.kind === 'branch') return this.chooseBranch(waiting, text.trim().toLowerCase()).then(() => true);
    if (waiting.kind === 'approval') {
      const decision = parseApprovalAnswer(text);
      if (!decision) {
        this.host.emit(entry.error(APPROVAL_ANSWER_HINT));
        return true;
      }
      this.waiting = undefined;
      waiting.resolve(decision);
      await this.settled();
      return true;
    }
    return this.chooseForDirtyTree(waiting, text.trim().toLowerCase()).then(() => true);
  }

  /** One of !decide, !retry, !skip (confirmed), !autonomy, !continue, or !build in a later stage. */
  async act(project: OpenProject, action: BuildAction): Promise<void> {
    switch (action.kind) {
      case 'start':
        return this.start(project);
      case 'continue': {
        if (this.waiting?.kind === 'continue') {
          const { resolve } = this.waiting;
          this.waiting = undefined;
          resolve();
          return this.settled();
        }
        return this.start(project);
      }
      case 'autonomy': {
        await this.state.saveSection(project, (s) => ({ ...s, autonomy: action.mode }));
        this.host.emit(
          entry.success(
            action.mode === 'per_task'
              ? 'Autonomy per_task: the Builder stops after each task with its report until you type !continue.'
              : 'Autonomy end_only: the Builder goes on from task to task and reports at the end.',
          ),
        );
        return;
      }
      case 'decide':
        return this.decide(project, action.id, action.answer);
      case 'retry':
        return this.requeue(project, action.taskId, ['BLOCKED', 'STALLED', 'NEEDS_CONTEXT', 'SKIPPED', 'IN-PROGRESS'], 'PENDING', 'retry');
    }
  }

  /** `!skip TASK-NNN` after the person confirmed. */
  async skip(project: OpenProject, taskId: string): Promise<void> {
    return this.requeue(project, taskId, ['PENDING', 'BLOCKED', 'STALLED', 'NEEDS_CONTEXT', 'IN-PROGRESS'], 'SKIPPED', 'skip');
  }

  /** Ctrl+C or !pause: stops the running tasks (they restart from their checkpoint later). */
  cancel(): boolean {
    if (this.waiting?.kind === 'approval') {
      this.waiting.resolve('no');
      this.waiting = undefined;
    }
    if (this.waiting?.kind === 'continue') {
      this.waiting.resolve();
      this.waiting = undefined;
    }
    if (this.waiting?.kind === 'dirty' || this.waiting?.kind === 'branch') {
      this.waiting = undefined;
      this.host.emit(entry.info('Build not started; your files are as they were.'));
      return true;
    }
    if (!this.controller) return false;
    this.controller.abort();
    return true;
  }

  async stop(): Promise<void> {
    this.cancel();
    await this.runDone;
  }

  /** Resolves once the build is not working (ended, or waiting for the person). */
  settled(): Promise<void> {
    const done = this.runDone;
    if (!done || this.waiting) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      void done.then(resolve);
    });
  }

  private async chooseBranch(waiting: Extract<Waiting, { kind: 'branch' }>, answer: string): Promise<void> {
    if (answer === 'cancel' || answer === 'c' || answer === 'no') {
      this.waiting = undefined;
      this.host.emit(entry.info(`Build not started; nothing was changed. Check out ${waiting.project.handoff.build?.branch ?? 'the build\'s branch'} and type !continue, or type !continue again to choose.`));
      return;
    }
    if (answer !== 'here') {
      this.host.emit(entry.error(`Type here (build on ${waiting.to} from now on) or cancel.`));
      return;
    }
    this.waiting = undefined;
    await this.state.saveSection(waiting.project, (s) => ({ ...s, branch: waiting.to }));
    this.host.emit(entry.info(`The build goes on on ${waiting.to}.`));
    await this.start(waiting.project);
  }

  private async chooseForDirtyTree(waiting: Extract<Waiting, { kind: 'dirty' }>, answer: string): Promise<void> {
    const outcome = await settleDirtyTree(waiting, answer, this.ports.build!, this.state);
    if (!outcome.ask) this.waiting = undefined;
    this.host.emit(entry[outcome.level](outcome.text));
    if (!outcome.go) return;
    await this.launch(waiting.project, waiting.branch);
    await this.settled();
  }

  /** Runs the build; `branch` (null on a detached HEAD, which start refuses) is where the task commits go. */
  private async launch(project: OpenProject, branch: string | null): Promise<void> {
    const build = this.ports.build!;
    const graph = await this.state.readGraph(project);
    if (!graph) return;
    if (branch !== null && project.handoff.build?.branch === undefined) {
      try {
        await this.state.saveSection(project, (s) => ({ ...s, branch }));
      } catch (error) {
        this.host.emit(entry.error(stoppedText(error)));
        return;
      }
    }
    const section = project.handoff.build ?? emptyBuildSection();
    const leftovers = await removeLeftoverWorktrees(build.git, project.handoff.project.path, this.branchPrefix(project));
    for (const line of leftoverLines(leftovers)) this.host.emit(line);
    const context = await this.host.context();
    const controller = new AbortController();
    this.controller = controller;
    const run = new BuildRun(
      {
        execute: (task, dir, hooks) =>
          build.execute({
            projectId: project.id,
            task,
            dir,
            context,
            ...(section.gateCommands ? { gateCommands: section.gateCommands } : {}),
            signal: hooks.signal,
            approve: this.approver.approve,
            onEvent: hooks.onEvent,
            onReviewEvent: hooks.onReviewEvent,
            onPhase: hooks.onPhase,
          }),
        git: build.git,
        persist: (progress) => this.state.persist(project, graph, progress),
        now: () => this.ports.env.now(),
        every: build.every,
        costOf: build.costOf,
      },
      {
        graph,
        projectDir: project.handoff.project.path,
        worktreeRoot: build.worktreeRoot(project.id),
        branchPrefix: this.branchPrefix(project),
        maxWorkers: build.maxWorkers,
        patrol: build.patrol,
        signal: controller.signal,
      },
      { records: project.handoff.tasks, decisions: section.decisions },
      {
        taskStarted: (taskId, where) => {
          this.activity.set(taskId, where === 'worktree' ? 'starting in its worktree' : 'starting');
          this.refreshBoard(graph);
        },
        taskEvent: (taskId, event) => this.onTaskEvent(graph, taskId, event),
        taskPhase: (taskId, phase) => {
          this.phases.set(taskId, phaseText(phase));
          this.activity.delete(taskId);
          this.refreshBoard(graph);
        },
        taskFinished: (record, result) => {
          this.activity.delete(record.id);
          this.phases.delete(record.id);
          this.host.emit(describeTaskEnd(record, result));
          this.refreshBoard(graph);
        },
        note: (tone, text) => this.host.emit(tone === 'warning' ? entry.warning(text) : entry.info(text)),
        afterTask: (record) => this.holdAfter(project, graph, record),
      },
    );
    this.run = run;
    const starting = buildingLine(graph, project.handoff.tasks, build.maxWorkers);
    if (starting) this.host.emit(starting);
    this.refreshBoard(graph);
    // The board's elapsed times move on between events.
    const stopTicking = build.every(1_000, () => this.refreshBoard(graph));
    this.runDone = run
      .run()
      .then(async (ending) => {
        await this.finish(project, graph, ending);
        return ending.kind === 'complete';
      })
      .catch((error: unknown) => {
        this.host.emit(entry.error(stoppedText(error)));
        return false;
      })
      .finally(() => {
        stopTicking();
        this.run = undefined;
        this.controller = undefined;
        this.host.live(undefined);
      })
      // After the run is cleared, so what follows a completed build sees the Builder idle.
      .then((complete) => (complete ? this.host.completed(project) : undefined))
      .catch((error: unknown) => {
        this.host.emit(entry.error(`The build completed, but what follows it failed: ${errorMessage(error)}. The build's commits and BUILD_REPORT.md are saved.`));
      })
      .finally(() => this.wake?.());
  }

  private async finish(project: OpenProject, graph: TaskGraph, ending: BuildEnding): Promise<void> {
    await this.state.idle();
    this.host.live(undefined);
    if (ending.kind === 'complete') {
      const completedAt = this.ports.env.now().toISOString();
      const section = project.handoff.build ?? emptyBuildSection();
      const report = renderBuildReport({ projectName: project.handoff.project.name, graph, records: project.handoff.tasks, decisions: section.decisions, completedAt });
      await this.ports.projects.writeArtifact(project.id, 'BUILD_REPORT.md', report);
      await this.state.saveSection(project, (s) => ({ ...s, completedAt }));
      if (project.position().stage === 'building') await project.reachMilestone('built', 'build complete');
      else if (latestApprovals(project.handoff.approvals).has('critic')) {
        // Tasks added after !critic (fix or maintenance tasks) were approved when they were added; the
        // report of building them follows from that approval, so !critic's must not turn stale over it.
        await project.renewApproval('critic', 'BUILD_REPORT.md renewed with the approved tasks');
      }
      await this.host.changed(project);
    }
    if (ending.kind === 'budget') await this.host.pause('budget');
    const spent = project.handoff.tasks.reduce((sum, r) => sum + r.costUsd, 0);
    this.host.emit(endingMessage(ending, project, this.ports.projects.artifactPath(project.id, 'BUILD_REPORT.md'), formatUsd(spent)));
    this.host.bell();
  }

  private async holdAfter(project: OpenProject, graph: TaskGraph, record: TaskRecord): Promise<void> {
    if ((project.handoff.build?.autonomy ?? 'end_only') !== 'per_task') return;
    // After the last task there is no next one to hold back: the build completes and reports.
    const records = this.run?.progress().records ?? [];
    const open = graph.tasks.some((t) => !['DONE', 'SKIPPED'].includes(records.find((r) => r.id === t.id)?.status ?? 'PENDING'));
    if (!open) return;
    await new Promise<void>((resolve) => {
      this.waiting = { kind: 'continue', resolve };
      this.host.emit(entry.warning(`${record.id} is DONE (per_task autonomy). Read its report above, then type !continue for the next task.`));
      this.host.bell();
      this.wake?.();
    });
  }

  private async decide(project: OpenProject, id: string, answer: string): Promise<void> {
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
    if (!stillOpen && !this.run) await this.start(project);
  }

  private async requeue(project: OpenProject, taskId: string, from: readonly string[], to: 'PENDING' | 'SKIPPED', verb: string): Promise<void> {
    const graph = await this.state.readGraph(project);
    if (!graph) return;
    const id = taskId.toUpperCase();
    if (!graph.tasks.some((t) => t.id === id)) {
      this.host.emit(entry.error(`There is no ${id} in TASK-GRAPH.md. !state lists the tasks.`));
      return;
    }
    const current = project.handoff.tasks.find((r) => r.id === id)?.status ?? 'PENDING';
    if (!from.includes(current) || (this.run?.runningTasks().includes(id) ?? false)) {
      this.host.emit(entry.error(`${id} is ${this.run?.runningTasks().includes(id) ? 'running' : current}; !${verb} works on a task that is ${from.join(', ')}.`));
      return;
    }
    await this.change(project, (progress) => {
      const existing = progress.records.find((r) => r.id === id);
      const records = existing ? progress.records.map((r) => (r.id === id ? { ...r, status: to } : r)) : [...progress.records, { ...blankRecord(id), status: to }];
      return { ...progress, records };
    });
    if (to === 'SKIPPED') {
      const dependents = graph.tasks.filter((t) => t.depends_on.includes(id)).map((t) => t.id);
      this.host.emit(entry.success(`${id} is SKIPPED.${dependents.length > 0 ? ` Marked for your attention: ${dependents.join(', ')} ${dependents.length === 1 ? 'depends' : 'depend'} on it and will be built without it.` : ''}`));
    } else {
      this.host.emit(entry.success(`${id} is queued again; it restarts from the last checkpoint.`));
    }
    if (!this.run) await this.start(project);
  }

  /** Changes records/decisions: through the running build when there is one, else straight into HANDOFF.json. */
  private async change(project: OpenProject, change: (progress: BuildProgress) => BuildProgress): Promise<void> {
    if (this.run) {
      await this.run.update(change);
      return;
    }
    const graph = await this.state.readGraph(project);
    const section = project.handoff.build ?? emptyBuildSection();
    const next = change({ records: project.handoff.tasks, decisions: section.decisions });
    if (graph) await this.state.persist(project, graph, next);
  }

  private branchPrefix(project: OpenProject): string {
    return `codesleuth/${project.id}/`;
  }

  private onTaskEvent(graph: TaskGraph, taskId: string, event: AgentEvent): void {
    const doing = toolActivity(event);
    if (doing !== undefined) this.activity.set(taskId, doing);
    // A usage event changes the task's cost (and the status bar's spend).
    if (doing !== undefined || event.type === 'usage') this.refreshBoard(graph);
  }

  private refreshBoard(graph: TaskGraph): void {
    const records = this.run?.progress().records ?? [];
    const doing = new Map<string, string>();
    for (const taskId of new Set([...this.phases.keys(), ...this.activity.keys()])) {
      doing.set(taskId, [this.phases.get(taskId), this.activity.get(taskId)].filter((part) => part !== undefined).join(': '));
    }
    const lines = boardLines(graph, records, doing, this.ports.env.now().getTime());
    this.host.live(['Task board', ...lines].join('\n'));
  }

  private askPerson(request: ApprovalRequest): Promise<ApprovalDecision> {
    return new Promise((resolve) => {
      this.waiting = { kind: 'approval', resolve };
      this.host.emit(entry.warning(approvalQuestion('The Builder', request)));
      this.host.bell();
      this.wake?.();
    });
  }
}

/** A write or the run itself failed: the build stops, and nothing committed is lost. */
function stoppedText(error: unknown): string {
  return `The build stopped: ${errorMessage(error)}. Finished tasks are committed; type !continue to go on.`;
}
