import type { AgentOutcome } from '../agent/agent-types.js';
import type { ContextUse } from '../budget/budget-view.js';
import type { ReportStatusInput } from '../agent/structured-tools.js';
import type { Milestone } from '../build/build-record.js';
import type { ReviewAction } from '../commands/types.js';
import { errorMessage } from '../errors.js';
import { gateArtifacts, gateForStage } from '../pipeline/gates.js';
import { STAGE_INFO, agentLabel, type Stage } from '../pipeline/stages.js';
import { entry, type EntryInput } from '../transcript.js';
import { AgentDriver } from './agent-driver.js';
import { ARTIFACT_WRITERS } from './artifact-writers.js';
import { platformRoutingRows } from '../platforms/platform-detect.js';
import { proposeTasksSchema } from './append-tasks.js';
import { REVERIFY_MESSAGE, STAGE_INPUTS, kickoffMessage, maintenanceRequest } from './kickoff.js';
import type { OpenProject } from './open-project.js';
import type { AgentReadiness, SessionPorts } from './ports.js';
import { appendAndApprove, criticFix, securityAccept, securityFix, type ActionOutcome } from './review-actions.js';
import { ReviewStages } from './review-stages.js';

/**
 * Stages whose agents StageAgents drives. The Builder is not one of them: the session runs it
 * task by task under the task runner (receipts, commits), never as a free-running agent. The
 * review stages run under the runtime's own checks and computed verdicts (ReviewStages).
 */
const RUNNABLE_STAGES: ReadonlySet<Stage> = new Set(['discovery', 'planning', 'critique', 'security', 'verification', 'maintenance']);

/** Stages whose report the runtime turns into a computed verdict once the agent has finished. */
const REVIEW_STAGES: ReadonlySet<Stage> = new Set(['critique', 'security', 'verification']);

/** What the stage agents need from the session that owns them. */
export interface StageAgentsHost {
  emit(input: EntryInput): void;
  live(text: string | undefined): void;
  project(): OpenProject | undefined;
  /** Pauses the pipeline (a budget stop); resolves once saved. */
  pause(reason: string): Promise<void>;
  /**
   * A stage's work is done (critiqued, secured, shipped): record it in HANDOFF.json (never
   * backwards), mirror it into the registry and refresh the status bar.
   */
  milestone(milestone: Milestone, label: string): Promise<void>;
}

function describeReport(stage: Stage, report: ReportStatusInput, gateHint = true): EntryInput {
  const who = `${STAGE_INFO[stage].agentName} reports ${report.status}`;
  const lines = [`${who}: ${report.summary}`];
  for (const concern of report.concerns ?? []) lines.push(`  • concern: ${concern}`);
  for (const question of report.questions ?? []) lines.push(`  • question: ${question}`);
  if (report.blocker) lines.push(`  • blocked by: ${report.blocker}`);
  const gate = gateForStage(stage);
  if (gate && gateHint && (report.status === 'DONE' || report.status === 'DONE_WITH_CONCERNS')) {
    lines.push(`Review ${gate.artifacts.join(', ')}; when you agree, type ${gate.command}. Or reply to ask for changes.`);
  } else if (report.status === 'NEEDS_CONTEXT') {
    lines.push('Answer with a message; the agent goes on from there.');
  }
  const tone = report.status === 'DONE' ? 'success' : report.status === 'BLOCKED' ? 'warning' : 'info';
  return { tone, text: lines.join('\n') };
}

/**
 * The agents of the open project's stages: readiness checks, kick-offs after a gate, the
 * person's messages, and what each run's outcome means for the person.
 */
export class StageAgents {
  private readonly driver: AgentDriver | undefined;
  private readiness: AgentReadiness | undefined;
  private readonly stages: ReviewStages;
  /** What the runtime must tell a stage's agent with the person's next words (a refused proposal). */
  private readonly notes = new Map<string, string>();

  constructor(
    private readonly ports: SessionPorts,
    private readonly host: StageAgentsHost,
  ) {
    this.driver = ports.agents
      ? new AgentDriver(ports.agents, ports.projects, {
          emit: (input) => host.emit(input),
          live: (text) => host.live(text),
          outcome: (stage, outcome) => this.onOutcome(stage, outcome),
          context: (stage) => this.context(stage),
        })
      : undefined;
    this.stages = new ReviewStages(ports, {
      emit: (input) => host.emit(input),
      milestone: (m, label) => host.milestone(m, label),
      recorded: async (label) => host.project()?.update((h) => h, label),
    });
  }

  /** Checks agents/, rules/ and the provider once; says what is broken or missing. */
  async check(): Promise<void> {
    if (!this.ports.agents || this.readiness) return;
    this.readiness = await this.ports.agents.check();
    if (this.readiness.problems) {
      this.host.emit(entry.warning(`Some agent or rule files are broken; the others loaded.\n${this.readiness.problems}`));
    }
    if (this.readiness.unavailable) this.host.emit(entry.warning(this.readiness.unavailable));
    if (this.readiness.notice) this.host.emit(entry.info(this.readiness.notice));
  }

  /** True while a run is in flight or waits for the person: gates must wait for it. */
  active(): boolean {
    return this.driver?.active() ?? false;
  }

  /** 'working', 'waiting for you' or 'idle', for the status bar and !status. */
  state(): 'idle' | 'running' | 'waiting' {
    if (!this.driver) return 'idle';
    if (this.driver.waitingFor()) return 'waiting';
    return this.driver.busy() ? 'running' : 'idle';
  }

  waitingFor(): 'approval' | 'question' | undefined {
    return this.driver?.waitingFor();
  }

  /** Starts the stage's agent with the runtime's kick-off message, when agents can run. */
  async kickoff(stage: Stage): Promise<void> {
    const project = this.host.project();
    if (!this.driver || !project) return;
    if (!RUNNABLE_STAGES.has(stage)) {
      this.host.emit(entry.warning(`${agentLabel(stage)} is not available in this version of CodeSleuth yet; the pipeline stays in ${STAGE_INFO[stage].label} and nothing runs.`));
      return;
    }
    await this.check();
    if (this.readiness?.unavailable) {
      this.host.emit(entry.warning(`${agentLabel(stage)} cannot start: ${this.readiness.unavailable}`));
      return;
    }
    await this.stages.prepare(stage, project);
    this.host.emit(entry.info(`${agentLabel(stage)} is starting.`));
    await this.driver.say({ id: project.id, path: project.handoff.project.path }, stage, kickoffMessage(stage, project.handoff.project));
  }

  /**
   * `!critic fix`, `!security fix`, `!security accept <id> <reason>` and `!verify` in
   * Maintenance (or after a HOLD). Fix actions append tasks to TASK-GRAPH.md with a fresh
   * build approval and return their ids in `build`: the session then runs the Builder on
   * them, and once it has finished calls `kickoff(stage)` again so the stage reviews anew
   * (for Security that re-runs the scanners). `reverify` re-runs the scanners (merged into the
   * security report; an open blocking finding refuses), the release checks and the
   * Verifier here and returns nothing to build.
   */
  async review(action: ReviewAction): Promise<{ readonly build?: readonly string[] }> {
    const project = this.host.project();
    if (!project) return {};
    if (this.active()) {
      this.host.emit(entry.error('The agent is still working or waiting for your answer; let it finish (or press Ctrl+C) first.'));
      return {};
    }
    let outcome: ActionOutcome;
    try {
      switch (action.kind) {
        case 'critic-fix':
          outcome = await criticFix(this.ports, project);
          break;
        case 'security-fix':
          outcome = await securityFix(this.ports, project);
          break;
        case 'security-accept': {
          const accepted = await securityAccept(this.ports, project, action.findingId, action.reason);
          for (const e of accepted.entries) this.host.emit(e);
          if (accepted.passed) await this.host.milestone('secured', 'security gate passes after an acceptance');
          return {};
        }
        case 'reverify':
          await this.verifyAgain(project);
          return {};
      }
    } catch (error) {
      this.host.emit(entry.error(`That did not work: ${errorMessage(error)}. Nothing else was changed; the last saved state is in HANDOFF.json.`));
      return {};
    }
    for (const e of outcome.entries) this.host.emit(e);
    return outcome.build ? { build: outcome.build } : {};
  }

  /** The scanners and the release checks again, then the Verifier's QA pass (the pipeline stays where it is). */
  private async verifyAgain(project: OpenProject): Promise<void> {
    if (!this.driver) return;
    await this.check();
    if (this.readiness?.unavailable) {
      this.host.emit(entry.warning(`${agentLabel('verification')} cannot start: ${this.readiness.unavailable}`));
      return;
    }
    // The code may have changed since the security review (maintenance tasks, fixes after a HOLD): the scanners look again first.
    if (!(await this.stages.rescan(project))) return;
    await this.stages.releaseChecks(project);
    this.host.emit(entry.info(`${agentLabel('verification')} is verifying again.`));
    await this.driver.say({ id: project.id, path: project.handoff.project.path }, 'verification', REVERIFY_MESSAGE);
  }

  /** The person's words for the current stage's agent. */
  async say(requested: Stage, text: string): Promise<void> {
    const project = this.host.project();
    if (!project) return;
    let stage = requested;
    // After SHIP the person's next words are a maintenance request (unless the Verifier waits for an answer).
    if (stage === 'verification' && project.handoff.milestone === 'shipped' && this.driver && !this.driver.waitingFor()) {
      stage = await this.routeToMaintenance(project);
    }
    if (!this.driver || !RUNNABLE_STAGES.has(stage)) {
      this.host.emit(entry.warning(`No agent is running yet for ${STAGE_INFO[stage].label}, so your message was not sent anywhere. Type !help for what you can do now.`));
      return;
    }
    await this.check();
    if (this.readiness?.unavailable && !this.driver.waitingFor()) {
      this.host.emit(entry.error(this.readiness.unavailable));
      return;
    }
    const key = `${project.id}:${stage}`;
    let words = text;
    if (stage === 'maintenance' && !this.driver.waitingFor() && (await this.driver.conversation(project.id, stage)).length === 0) {
      words = maintenanceRequest(project.handoff.project, text);
    }
    const note = this.notes.get(key);
    if (note !== undefined && !this.driver.waitingFor()) {
      this.notes.delete(key);
      words = `${note}\n\nThe person says: ${words}`;
    }
    await this.driver.say({ id: project.id, path: project.handoff.project.path }, stage, words);
  }

  private async routeToMaintenance(project: OpenProject): Promise<Stage> {
    const moved = await project.send({ type: 'ROUTE_MAINTENANCE' }, 'maintenance (a request after shipping)');
    if (!moved.moved) return moved.to.stage;
    await project.register().catch((error: unknown) => {
      this.host.emit(entry.warning(`config/context.json could not be updated: ${errorMessage(error)}. The resume menu may show an older stage.`));
    });
    this.host.emit(entry.info(`The project is in Maintenance now; ${agentLabel('maintenance')} takes your request.`));
    return 'maintenance';
  }

  cancel(): boolean {
    return this.driver?.cancel() ?? false;
  }

  /** Cancels any run and waits for it to end (quitting, resetting). */
  async stop(): Promise<void> {
    if (!this.driver) return;
    this.driver.cancel();
    await this.driver.settled();
  }

  /** How full the current stage agent's context is, for !budget; undefined when unknown. */
  async contextUse(): Promise<ContextUse | undefined> {
    const project = this.host.project();
    if (!this.driver || !this.ports.agents || !project) return undefined;
    const stage = project.position().stage;
    try {
      const messages = await this.driver.conversation(project.id, stage);
      return await this.ports.agents.contextUse({ stage, projectPath: project.handoff.project.path, messages, context: await this.context(stage) });
    } catch {
      // An estimate is a nicety: !budget still shows the money without it.
      return undefined;
    }
  }

  forget(projectId: string): void {
    this.driver?.forget(projectId);
  }

  /** What a stage's agent works from: the project brief, the stage's approved artifacts, its runtime checks. */
  async context(stage: Stage): Promise<{ name: string; text: string }[]> {
    const project = this.host.project();
    if (!project) return [];
    const inputs: { name: string; text: string }[] = [await this.projectBrief(project)];
    for (const name of STAGE_INPUTS[stage]) {
      const read = await this.ports.projects.readArtifact(project.id, name);
      if (read.kind === 'ok') inputs.push({ name, text: read.text });
    }
    inputs.push(...(await this.stages.context(stage, project)));
    return inputs;
  }

  /** What the person said at the welcome, with the platform's routing from config/platforms.json. */
  private async projectBrief(project: OpenProject): Promise<{ name: string; text: string }> {
    const info = project.handoff.project;
    const lines = [`Name: ${info.name}`, `Directory: ${info.path}`, `Brief: ${info.brief}`, `Target platform: ${info.platform}`];
    const platforms = await this.ports.config.readPlatforms();
    const platform = platforms.kind === 'ok' ? platforms.value.find((p) => p.name === info.platform) : undefined;
    if (platform) for (const [label, value] of platformRoutingRows(platform)) lines.push(`${label}: ${value.replace(/\n/g, '; ')}`);
    return { name: 'project', text: lines.join('\n') };
  }

  /** Maintenance's proposal: appended and approved, or sent back with the problems with the person's next words. */
  private async onProposal(stage: Stage, input: unknown): Promise<void> {
    const project = this.host.project();
    const parsed = proposeTasksSchema.safeParse(input);
    if (!project || !parsed.success) return;
    const outcome = await appendAndApprove(this.ports, project, parsed.data.tasks, 'maintenance tasks');
    if (!outcome.ok) {
      const problems = outcome.problems.map((p) => `- ${p}`).join('\n');
      this.notes.set(`${project.id}:${stage}`, `The runtime could not add your proposed tasks to TASK-GRAPH.md:\n${problems}\nFix them and call propose_tasks again.`);
      this.host.emit(entry.warning(`${STAGE_INFO[stage].agentName}'s tasks could not be added to the plan:\n${problems}\nReply (for example "please fix that") and the agent gets these problems with your words.`));
      return;
    }
    this.host.emit(
      entry.success(
        `${STAGE_INFO[stage].agentName} added ${outcome.ids.join(', ')} to ${this.ports.projects.artifactPath(project.id, 'TASK-GRAPH.md')}, approved as maintenance tasks (HANDOFF.json v${project.handoff.version}).\nType !build to have the Builder build them, then !verify to verify the project again. Or reply to change the proposal.`,
      ),
    );
  }

  private async onOutcome(stage: Stage, outcome: AgentOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'finished': {
        if (outcome.tool === 'report_status') {
          const review = REVIEW_STAGES.has(stage);
          this.host.emit(describeReport(stage, outcome.input as ReportStatusInput, !review));
          const project = this.host.project();
          if (review && project) await this.stages.afterReport(stage, project);
          return;
        }
        if (outcome.tool === 'propose_tasks') return this.onProposal(stage, outcome.input);
        const writer = ARTIFACT_WRITERS.get(outcome.tool);
        const project = this.host.project();
        if (!writer || !project) {
          this.host.emit(entry.success(`${STAGE_INFO[stage].agentName} finished with ${outcome.tool}.`));
          return;
        }
        // The stage's other artifacts written during the run (the Planner's design) count too.
        const gate = gateForStage(stage);
        const names = new Set<string>();
        for (const name of gate ? gateArtifacts(gate.gate) : []) {
          if ((await this.ports.projects.readArtifact(project.id, name)).kind === 'ok') names.add(name);
        }
        for (const file of writer.render(outcome.input)) names.add(file.name);
        // In reading order: the design before the plan built on it.
        const order = (name: string) => (STAGE_INPUTS.building.indexOf(name) + 1 || 99);
        const files = [...names].sort((a, b) => order(a) - order(b)).map((name) => this.ports.projects.artifactPath(project.id, name));
        this.host.emit(
          entry.success(
            `${STAGE_INFO[stage].agentName} wrote:\n${files.map((f) => `  ${f}`).join('\n')}\nReview ${files.length > 1 ? 'them' : 'it'}; ${gate ? `when you agree, type ${gate.command}` : 'then decide what is next'} — or reply to ask for changes.`,
          ),
        );
        return;
      }
      case 'reply':
      case 'question':
        return;
      case 'max_turns':
        this.host.emit(entry.warning(`${STAGE_INFO[stage].agentName} stopped after ${outcome.turns} model calls without finishing (its max_turns). Reply to let it go on, or !pause.`));
        return;
      case 'budget_refused':
        this.host.emit(entry.warning(outcome.message));
        await this.host.pause('budget');
        this.host.emit(entry.hint('The stage is paused before spending past the budget. Type !budget extend N (US dollars), then !resume — or stop here; nothing was lost.'));
        return;
      case 'aborted':
        this.host.emit(entry.info('Cancelled the agent\'s turn. Type a message to let it go on.'));
        return;
      case 'failed':
        // The loop has already reported the error as an event.
        return;
    }
  }
}
