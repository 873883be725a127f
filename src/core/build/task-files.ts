import type { AgentEvent } from '../agent/agent-types.js';
import type { RepoStatus } from '../git/git-results.js';

/*
 * Which files a task commit may contain. Pure, so the rule that protects the person's work is
 * tested on its own: a file goes into the task's commit only when the agent reported changing
 * it, git sees it as changed now, and it was NOT already uncommitted before the task began
 * (then it holds the person's work too, and a commit would sweep it in).
 */

/** Every uncommitted file of a status (repository-relative), sorted and unique. */
export function dirtyFilesOf(status: RepoStatus): string[] {
  return [...new Set([...status.conflicted, ...status.staged, ...status.modified, ...status.untracked])].sort();
}

/** The files a tool result says it changed (project-relative), or none. */
export function changedFilesOfEvent(event: AgentEvent): readonly string[] {
  return event.type === 'tool_result' && !event.isError && event.changedFiles !== undefined ? event.changedFiles : [];
}

/**
 * The project directory's path inside the repository ('' when it is the top), from the
 * status's absolute `root`; undefined when `projectDir` is not inside `root` as written (a
 * symlinked path, for one), so the caller can say so instead of committing the wrong paths.
 */
export function projectPrefix(root: string, projectDir: string): string | undefined {
  const trim = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const top = trim(root);
  const dir = trim(projectDir);
  if (dir === top) return '';
  return dir.startsWith(`${top}/`) ? `${dir.slice(top.length + 1)}/` : undefined;
}

/**
 * A reported path as a repository-relative one, or undefined when it cannot name a file in
 * the project (absolute outside it, `..`, empty). Tools report project-relative '/' paths;
 * a model's report_status list may say `./src/a.ts` or give the absolute path.
 */
export function toRepoPath(reported: string, prefix: string, projectDir: string): string | undefined {
  let p = reported.trim().replace(/\\/g, '/');
  const dir = projectDir.replace(/\\/g, '/').replace(/\/+$/, '');
  if (p.startsWith(`${dir}/`)) p = p.slice(dir.length + 1);
  p = p.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (p === '' || p === '.' || p.startsWith('/') || /^[A-Za-z]:\//.test(p) || p.split('/').includes('..')) return undefined;
  return `${prefix}${p}`;
}

/** How the task's changes split up for its commit. All lists are repository-relative and sorted. */
export interface TaskFileSplit {
  /** Reported by the agent, changed now, clean before the task: these go into the commit. */
  readonly commit: readonly string[];
  /** Reported and changed, but already uncommitted before the task: left for the person. */
  readonly heldBack: readonly string[];
  /** Changed during the task but reported by no tool (a bash command, say): left uncommitted. */
  readonly unattributed: readonly string[];
}

/** Pure: the split of `reported` files against the dirty files before and after the task. */
export function splitTaskFiles(input: {
  readonly before: readonly string[];
  readonly after: readonly string[];
  readonly reported: readonly string[];
}): TaskFileSplit {
  const before = new Set(input.before);
  const reported = new Set(input.reported);
  const commit: string[] = [];
  const heldBack: string[] = [];
  const unattributed: string[] = [];
  for (const file of [...new Set(input.after)].sort()) {
    if (reported.has(file)) (before.has(file) ? heldBack : commit).push(file);
    else if (!before.has(file)) unattributed.push(file);
  }
  return { commit, heldBack, unattributed };
}
