import { applyBudgetAction } from '../budget/apply-budget-action.js';
import { parseInput } from '../commands/parser.js';
import type { CommandRegistry } from '../commands/registry.js';
import { suggestGate } from '../commands/nl-hints.js';
import type { CommandResult } from '../commands/types.js';
import { errorMessage } from '../errors.js';
import { STAGE_INFO } from '../pipeline/stages.js';
import { entry, type EntryInput } from '../transcript.js';
import type { OpenProject } from './open-project.js';
import type { SessionPorts } from './ports.js';
import { BuildController } from './build-controller.js';
import { commandContext } from './command-context.js';
import { GateKeeper } from './gate-keeper.js';
import { ProjectOpening } from './project-opening.js';
import { answerConfirm, cancelledMessage, dialogWaitingFor, type Dialog } from './session-dialog.js';
import type { SessionEvent, SessionStatus, SubmitOutcome } from './session-events.js';
import { activityText, busyRefusal, placeOf, sessionStatus } from './session-status.js';
import { pauseOrResume } from './project-lifecycle.js';
import { StageAgents } from './stage-agents.js';
import { resetProject } from './reset-project.js';

export type { SessionEvent, SessionStatus, SubmitOutcome } from './session-events.js';

/**
 * The Orchestrator's side of the REPL: takes lines, runs the startup protocol and commands,
 * drives the pipeline machine, and reports everything as transcript entries.
 */
export class Session {
  private readonly listeners = new Set<(event: SessionEvent) => void>();
  private dialog: Dialog = { kind: 'none' };
  private project: OpenProject | undefined;
  private nextId = 1;
  private errorsThisLine = 0;
  private readonly agents: StageAgents;
  private readonly gates: GateKeeper;
  private readonly builder: BuildController;
  private readonly opening: ProjectOpening;

  constructor(
    private readonly ports: SessionPorts,
    private readonly registry: CommandRegistry,
  ) {
    this.agents = new StageAgents(ports, {
      emit: (input) => this.emit(input),
      live: (text) => this.broadcast({ type: 'live', text }),
      project: () => this.project,
      pause: (reason) => this.pauseFor(reason),
      milestone: async (milestone, label) => {
        const project = this.project;
        if (!project) return;
        await project.reachMilestone(milestone, label);
        await this.registerAndShow(project);
      },
    });
    this.builder = new BuildController(ports, {
      emit: (input) => this.emit(input),
      live: (text) => {
        this.broadcast({ type: 'live', text, board: true });
        this.emitStatus(); // the spend so far, while the build runs
      },
      bell: () => this.broadcast({ type: 'bell' }),
      changed: (project) => this.registerAndShow(project),
      context: () => this.agents.context('building'),
      pause: (reason) => this.pauseFor(reason),
      stale: (project) => this.gates.stale(project),
      // Asked while the build runs too: the next line answers it, and the build goes on meanwhile.
      confirm: (action, prompt) => {
        this.dialog = { kind: 'confirm', action };
        this.emit(entry.warning(prompt));
      },
      completed: (project) => this.afterBuild(project),
    });
    this.gates = new GateKeeper(ports, {
      emit: (input) => this.emit(input),
      askToConfirmBuild: () => {
        this.dialog = { kind: 'confirm', action: { kind: 'build' } };
        this.emit(entry.warning('Start the build with this plan? Type yes to start, anything else to stay in Planning.'));
      },
      moved: async (project, to) => {
        await this.registerAndShow(project);
        // The Builder is the runtime's own loop over the task graph, not a free-running agent.
        if (to === 'building') await this.builder.start(project);
        else await this.agents.kickoff(to);
      },
    });
    this.opening = new ProjectOpening(ports, registry, {
      emit: (input) => this.emit(input),
      ask: (dialog) => {
        this.dialog = dialog;
      },
      project: () => this.project,
      checkAgents: () => this.agents.check(),
      resumed: async (project) => {
        this.project = project;
        this.dialog = { kind: 'none' };
        await this.agents.check();
      },
      created: async (project) => {
        this.project = project;
        this.dialog = { kind: 'none' };
        this.emitStatus();
        await this.agents.kickoff('discovery');
      },
    });
  }

  subscribe(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** What the status bar shows now. */
  status(): SessionStatus {
    return sessionStatus({
      project: this.project,
      ledger: this.ports.budget?.ledger.snapshot(),
      activity: () => activityText(this.builder.running(), this.agents.state()),
      waitingFor: this.waitingFor(),
    });
  }

  /** Handles one line of input. Never throws: failures become error entries. */
  async submit(line: string): Promise<SubmitOutcome> {
    this.errorsThisLine = 0;
    if (line.trim() !== '') this.emit({ tone: 'user', text: `› ${line.trim()}` });
    let quit = false;
    try {
      quit = await this.handle(line);
    } catch (error) {
      this.emit(entry.error(`Something went wrong: ${errorMessage(error)}. Nothing was lost; the last saved state is in HANDOFF.json.`));
    }
    this.emitStatus();
    return { ok: this.errorsThisLine === 0, quit };
  }

  /** Ctrl+C: stops the agent's turn, or drops a pending question. False when there was nothing to cancel. */
  cancel(): boolean {
    if (this.builder.cancel()) {
      this.emit(entry.warning('Stopping the build; finished tasks stay committed…'));
      this.emitStatus();
      return true;
    }
    const waiting = this.agents.waitingFor();
    if (this.agents.cancel()) {
      this.emit(entry.warning(waiting === 'question' ? 'Dropped the agent\'s question; type a message to go on, or move the pipeline.' : 'Cancelling the agent\'s turn…'));
      this.emitStatus();
      return true;
    }
    if (this.dialog.kind === 'none') return false;
    this.dialog = { kind: 'none' };
    this.emit(entry.warning('Cancelled. Type `Start agent 0` to begin again, or !help.'));
    this.emitStatus();
    return true;
  }

  /** Saves nothing new (every transition is already saved) and releases the project lock. */
  async shutdown(): Promise<void> {
    await this.builder.stop();
    await this.agents.stop();
    const project = this.project;
    this.project = undefined;
    if (project) await project.close();
  }

  private async handle(line: string): Promise<boolean> {
    const parsed = parseInput(line, this.registry, placeOf(this.project));
    // A confirmation is answered by the very next line; anything but an answer drops it.
    if (this.dialog.kind === 'confirm' && parsed.kind !== 'text' && parsed.kind !== 'empty') {
      this.emit(entry.info(cancelledMessage(this.dialog.action)));
      this.dialog = { kind: 'none' };
    }
    switch (parsed.kind) {
      case 'empty':
        return false;
      case 'start-agent':
        if (parsed.agent !== 0) {
          this.emit(entry.error(`Only agent 0, the Orchestrator, is started by hand; agent ${parsed.agent} is started by its gate command. Type \`Start agent 0\`.`));
          return false;
        }
        await this.opening.start();
        return false;
      case 'unknown-command':
        this.emit(
          entry.error(
            parsed.suggestion
              ? `Unknown command !${parsed.name}. Did you mean !${parsed.suggestion}? Type !help for the list.`
              : `Unknown command !${parsed.name}. Type !help for the commands valid now.`,
          ),
        );
        return false;
      case 'unavailable':
        this.emit(entry.error(parsed.reason));
        return false;
      case 'command': {
        const context = await commandContext(parsed.definition.name, parsed.args, {
          ports: this.ports,
          registry: this.registry,
          project: this.project,
          agents: this.agents,
          gates: this.gates,
          builder: this.builder,
          waitingFor: () => this.waitingFor(),
        });
        return this.apply(parsed.definition.run(context));
      }
      case 'text':
        await this.answer(parsed.text);
        return false;
    }
  }

  /** The one place a command's result is carried out. */
  private async apply(result: CommandResult): Promise<boolean> {
    if (result.kind === 'pipeline' && result.event === 'PAUSE' && this.builder.running()) {
      this.builder.cancel();
      await this.builder.stop();
    }
    const refusal = busyRefusal(result, { building: this.builder.running(), agentActive: this.agents.active(), agentWaiting: this.agents.waitingFor() !== undefined });
    if (refusal) {
      this.emit(entry.error(refusal));
      return false;
    }
    switch (result.kind) {
      case 'message':
        for (const e of result.entries) this.emit(e);
        return false;
      case 'gate':
        await this.gates.pass(this.project!, result.gate);
        return false;
      case 'pipeline':
        this.emit(await pauseOrResume(this.ports, this.project!, result.event, (project) => this.registerQuietly(project)));
        return false;
      case 'confirm':
        this.dialog = { kind: 'confirm', action: result.action };
        this.emit(entry.warning(result.prompt));
        return false;
      case 'quit':
        await this.shutdown();
        this.emit(entry.info('Saved. Goodbye.'));
        return true;
      case 'budget':
        if (!this.ports.budget) {
          this.emit(entry.error('Spending is not tracked in this session.'));
          return false;
        }
        for (const e of applyBudgetAction(this.ports.budget.ledger, result.action)) this.emit(e);
        return false;
      case 'build':
        await this.builder.act(this.project!, result.action);
        return false;
      case 'review': {
        const outcome = await this.agents.review(result.action);
        // Fix tasks are built at once; once the build completes (now or later), afterBuild reviews again.
        const project = this.project;
        if (outcome.build && outcome.build.length > 0 && project) await this.builder.start(project);
        return false;
      }
    }
  }

  /** A build completed (however it got there): in Critique or Security it built that stage's fixes, so the stage reviews again (Security scans again). */
  private async afterBuild(project: OpenProject): Promise<void> {
    if (project !== this.project) return;
    const stage = project.position().stage;
    if (stage === 'critique' || stage === 'security') await this.agents.kickoff(stage);
  }

  /** Plain text: an answer to the pending question, a hint, or words for the agent. */
  private async answer(text: string): Promise<void> {
    const dialog = this.dialog;
    if (dialog.kind === 'none' && (await this.builder.answer(text))) return;
    switch (dialog.kind) {
      case 'none':
        return this.talkToAgent(text);
      case 'resume-menu':
        return this.opening.chooseFromMenu(text, dialog);
      case 'welcome':
        return this.opening.answerQuestion(text, dialog.step);
      case 'confirm':
        this.dialog = { kind: 'none' };
        return answerConfirm(text, dialog.action, {
          build: () => this.gates.pass(this.project!, 'build', true),
          skip: (taskId) => this.builder.skip(this.project!, taskId),
          reset: () => this.reset(this.project!),
        }, (input) => this.emit(input));
    }
  }

  private async talkToAgent(text: string): Promise<void> {
    if (!this.project) {
      this.emit(entry.hint('Type `Start agent 0` to start the Orchestrator, or !help for the commands.'));
      return;
    }
    const position = this.project.position();
    if (position.paused) {
      this.emit(entry.warning(`The project is paused in ${STAGE_INFO[position.stage].label}; type !resume first. Your message was not sent.`));
      return;
    }
    // A hint never moves the pipeline; the words still go to the agent as conversation.
    const hint = this.agents.waitingFor() ? undefined : suggestGate(text, position.stage);
    if (hint) this.emit(entry.hint(hint.message));
    await this.agents.say(position.stage, text);
  }

  private async reset(project: OpenProject): Promise<void> {
    const entries = await resetProject(this.ports, project, () => this.agents.forget(project.id));
    await this.registerQuietly(project);
    for (const e of entries) this.emit(e);
  }

  /** Pauses the pipeline for the runtime (a budget stop); resolves once saved. */
  private async pauseFor(reason: string): Promise<void> {
    const project = this.project;
    if (!project || project.position().paused) return;
    await project.send({ type: 'PAUSE' }, `pause (${reason})`);
    await this.registerAndShow(project);
  }

  /** The project moved or reached a milestone: mirror it into the registry, refresh the status bar. */
  private async registerAndShow(project: OpenProject): Promise<void> {
    await this.registerQuietly(project);
    this.emitStatus();
  }

  private async registerQuietly(project: OpenProject): Promise<void> {
    try {
      await project.register();
    } catch (error) {
      this.emit(entry.warning(`HANDOFF.json is saved, but config/context.json could not be updated: ${errorMessage(error)}. The resume menu may show an older stage.`));
    }
  }

  private waitingFor(): string | undefined {
    return this.dialog.kind === 'none' ? this.builder.waitingFor(this.project) : dialogWaitingFor(this.dialog);
  }

  private emit(input: EntryInput): void {
    if (input.tone === 'error') this.errorsThisLine++;
    this.broadcast({ type: 'entry', entry: { ...input, id: this.nextId++ } });
  }

  private emitStatus(): void {
    this.broadcast({ type: 'status', status: this.status() });
  }

  private broadcast(event: SessionEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
