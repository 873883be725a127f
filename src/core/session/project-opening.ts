import type { CommandRegistry } from '../commands/registry.js';
import type { Platform } from '../platforms/platform.schema.js';
import { entry, type EntryInput } from '../transcript.js';
import type { OpenProject } from './open-project.js';
import type { SessionPorts } from './ports.js';
import { openNewProject, resumeProject, type DraftProject } from './project-lifecycle.js';
import type { Dialog } from './session-dialog.js';
import { checkSetup } from './setup-check.js';
import { WELCOME_QUESTIONS, bannerBlocks, buildTargetsBlock, resumeMenu } from './startup-blocks.js';
import { answerWelcome, askDirectoryAgain, type WelcomeStep } from './welcome-flow.js';

/** What opening a project needs from the session. */
export interface OpeningHost {
  emit(input: EntryInput): void;
  /** Opens `dialog` for the person's next plain line. */
  ask(dialog: Dialog): void;
  /** The project already open, if any. */
  project(): OpenProject | undefined;
  /** Says broken agent files and a missing API key. */
  checkAgents(): Promise<void>;
  /** A registered project was resumed from the menu. */
  resumed(project: OpenProject): Promise<void>;
  /** A new project was created from the welcome answers. */
  created(project: OpenProject): Promise<void>;
}

/**
 * `Start agent 0` and what follows it: the setup check, the menu of registered projects to
 * resume, and the welcome questions that create a new one.
 */
export class ProjectOpening {
  constructor(
    private readonly ports: SessionPorts,
    private readonly registry: CommandRegistry,
    private readonly host: OpeningHost,
  ) {}

  /** Starts the Orchestrator: the resume menu when projects are registered, else the welcome questions. */
  async start(): Promise<void> {
    const open = this.host.project();
    if (open) {
      this.host.emit(entry.info(`The Orchestrator is already running for ${open.handoff.project.name}. Type !status to see where it stands.`));
      return;
    }
    this.host.ask({ kind: 'none' });
    const setup = await checkSetup(this.ports.config);
    if (!setup.ok) {
      this.host.emit(setup.block);
      return;
    }
    // Broken agent files and a missing API key are said once, up front.
    await this.host.checkAgents();
    const projects = setup.context.registered_projects;
    if (projects.length > 0) {
      this.host.ask({ kind: 'resume-menu', projects, platforms: setup.platforms });
      this.host.emit(resumeMenu(projects));
      return;
    }
    this.host.emit(entry.success('✓ Setup verified — no registered projects found. Starting a new project.'));
    for (const block of bannerBlocks(setup.context, this.registry)) this.host.emit(block);
    this.beginWelcome(setup.platforms);
  }

  /** The answer to the resume menu: a project's number, or N for a new project. */
  async chooseFromMenu(text: string, dialog: Extract<Dialog, { kind: 'resume-menu' }>): Promise<void> {
    if (/^n(ew)?$/i.test(text)) {
      const context = await this.ports.config.readContext();
      if (context.kind === 'ok') for (const block of bannerBlocks(context.value, this.registry)) this.host.emit(block);
      this.beginWelcome(dialog.platforms);
      return;
    }
    const choice = Number(text);
    const chosen = Number.isInteger(choice) ? dialog.projects[choice - 1] : undefined;
    if (!chosen) {
      this.host.emit(entry.error(`Type a number from 1 to ${dialog.projects.length} to resume a project, or N for a new one.`));
      return;
    }
    const result = await resumeProject(this.ports, chosen);
    for (const e of result.entries) this.host.emit(e);
    if (result.project) await this.host.resumed(result.project);
  }

  /** The answer to one welcome question; the last one creates the project. */
  async answerQuestion(text: string, step: WelcomeStep): Promise<void> {
    const result = await answerWelcome(step, text, this.ports, (input) => this.host.emit(input));
    if (result.kind === 'ask') this.host.ask({ kind: 'welcome', step: result.step });
    else await this.createProject(result.draft, step.platforms);
  }

  private beginWelcome(platforms: readonly Platform[]): void {
    this.host.emit(buildTargetsBlock(platforms));
    this.host.ask({ kind: 'welcome', step: { kind: 'brief', platforms } });
    this.host.emit(entry.plain(WELCOME_QUESTIONS.brief));
  }

  private async createProject(draft: DraftProject, platforms: readonly Platform[]): Promise<void> {
    const result = await openNewProject(this.ports, draft);
    for (const e of result.entries) this.host.emit(e);
    // Every refusal asks for another directory; the brief and platform already given are kept.
    if (result.project) await this.host.created(result.project);
    else this.host.ask({ kind: 'welcome', step: askDirectoryAgain(platforms, draft) });
  }
}
