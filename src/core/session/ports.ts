import type { AgentEvent, AgentOutcome } from '../agent/agent-types.js';
import type { ContextUse } from '../budget/budget-view.js';
import type { BudgetLedger } from '../budget/ledger.js';
import type { SummaryBuilder, TelemetrySummary } from '../budget/summary.js';
import type { ContextFile } from '../context/context.schema.js';
import type { Stage } from '../pipeline/stages.js';
import type { ChatMessage } from '../provider/types.js';
import type { ApproveFn } from '../tools/types.js';
import type { Handoff } from '../handoff/handoff.schema.js';
import type { BuildEnvironmentPort } from './build-ports.js';
import type { Platform } from '../platforms/platform.schema.js';
import type { FieldProblem } from '../validation.js';
import type { ReleaseChecksPort } from './release-port.js';
import type { ReleaseBlocking } from '../security/gate.js';

/** The outcome of reading an outside file: never thrown, always said. */
export type ReadResult<T> =
  | { readonly kind: 'missing'; readonly file: string }
  | { readonly kind: 'unreadable'; readonly file: string; readonly message: string }
  | { readonly kind: 'invalid'; readonly file: string; readonly problems: readonly FieldProblem[] }
  | { readonly kind: 'ok'; readonly file: string; readonly value: T };

/** config/: context.json (setup and registered projects) and the platform table. */
export interface ConfigPort {
  readContext(): Promise<ReadResult<ContextFile>>;
  /** Re-reads, applies `change` and writes atomically; throws if the file is no longer valid. */
  updateContext(change: (context: ContextFile) => ContextFile): Promise<void>;
  readPlatforms(): Promise<ReadResult<readonly Platform[]>>;
  /** The home, when it is not the install folder: set-up must then be told where it is (CODESLEUTH_HOME). */
  readonly customHome?: string;
}

/** A project's lock: held by this REPL, or by another live one. */
export type LockOutcome =
  | { readonly kind: 'acquired'; readonly release: () => Promise<void>; readonly tookOverFromPid?: number }
  | { readonly kind: 'held'; readonly pid: number; readonly since: string; readonly file: string };

/** What an artifact file holds right now, with the hash approvals are bound to (for TASK-GRAPH.md the plan without its statuses: approvalText). */
export type ArtifactRead = { readonly kind: 'missing' } | { readonly kind: 'ok'; readonly text: string; readonly sha256: string };

/** artifacts/<project-id>/: HANDOFF.json, the planning documents, the lock. */
export interface ProjectStorePort {
  handoffPath(projectId: string): string;
  /** Where an artifact of the project lives, for the person to open. */
  artifactPath(projectId: string, name: string): string;
  loadHandoff(projectId: string): Promise<ReadResult<Handoff>>;
  /** Atomic: a crash mid-write leaves the previous file whole. */
  saveHandoff(projectId: string, handoff: Handoff): Promise<void>;
  /** Copies HANDOFF.json aside and returns where it went. */
  backupHandoff(projectId: string): Promise<string>;
  readArtifact(projectId: string, name: string): Promise<ArtifactRead>;
  /** Writes an artifact the runtime rendered (atomically). */
  writeArtifact(projectId: string, name: string, text: string): Promise<void>;
  lock(projectId: string): Promise<LockOutcome>;
  /** A stage's conversation with its agent, kept so a resumed project goes on where it was. */
  /** A missing file is an empty conversation; a corrupt one is moved aside (`warning` says where). */
  loadConversation(projectId: string, stage: Stage): Promise<{ readonly messages: ChatMessage[]; readonly warning?: string }>;
  saveConversation(projectId: string, stage: Stage, messages: readonly ChatMessage[]): Promise<void>;
  /** Moves every stage's conversation into backups/ (a reset starts the agents afresh); returns where. */
  archiveConversations(projectId: string): Promise<string | undefined>;
  /** Moves those of `names` that exist into one new folder under backups/; returns it and what moved (none: no folder). */
  archiveArtifacts(projectId: string, names: readonly string[]): Promise<{ readonly dir: string; readonly moved: readonly string[] }>;
}

/** One turn of a stage's agent, as the session asks for it. */
export interface AgentRunRequest {
  readonly stage: Stage;
  readonly projectId: string;
  readonly projectPath: string;
  readonly messages: readonly ChatMessage[];
  /** Approved artifacts the agent works from (the spec for the Planner, ...). */
  readonly context: readonly { readonly name: string; readonly text: string }[];
  readonly task?: string;
  readonly signal: AbortSignal;
  /** Asks the person before an action the sandbox policy says to ask about. */
  readonly approve: ApproveFn;
  readonly onEvent: (event: AgentEvent) => void;
  /**
   * 'task-review': the Critic (agent 4) reviews one Builder task, whatever `stage` says (the
   * stage books the spend: 'building'): read-only file tools, no artifact tools, and
   * report_review as its only finishing tool. Absent: the stage's own agent and tools.
   */
  readonly purpose?: 'task-review';
}

/** Whether agents can run now, and what the person should know if not. */
export interface AgentReadiness {
  /** Broken agent or rule files, as text naming file and field; the others still load. */
  readonly problems?: string;
  /** Why no model can be called (no API key, ...), with what to do. */
  readonly unavailable?: string;
  /** What the person should know about the model in use (the scripted one of --demo), said once up front. */
  readonly notice?: string;
}

/** The agents: definitions from agents/ and rules/, the model provider, tools and budget. */
export interface AgentRuntimePort {
  check(): Promise<AgentReadiness>;
  run(request: AgentRunRequest): Promise<AgentOutcome>;
  /** How full the stage agent's context would be with this conversation (a tokenizer estimate). */
  contextUse(request: Pick<AgentRunRequest, 'stage' | 'projectPath' | 'messages' | 'context'>): Promise<ContextUse | undefined>;
  /** The model a stage's agent uses and its price per million tokens (for forecasts). */
  modelPrice(stage: Stage): Promise<{ readonly model: string; readonly inputPerMTok: number; readonly outputPerMTok: number } | undefined>;
  /** The severities that block a release, from the loaded rules/security-domains.md (the home's copy first). Absent: CRITICAL only. */
  releaseBlocking?(): Promise<ReleaseBlocking>;
}

/** The session's money: the ledger every model call is checked against, and what was spent. */
export interface BudgetPort {
  readonly ledger: BudgetLedger;
  readonly spending: SummaryBuilder;
  /** The project's whole telemetry log summarised (incrementally: only new lines are read). */
  projectSpending(projectId: string): Promise<{ readonly summary: TelemetrySummary; readonly invalidLines: number; readonly file: string } | undefined>;
}

/** What a directory the person named turned out to be. */
export type DirectoryInfo = { readonly kind: 'missing' } | { readonly kind: 'not-a-directory' } | { readonly kind: 'directory'; readonly isGitRepo: boolean };

/** The person's project directory: looked at, created, made a git repository. */
export interface WorkspacePort {
  /** Absolute path for what the person typed (`~`, relative paths). */
  resolveDirectory(input: string): string;
  inspect(directory: string): Promise<DirectoryInfo>;
  createDirectory(directory: string): Promise<void>;
  initGitRepository(directory: string): Promise<void>;
  /** Removes a directory only if it is empty (used to undo one CodeSleuth just created). */
  removeEmptyDirectory(directory: string): Promise<void>;
}

/** Fixed facts about this run. */
export interface SessionEnvironment {
  readonly installDir: string;
  readonly homeDir: string;
  readonly now: () => Date;
}

/** Everything the session needs from the outside world, injected by the composition root. */
export interface SessionPorts {
  readonly config: ConfigPort;
  readonly projects: ProjectStorePort;
  readonly workspace: WorkspacePort;
  readonly env: SessionEnvironment;
  /** Absent in set-ups without agents (some tests); text then goes nowhere, and says so. */
  readonly agents?: AgentRuntimePort;
  readonly budget?: BudgetPort;
  /** The Builder's git, gates and task runs; absent in set-ups without agents. */
  readonly build?: BuildEnvironmentPort;
  /** The scanners and the clean-worktree release checks; absent, Security and Verifier say they could not run them. */
  readonly release?: ReleaseChecksPort;
}
