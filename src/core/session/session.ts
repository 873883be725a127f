import { applyBudgetAction } from '../budget/apply-budget-action.js';
import type { BudgetView } from '../budget/budget-view.js';
import { renderBudgetStatus } from '../budget/render-budget.js';
import { parseInput } from '../commands/parser.js';
import type { CommandRegistry, Place } from '../commands/registry.js';
import { suggestGate } from '../commands/nl-hints.js';
import type { CommandResult, ConfirmAction, OpenProjectView } from '../commands/types.js';
import type { RegisteredProject } from '../context/context.schema.js';
import { errorMessage } from '../errors.js';
import { STAGE_INFO, agentLabel } from '../pipeline/stages.js';
import { shippedText } from '../release/release-history.js';
import type { Platform } from '../platforms/platform.schema.js';
import { entry, type EntryInput } from '../transcript.js';
import { OpenProject } from './open-project.js';
import type { SessionPorts } from './ports.js';
import { openNewProject, resumeProject, type DraftProject } from './project-lifecycle.js';
import { WELCOME_QUESTIONS, bannerBlocks, buildTargetsBlock, resumeMenu } from './startup-blocks.js';
import { BuildController } from './build-controller.js';
import { GateKeeper } from './gate-keeper.js';
import { checkSetup } from './setup-check.js';
import type { SessionEvent, SessionStatus, SubmitOutcome } from './session-events.js';

export type { SessionEvent, SessionStatus, SubmitOutcome } from './session-events.js';
import { StageAgents } from './stage-agents.js';
import { answerWelcome, askDirectoryAgain, welcomeWaitingFor, type WelcomeStep } from './welcome-flow.js';
import { unfinishedBuildHint } from './build-messages.js';
import { resetProject } from './reset-project.js';

/** What the session is waiting for from the person's next plain line. */
type Dialog =
  | { readonly kind: 'none' }
  | { readonly kind: 'resume-menu'; readonly projects: readonly RegisteredProject[]; readonly platforms: readonly Platform[] }
  | { readonly kind: 'welcome'; readonly step: WelcomeStep }
  | { readonly kind: 'confirm'; readonly action: ConfirmAction };

function cancelledMessage(action: ConfirmAction): string {
  switch (action.kind) {
    case 'build':
      return 'Build not started; the project stays in Planning.';
    case 'skip':
      return `${action.taskId} is not skipped.`;
    case 'reset':
      return 'Reset cancelled; nothing changed.';
  }
}

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
  }

  subscribe(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): SessionStatus {
    const waitingFor = this.waitingFor();
    const ledger = this.ports.budget?.ledger.snapshot();
    const base = { agent: 'Orchestrator (agent 0)', budget: ledger ? renderBudgetStatus(ledger) : 'budget: not set', budgetTier: ledger?.tier ?? ('ok' as const) };
    if (!this.project) return waitingFor ? { ...base, waitingFor } : base;
    const position = this.project.position();
    const status: SessionStatus = {
      ...base,
      project: this.project.handoff.project.name,
      stage: `${position.stage}${this.project.handoff.milestone === 'shipped' ? ` (${shippedText(this.project.handoff)})` : ''}${position.paused ? ' (paused)' : ''}`,
      agent: `${agentLabel(position.stage)}${this.agentActivity()}`,
    };
    return waitingFor ? { ...status, waitingFor } : status;
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
    const parsed = parseInput(line, this.registry, this.place());
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
        await this.startOrchestrator();
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
        const view = await this.view();
        const budget = parsed.definition.name === 'budget' ? await this.budgetView() : undefined;
        const waitingFor = this.waitingFor();
        const result = parsed.definition.run({ args: parsed.args, registry: this.registry, ...(view ? { project: view } : {}), ...(budget ? { budget } : {}), ...(waitingFor ? { waitingFor } : {}) });
        return this.apply(result);
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
    if ((result.kind === 'gate' || result.kind === 'confirm' || result.kind === 'review') && this.builder.running()) {
      this.emit(entry.error('The build is running — wait for it, or press Ctrl+C (or !pause) to stop it, before moving the pipeline.'));
      return false;
    }
    if ((result.kind === 'gate' || result.kind === 'pipeline' || result.kind === 'confirm' || result.kind === 'build' || result.kind === 'review') && this.agents.active()) {
      const what = this.agents.waitingFor() ? 'is waiting for your answer — answer it' : 'is working — wait for it';
      this.emit(entry.error(`The agent ${what}, or press Ctrl+C to cancel its turn, before moving the pipeline.`));
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
        await this.pauseOrResume(result.event);
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

  private async budgetView(): Promise<BudgetView | undefined> {
    const budget = this.ports.budget;
    if (!budget) return undefined;
    const contextUse = await this.agents.contextUse();
    const project = this.project ? await budget.projectSpending(this.project.id) : undefined;
    return { summary: budget.spending.finish(), ledger: budget.ledger.snapshot(), ...(contextUse ? { contextUse } : {}), ...(project ? { project } : {}) };
  }

  private async startOrchestrator(): Promise<void> {
    if (this.project) {
      this.emit(entry.info(`The Orchestrator is already running for ${this.project.handoff.project.name}. Type !status to see where it stands.`));
      return;
    }
    this.dialog = { kind: 'none' };
    const setup = await checkSetup(this.ports.config);
    if (!setup.ok) {
      this.emit(setup.block);
      return;
    }
    // Broken agent files and a missing API key are said once, up front.
    await this.agents.check();
    const projects = setup.context.registered_projects;
    if (projects.length > 0) {
      this.dialog = { kind: 'resume-menu', projects, platforms: setup.platforms };
      this.emit(resumeMenu(projects));
      return;
    }
    this.emit(entry.success('✓ Setup verified — no registered projects found. Starting a new project.'));
    for (const block of bannerBlocks(setup.context, this.registry)) this.emit(block);
    this.beginWelcome(setup.platforms);
  }

  private beginWelcome(platforms: readonly Platform[]): void {
    this.emit(buildTargetsBlock(platforms));
    this.dialog = { kind: 'welcome', step: { kind: 'brief', platforms } };
    this.emit(entry.plain(WELCOME_QUESTIONS.brief));
  }

  /** Plain text: an answer to the pending question, a hint, or words for the agent. */
  private async answer(text: string): Promise<void> {
    const dialog = this.dialog;
    if (dialog.kind === 'none' && (await this.builder.answer(text))) return;
    switch (dialog.kind) {
      case 'none':
        return this.talkToAgent(text);
      case 'resume-menu':
        return this.chooseFromMenu(text, dialog);
      case 'welcome': {
        const result = await answerWelcome(dialog.step, text, this.ports, (input) => this.emit(input));
        if (result.kind === 'ask') this.dialog = { kind: 'welcome', step: result.step };
        else await this.createProject(result.draft, dialog.step.platforms);
        return;
      }
      case 'confirm':
        return this.confirm(text, dialog.action);
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

  private agentActivity(): string {
    if (this.builder.running()) return ' — building';
    switch (this.agents.state()) {
      case 'running':
        return ' — working';
      case 'waiting':
        return ' — waiting for you';
      case 'idle':
        return '';
    }
  }

  private async chooseFromMenu(text: string, dialog: Extract<Dialog, { kind: 'resume-menu' }>): Promise<void> {
    if (/^n(ew)?$/i.test(text)) {
      const context = await this.ports.config.readContext();
      if (context.kind === 'ok') for (const block of bannerBlocks(context.value, this.registry)) this.emit(block);
      this.beginWelcome(dialog.platforms);
      return;
    }
    const choice = Number(text);
    const chosen = Number.isInteger(choice) ? dialog.projects[choice - 1] : undefined;
    if (!chosen) {
      this.emit(entry.error(`Type a number from 1 to ${dialog.projects.length} to resume a project, or N for a new one.`));
      return;
    }
    const result = await resumeProject(this.ports, chosen);
    for (const e of result.entries) this.emit(e);
    if (result.project) {
      this.project = result.project;
      this.dialog = { kind: 'none' };
      await this.agents.check();
    }
  }

  private async createProject(draft: DraftProject, platforms: readonly Platform[]): Promise<void> {
    const result = await openNewProject(this.ports, draft);
    for (const e of result.entries) this.emit(e);
    if (result.project) {
      this.project = result.project;
      this.dialog = { kind: 'none' };
      this.emitStatus();
      await this.agents.kickoff('discovery');
    } else {
      this.dialog = { kind: 'welcome', step: askDirectoryAgain(platforms, draft) };
    }
  }

  private async pauseOrResume(event: 'PAUSE' | 'RESUME'): Promise<void> {
    const project = this.project!;
    const outcome = await project.send({ type: event }, event === 'PAUSE' ? '!pause' : '!resume');
    await this.registerQuietly(project);
    const label = STAGE_INFO[outcome.to.stage].label;
    this.emit(
      event === 'PAUSE'
        ? entry.success(`Paused in ${label}; state saved to ${this.ports.projects.handoffPath(project.id)}. Type !resume to continue, or leave and pick the project from the menu later.`)
        : entry.success(`Resumed ${label}; ${agentLabel(outcome.to.stage)} is active. ${unfinishedBuildHint(outcome.to.stage, project.handoff)}`.trim()),
    );
  }

  private async confirm(text: string, action: ConfirmAction): Promise<void> {
    this.dialog = { kind: 'none' };
    if (text.trim().toLowerCase() !== 'yes') {
      this.emit(entry.info(cancelledMessage(action)));
      return;
    }
    switch (action.kind) {
      case 'build':
        await this.gates.pass(this.project!, 'build', true);
        return;
      case 'skip':
        await this.builder.skip(this.project!, action.taskId);
        return;
      case 'reset': {
        const project = this.project!;
        const entries = await resetProject(this.ports, project, () => this.agents.forget(project.id));
        await this.registerQuietly(project);
        for (const e of entries) this.emit(e);
      }
    }
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

  private place(): Place {
    if (!this.project) return { kind: 'no-project' };
    const position = this.project.position();
    return { kind: 'project', stage: position.stage, paused: position.paused };
  }

  private async view(): Promise<OpenProjectView | undefined> {
    if (!this.project) return undefined;
    return {
      handoff: this.project.handoff,
      position: this.project.position(),
      stale: await this.gates.stale(this.project),
      agentState: this.agents.state(),
      handoffPath: this.ports.projects.handoffPath(this.project.id),
      marked: await this.builder.skipMarks(this.project),
    };
  }

  private waitingFor(): string | undefined {
    switch (this.dialog.kind) {
      case 'none':
        return this.builder.waitingFor(this.project);
      case 'resume-menu':
        return 'a project number or N';
      case 'welcome':
        return welcomeWaitingFor(this.dialog.step);
      case 'confirm':
        return 'yes to confirm';
    }
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
