/** allow: go ahead; ask: show the person the exact action and wait; deny: refuse with the reason. */
export type Decision = 'allow' | 'ask' | 'deny';

/** The policy's answer. `reason` is written for both the model and the person. */
export interface Assessment {
  kind: Decision;
  reason: string;
}

/**
 * A path the tool wants to read or write. `root` and `path` are as the tool resolved them
 * (`path` may be relative to `root`). `realPath` is the result of realpath on the target
 * (or on its nearest existing ancestor plus the rest, for a file not yet created); the
 * adapter resolves it so that this module stays pure. `root` should itself be a real path.
 */
export interface PathRequest {
  kind: 'read' | 'write';
  root: string;
  path: string;
  realPath?: string;
}

/** A shell command line to be run by the process runner; `cwd` defaults to `root`. */
export interface RunRequest {
  kind: 'run';
  root: string;
  command: string;
  cwd?: string;
}

/** What `assess` judges. */
export type PolicyRequest = PathRequest | RunRequest;

/** Secret-file rules: patterns without '/' match a file name anywhere; others match at any depth. */
export interface SecretFilePolicy {
  patterns: string[];
  /** File names that look secret but are meant to be shared (`.env.example`). */
  exceptions: string[];
  read: 'deny' | 'ask';
  write: 'deny' | 'ask';
}

/**
 * Command rules the person can extend. Entries are word prefixes: `"npm run build"`
 * matches `npm run build --watch` but not `npm run builder`.
 * Built-in deny rules (destructive git, rm outside the project, sudo, ...) cannot be
 * overridden by `allow`; `allow` does override built-in asks and `unknown`.
 */
export interface CommandPolicy {
  allow: string[];
  ask: string[];
  deny: string[];
  /** What happens to a command no rule knows. */
  unknown: 'allow' | 'ask';
}

/** The whole policy, passed in by the caller (built from config), never loaded here. */
export interface SandboxPolicy {
  secretFiles: SecretFilePolicy;
  /** Writes to these (glob, project-relative) ask first: CI workflows, git hooks. */
  askBeforeWriting: string[];
  commands: CommandPolicy;
}

const RANK: Record<Decision, number> = { allow: 0, ask: 1, deny: 2 };

/** The strictest of several assessments (deny > ask > allow); the first reason at that level wins. */
export function strictest(assessments: readonly Assessment[], fallback: Assessment): Assessment {
  let best: Assessment | undefined;
  for (const candidate of assessments) {
    if (!best || RANK[candidate.kind] > RANK[best.kind]) best = candidate;
  }
  return best ?? fallback;
}

export function allow(reason: string): Assessment {
  return { kind: 'allow', reason };
}

export function ask(reason: string): Assessment {
  return { kind: 'ask', reason };
}

export function deny(reason: string): Assessment {
  return { kind: 'deny', reason };
}
