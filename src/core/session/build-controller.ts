import type { TaskRecord } from '../build/build-record.js';
import type { MarkedTask } from '../build/scheduler.js';
import type { BuildRun } from '../build/build-run.js';
import type { BuildEnding } from '../build/build-ending.js';
import type { BuildAction } from '../commands/types.js';
import { errorMessage } from '../errors.js';
import type { TaskGraph } from '../task-graph/task.js';
import { APPROVAL_ANSWER_HINT, approvalQuestion, parseApprovalAnswer } from '../tools/approvals.js';
import { entry } from '../transcript.js';
import type { OpenProject } from './open-project.js';
import type { SessionPorts } from './ports.js';
import type { BuildHost } from './build-ports.js';
import { ApprovalQueue, type AskedApproval } from './approval-queue.js';
import { BuildState } from './build-state.js';
import { finishRun, prepareRun } from './build-launch.js';
import { TaskActions } from './task-actions.js';
import { RunWatch } from './run-watch.js';
import { preflight, setAsideInterrupted, settleDirtyTree, type PreflightQuestion } from './build-preflight.js';
import { actOnGates } from './gates-action.js';
import { buildingLine, decisionsWaiting, stoppedText } from './build-messages.js';

type Waiting = PreflightQuestion | { readonly kind: 'continue'; readonly resolve: () => void };

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
  private readonly watch: RunWatch;
  /** The running tasks' y/n/a questions, one on screen at a time (apart from `waiting`: a task may ask while another's report waits for !continue). */
  private readonly approvals = new ApprovalQueue({
    show: (asked, queued) => this.showApproval(asked, queued),
    withdrawn: (asked) => this.host.emit(entry.info(`${asked.taskId} was stopped, so its question is withdrawn (${asked.request.kind}: ${asked.request.action}); nothing was done.`)),
  });
  private readonly state: BuildState;
  private readonly tasks: TaskActions;

  constructor(
    private readonly ports: SessionPorts,
    private readonly host: BuildHost,
  ) {
    this.state = new BuildState(ports.projects, (text) => host.emit(entry.error(text)));
    this.watch = new RunWatch({
      records: () => this.run?.progress().records ?? [],
      now: () => ports.env.now().getTime(),
      show: (text) => host.live(text),
      emit: (input) => host.emit(input),
      bell: () => host.bell(),
    });
    this.tasks = new TaskActions(ports, this.state, {
      emit: (input) => host.emit(input),
      confirm: (action, prompt) => host.confirm(action, prompt),
      run: () => this.run,
      start: (project) => this.start(project),
    });
  }

  running(): boolean {
    return this.run !== undefined;
  }

  /** What the status bar says the build waits for: the question on screen, then the open decisions of `project` and escalated reviews. */
  waitingFor(project?: OpenProject): string | undefined {
    const parts = [this.questionOnScreen(), ...this.openDecisions(project)].filter((part) => part !== undefined);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }

  private questionOnScreen(): string | undefined {
    const asked = this.approvals.current();
    if (asked) {
      const queued = this.approvals.queued();
      return `y/n/a for the Builder (${asked.taskId})${queued > 0 ? `, ${queued} more question${queued === 1 ? '' : 's'} after it` : ''}`;
    }
    switch (this.waiting?.kind) {
      case undefined:
        return undefined;
      case 'dirty':
        return 'commit, aside or cancel';
      case 'branch':
        return 'here or cancel';
      case 'continue':
        return '!continue';
    }
  }

  /** Decisions nobody answered yet (the running build's, else the project's) and reviews escalated to the person. */
  private openDecisions(project: OpenProject | undefined): string[] {
    const progress = this.run?.progress();
    const records = progress?.records ?? project?.handoff.tasks ?? [];
    const escalated = records.filter((r) => r.escalated && r.status === 'BLOCKED').map((r) => r.id);
    return decisionsWaiting(progress?.decisions ?? project?.handoff.build?.decisions ?? [], escalated);
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
    if (checked.interrupted) {
      // The process died while a task worked in place: its leftovers are set aside, never offered to the person as their own.
      const aside = await setAsideInterrupted(checked.interrupted, project.handoff.project.path, build);
      this.host.emit(aside.ok ? entry.warning(aside.text) : entry.error(aside.text));
      if (!aside.ok) return;
    }
    await this.launch(project, checked.branch);
    return this.settled();
  }

  /** A plain line while the controller waits for the person. False when it was not waiting for text. */
  async answer(text: string): Promise<boolean> {
    if (this.approvals.current()) {
      const decision = parseApprovalAnswer(text);
      if (!decision) {
        this.host.emit(entry.error(APPROVAL_ANSWER_HINT));
        return true;
      }
      this.approvals.answer(decision);
      await this.settled();
      return true;
    }
    const waiting = this.waiting;
    if (!waiting || waiting.kind === 'continue') return false;
    if (waiting.kind === 'branch') return this.chooseBranch(waiting, text.trim().toLowerCase()).then(() => true);
    return this.chooseForDirtyTree(waiting, text.trim().toLowerCase()).then(() => true);
  }

  /** One of !decide, !retry, !skip (confirmed), !autonomy, !gates, !continue, or !build in a later stage. */
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
      case 'gates':
        return actOnGates(project, action.change, {
          state: this.state,
          ...(this.ports.build ? { detect: (dir: string) => this.ports.build!.detectGates(dir) } : {}),
          running: () => this.running(),
          emit: (input) => this.host.emit(input),
        });
      case 'decide':
        return this.tasks.decide(project, action.id, action.answer);
      case 'retry':
        return this.tasks.retry(project, action.taskId);
      case 'skip':
        return this.tasks.askSkip(project, action.taskId);
    }
  }

  /** `!skip TASK-NNN` after the person confirmed (checked again: the task may have moved since). */
  skip(project: OpenProject, taskId: string): Promise<void> {
    return this.tasks.skip(project, taskId);
  }

  /** The tasks built without a task the person skipped, for !status. */
  skipMarks(project: OpenProject): Promise<readonly MarkedTask[]> {
    return this.tasks.skipMarks(project);
  }

  /** Ctrl+C or !pause: stops the running tasks (they restart from their checkpoint later). */
  cancel(): boolean {
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
    // Each stopped task withdraws its own question; withdrawAll catches one whose task did not hear the stop.
    this.controller.abort();
    this.approvals.withdrawAll();
    return true;
  }

  async stop(): Promise<void> {
    this.cancel();
    await this.runDone;
  }

  /** Resolves once the build is not working (ended, or waiting for the person). */
  settled(): Promise<void> {
    const done = this.runDone;
    if (!done || this.waiting || this.approvals.current()) return Promise.resolve();
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
    const prepared = await prepareRun(this.ports, this.state, {
      emit: (input) => this.host.emit(input),
      context: () => this.host.context(),
      ask: (taskId, request, signal) => this.approvals.ask(taskId, request, signal),
      observer: (graph) => this.watch.observer(graph, (record) => this.holdAfter(project, graph, record)),
    }, project, branch);
    if (!prepared) return;
    const { run, graph } = prepared;
    this.controller = prepared.controller;
    this.run = run;
    const starting = buildingLine(graph, project.handoff.tasks, build.maxWorkers);
    if (starting) this.host.emit(starting);
    this.watch.begin(graph);
    // The board's elapsed times move on between events.
    const stopTicking = build.every(1_000, () => this.watch.refresh(graph));
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
    await finishRun(this.ports, this.state, this.host, project, graph, ending);
    if (this.watch.ringsAtEnd(ending)) this.host.bell();
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

  private showApproval(asked: AskedApproval, queued: number): void {
    const after = queued > 0 ? `\n(${queued} more question${queued === 1 ? '' : 's'} from the Builder after this one.)` : '';
    this.host.emit(entry.warning(`${approvalQuestion(`The Builder (${asked.taskId})`, asked.request)}${after}`));
    this.host.bell();
    this.wake?.();
  }
}
