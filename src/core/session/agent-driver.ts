import { answerQuestion, appendUserText, pendingToolUses } from '../agent/conversation.js';
import type { AgentEvent, AgentOutcome } from '../agent/agent-types.js';
import { errorMessage } from '../errors.js';
import { STAGE_INFO, type Stage } from '../pipeline/stages.js';
import type { ChatMessage } from '../provider/types.js';
import { APPROVAL_ANSWER_HINT, approvalQuestion, createSessionApprover, parseApprovalAnswer } from '../tools/approvals.js';
import type { ApprovalDecision, ApprovalRequest } from '../tools/types.js';
import { entry, type EntryInput } from '../transcript.js';
import type { AgentRuntimePort, ProjectStorePort } from './ports.js';

/** The project an agent works in. */
export interface DriverProject {
  readonly id: string;
  readonly path: string;
}

/** What the driver tells the session. */
export interface DriverHooks {
  emit(input: EntryInput): void;
  /** The agent's text as it streams in; undefined when the streamed text became an entry. */
  live(text: string | undefined): void;
  /** A run ended; the session decides what it means for the pipeline. */
  outcome(stage: Stage, outcome: AgentOutcome): Promise<void>;
  /** Stage inputs (approved artifacts) the agent reads; the runtime puts them in its prompt. */
  context(stage: Stage): Promise<readonly { name: string; text: string }[]>;
}

type Waiting =
  | { readonly kind: 'approval'; readonly request: ApprovalRequest; readonly resolve: (decision: ApprovalDecision) => void }
  | { readonly kind: 'question'; readonly project: DriverProject; readonly stage: Stage; readonly toolUseId: string; readonly messages: readonly ChatMessage[] };

function summarise(input: unknown): string {
  if (input === null || typeof input !== 'object') return '';
  const record = input as Record<string, unknown>;
  const main = record.path ?? record.command ?? record.pattern ?? record.question ?? record.status;
  return typeof main === 'string' ? ` ${main.length > 80 ? `${main.slice(0, 77)}…` : main}` : '';
}

/**
 * Runs a stage's agent for the session: one run at a time, its conversation kept per stage and
 * saved after every run, its questions and approval requests turned into prompts the person
 * answers with their next line. `say` resolves when the run has ended or waits for the person.
 */
export class AgentDriver {
  private current: { readonly controller: AbortController; readonly done: Promise<void> } | undefined;
  private waiting: Waiting | undefined;
  private wake: (() => void) | undefined;
  private streamed = '';
  /** Who is speaking, for the label of the agent's text in the transcript. */
  private speaker = '';
  private readonly conversations = new Map<string, ChatMessage[]>();
  private readonly approver = createSessionApprover((request) => this.askPerson(request));

  constructor(
    private readonly runtime: AgentRuntimePort,
    private readonly projects: ProjectStorePort,
    private readonly hooks: DriverHooks,
  ) {}

  /** True while a run works (not while it waits for the person). */
  busy(): boolean {
    return this.current !== undefined && this.waiting === undefined;
  }

  /** What the agent waits for from the person, if anything. */
  waitingFor(): 'approval' | 'question' | undefined {
    return this.waiting?.kind;
  }

  /** True while a run is in flight, waiting or not: gates and resets must wait for it. */
  active(): boolean {
    return this.current !== undefined || this.waiting?.kind === 'question';
  }

  /** The person's line for the agent: an answer to what it asked, or the next message. */
  async say(project: DriverProject, stage: Stage, text: string): Promise<void> {
    const waiting = this.waiting;
    if (waiting?.kind === 'approval') return this.answerApproval(waiting, text);
    if (waiting?.kind === 'question') {
      this.waiting = undefined;
      return this.launch(waiting.project, waiting.stage, answerQuestion(waiting.messages, waiting.toolUseId, text));
    }
    if (this.current) {
      this.hooks.emit(entry.warning('The agent is still working; wait for it, or press Ctrl+C to cancel its turn.'));
      return;
    }
    const messages = await this.conversation(project.id, stage);
    // A conversation saved while the agent waited for an answer (the REPL was closed then):
    // the person's line answers that question; any other cut-off call is closed as not run.
    const pending = pendingToolUses(messages);
    if (pending.length > 0) {
      let answered = messages;
      for (const use of pending) {
        answered = answerQuestion(answered, use.id, use.name === 'ask_user' ? text : 'Not run: the session ended before this call finished.');
      }
      return this.launch(project, stage, pending.some((use) => use.name === 'ask_user') ? answered : appendUserText(answered, text));
    }
    return this.launch(project, stage, appendUserText(messages, text));
  }

  /** Ctrl+C: aborts the run in flight (a pending approval is answered no, a pending question dropped). */
  cancel(): boolean {
    if (this.waiting?.kind === 'question') {
      const { project, stage, toolUseId, messages } = this.waiting;
      this.waiting = undefined;
      const closed = answerQuestion(messages, toolUseId, 'The person dismissed this question without answering.');
      this.conversations.set(`${project.id}:${stage}`, closed);
      void this.projects.saveConversation(project.id, stage, closed).catch(() => undefined);
      return true;
    }
    if (this.waiting?.kind === 'approval') {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve('no');
    }
    if (!this.current) return false;
    this.current.controller.abort();
    return true;
  }

  /** Resolves once no run is working (ended, or waiting for the person). */
  settled(): Promise<void> {
    const current = this.current;
    if (!current || this.waiting) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      void current.done.then(resolve);
    });
  }

  /** Forgets cached conversations (a reset starts the stage afresh). */
  forget(projectId: string): void {
    for (const key of [...this.conversations.keys()]) if (key.startsWith(`${projectId}:`)) this.conversations.delete(key);
  }

  /** The stage's conversation so far (loaded from disk the first time). */
  async conversation(projectId: string, stage: Stage): Promise<ChatMessage[]> {
    const key = `${projectId}:${stage}`;
    const cached = this.conversations.get(key);
    if (cached) return cached;
    const loaded = await this.projects.loadConversation(projectId, stage);
    if (loaded.warning) this.hooks.emit(entry.warning(loaded.warning));
    this.conversations.set(key, loaded.messages);
    return loaded.messages;
  }

  private launch(project: DriverProject, stage: Stage, messages: readonly ChatMessage[]): Promise<void> {
    this.speaker = STAGE_INFO[stage].agentName;
    const controller = new AbortController();
    const done = this.execute(project, stage, messages, controller.signal).finally(() => {
      this.current = undefined;
    });
    this.current = { controller, done };
    return this.settled();
  }

  private async execute(project: DriverProject, stage: Stage, messages: readonly ChatMessage[], signal: AbortSignal): Promise<void> {
    let outcome: AgentOutcome;
    try {
      const context = await this.hooks.context(stage);
      outcome = await this.runtime.run({
        stage,
        projectId: project.id,
        projectPath: project.path,
        messages,
        context,
        signal,
        approve: (request) => this.approver.approve(request),
        onEvent: (event) => this.onEvent(event),
      });
    } catch (error) {
      this.flush();
      this.hooks.emit(entry.error(`The agent could not run: ${errorMessage(error)}`));
      return;
    }
    this.flush();
    this.conversations.set(`${project.id}:${stage}`, [...outcome.messages]);
    try {
      await this.projects.saveConversation(project.id, stage, outcome.messages);
    } catch (error) {
      this.hooks.emit(entry.warning(`The conversation could not be saved (${errorMessage(error)}); it is kept in memory for this session.`));
    }
    if (outcome.kind === 'question') {
      this.waiting = { kind: 'question', project, stage, toolUseId: outcome.toolUseId, messages: outcome.messages };
      this.hooks.emit(entry.styled([{ text: `${this.speaker} asks › `, tone: 'accent' }, { text: outcome.question }], 'agent'));
    }
    await this.hooks.outcome(stage, outcome);
  }

  private onEvent(event: AgentEvent): void {
    switch (event.type) {
      case 'text_delta':
        this.streamed += event.text;
        this.hooks.live(this.streamed);
        return;
      case 'retry':
        if (event.discardedText) {
          this.streamed = '';
          this.hooks.live('');
        }
        this.hooks.emit(entry.warning(`The model call broke off (${event.reason}); retrying in ${(event.delayMs / 1000).toFixed(1)} s (attempt ${event.attempt}).`));
        return;
      case 'tool_call':
        this.flush();
        this.hooks.emit({ tone: 'dim', text: `⚙ ${event.name}${summarise(event.input)}` });
        return;
      case 'tool_result':
        this.hooks.emit({ tone: event.isError ? 'warning' : 'dim', text: `  ↳ ${event.display}${event.reused ? ' (already applied; not run again)' : ''}` });
        return;
      case 'turn_end':
        this.flush();
        return;
      case 'error':
        this.flush();
        this.hooks.emit(entry.error(`${event.message}${event.hint ? `\n${event.hint}` : ''}`));
        return;
      case 'turn_start':
      case 'usage':
        return;
    }
  }

  private flush(): void {
    const text = this.streamed.trim();
    this.streamed = '';
    this.hooks.live(undefined);
    if (text) this.hooks.emit(entry.styled([{ text: `${this.speaker} › `, tone: 'accent' }, { text }], 'agent'));
  }

  private askPerson(request: ApprovalRequest): Promise<ApprovalDecision> {
    return new Promise((resolve) => {
      this.flush();
      this.waiting = { kind: 'approval', request, resolve };
      this.hooks.emit(entry.warning(approvalQuestion('The agent', request)));
      this.wake?.();
    });
  }

  private answerApproval(waiting: Extract<Waiting, { kind: 'approval' }>, text: string): Promise<void> {
    const decision = parseApprovalAnswer(text);
    if (!decision) {
      this.hooks.emit(entry.error(APPROVAL_ANSWER_HINT));
      return Promise.resolve();
    }
    this.waiting = undefined;
    waiting.resolve(decision);
    return this.settled();
  }
}
