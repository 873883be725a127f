import type { ContextFile } from '../context/context.schema.js';
import type { Handoff } from '../handoff/handoff.schema.js';
import type { Platform } from '../platforms/platform.schema.js';
import type { FieldProblem } from '../validation.js';

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
}

/** A project's lock: held by this REPL, or by another live one. */
export type LockOutcome =
  | { readonly kind: 'acquired'; readonly release: () => Promise<void>; readonly tookOverFromPid?: number }
  | { readonly kind: 'held'; readonly pid: number; readonly since: string; readonly file: string };

/** What an artifact file holds right now, with the hash approvals are bound to. */
export type ArtifactRead = { readonly kind: 'missing' } | { readonly kind: 'ok'; readonly text: string; readonly sha256: string };

/** artifacts/<project-id>/: HANDOFF.json, the planning documents, the lock. */
export interface ProjectStorePort {
  handoffPath(projectId: string): string;
  loadHandoff(projectId: string): Promise<ReadResult<Handoff>>;
  /** Atomic: a crash mid-write leaves the previous file whole. */
  saveHandoff(projectId: string, handoff: Handoff): Promise<void>;
  /** Copies HANDOFF.json aside and returns where it went. */
  backupHandoff(projectId: string): Promise<string>;
  readArtifact(projectId: string, name: string): Promise<ArtifactRead>;
  lock(projectId: string): Promise<LockOutcome>;
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
}
