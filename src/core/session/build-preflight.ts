import { describeStale, type StaleApproval } from '../pipeline/approvals.js';
import type { BuildEnvironmentPort } from './build-ports.js';
import type { BuildState } from './build-state.js';
import { interruptedInPlace } from '../build/task-outcome.js';
import { detachedHeadText, dirtyTreePrompt, gitFailureText, interruptedFailureText, interruptedMovedText, interruptedSetAsideText, movedBranchPrompt } from './build-messages.js';
import type { OpenProject } from './open-project.js';

/** What the person is asked before the Builder moves anything. */
export type PreflightQuestion =
  | { readonly kind: 'dirty'; readonly project: OpenProject; readonly files: readonly string[]; readonly branch: string | null }
  | { readonly kind: 'branch'; readonly project: OpenProject; readonly to: string };

/** The checks before a build: refuse (nothing moved), ask the person, or go on the given branch. */
export type Preflight =
  | { readonly kind: 'refuse'; readonly text: string }
  | { readonly kind: 'ask'; readonly question: PreflightQuestion; readonly text: string }
  /** `interrupted`: the task the process died in while it worked in place; the uncommitted files are its leftovers. */
  | { readonly kind: 'go'; readonly branch: string | null; readonly interrupted?: InterruptedTask };

/** A task that was interrupted while it worked in the project directory, and the files it left uncommitted. */
export interface InterruptedTask {
  readonly taskId: string;
  /** The commit it started from, its checkpoint (null: the repository had none yet). */
  readonly base: string | null;
  readonly files: readonly string[];
}

/**
 * Why the Builder must not run the task graph as it is now, if it must not: the design and
 * graph it builds are the ones !build approved (and, while building, the spec !plan approved).
 * Fix and maintenance tasks are approved when they are added, so their builds pass.
 */
export function unapprovedText(stage: string, stale: readonly StaleApproval[]): string | undefined {
  const holds = stage === 'building' ? ['plan', 'build'] : ['build'];
  const binding = stale.filter((s) => holds.includes(s.gate));
  if (binding.length === 0) return undefined;
  return `The Builder runs only what was approved, and an approval no longer holds:\n${binding.map((s) => `• ${describeStale(s)}`).join('\n')}\nThen type !continue. Nothing was built.`;
}

/** Approval, git state, branch and working tree, in that order; the first that does not hold decides. */
export async function preflight(project: OpenProject, build: BuildEnvironmentPort, stale: readonly StaleApproval[]): Promise<Preflight> {
  const unapproved = unapprovedText(project.position().stage, stale);
  if (unapproved) return { kind: 'refuse', text: unapproved };
  const dir = project.handoff.project.path;
  const status = await build.git.status(dir);
  if (!status.ok) {
    return { kind: 'refuse', text: `The Builder cannot start: ${status.error.message}${status.error.hint ? ` ${status.error.hint}` : ''}` };
  }
  const { branch, head } = status.value;
  if (branch === null && head !== null) return { kind: 'refuse', text: detachedHeadText(dir, head) };
  const started = project.handoff.build?.branch;
  if (started !== undefined && branch !== null && branch !== started) {
    return { kind: 'ask', question: { kind: 'branch', project, to: branch }, text: movedBranchPrompt(started, branch) };
  }
  if (!status.value.clean) {
    const files = [...new Set([...status.value.staged, ...status.value.modified, ...status.value.untracked, ...status.value.conflicted])];
    const interrupted = interruptedInPlace(project.handoff.tasks);
    const base = interrupted?.inPlace?.base;
    if (interrupted && base !== undefined && base === head) return { kind: 'go', branch, interrupted: { taskId: interrupted.id, base, files } };
    // The branch moved since the task was interrupted: its leftovers can no longer be told from the person's work.
    const moved = interrupted && base !== undefined ? `${interruptedMovedText(interrupted.id, base, head)}\n` : '';
    return { kind: 'ask', question: { kind: 'dirty', project, files, branch }, text: `${moved}${dirtyTreePrompt(dir, files)}` };
  }
  return { kind: 'go', branch };
}

/** The answer to the dirty-tree question: what to say, and whether the build goes on. */
export interface DirtyTreeOutcome {
  readonly level: 'info' | 'success' | 'error';
  readonly text: string;
  /** The build starts now. */
  readonly go: boolean;
  /** The question still stands (the answer was not one of the choices). */
  readonly ask: boolean;
}

/** commit, aside or cancel: the person's uncommitted work is committed as theirs, kept at a safety ref, or left alone. */
export async function settleDirtyTree(
  question: Extract<PreflightQuestion, { kind: 'dirty' }>,
  answer: string,
  build: BuildEnvironmentPort,
  state: BuildState,
): Promise<DirtyTreeOutcome> {
  const dir = question.project.handoff.project.path;
  if (answer === 'cancel' || answer === 'c' || answer === 'no') {
    return { level: 'info', go: false, ask: false, text: 'Build not started; your files are exactly as they were. Commit or move them, then type !continue.' };
  }
  if (answer === 'commit') {
    const message = 'Work in progress before the CodeSleuth build';
    const committed = await build.git.commitPersonWork(dir, message);
    if (!committed.ok) return { level: 'error', go: false, ask: false, text: gitFailureText('Could not commit your changes', committed.error) };
    return { level: 'success', go: true, ask: false, text: `Committed your changes as ${committed.value.slice(0, 12)} ("${message}").` };
  }
  if (answer === 'aside') {
    const saved = await build.git.setAsideWork(dir, 'before-build');
    if (!saved.ok) return { level: 'error', go: false, ask: false, text: gitFailureText('Could not set your changes aside', saved.error) };
    const { ref, files, restoreInstructions } = saved.value;
    await state.saveSection(question.project, (s) => ({ ...s, snapshot: { ref, files: [...files], restore: restoreInstructions } }));
    return { level: 'success', go: true, ask: false, text: `${setAsideLine(files.length, ref)}\n${restoreInstructions}` };
  }
  return {
    level: 'error',
    go: false,
    ask: true,
    text: 'Type commit (commit them as your own commit first), aside (save them to a safety ref and set them aside) or cancel.',
  };
}

/**
 * Sets aside what an interrupted in-place task left uncommitted, so it restarts from its
 * checkpoint; the text says where it is kept. On a failure (`ok` false) the build does not
 * start, and the text says why and that nothing was lost.
 */
export async function setAsideInterrupted(interrupted: InterruptedTask, dir: string, build: BuildEnvironmentPort): Promise<{ readonly ok: boolean; readonly text: string }> {
  const saved = await build.git.setAsideWork(dir, `${interrupted.taskId.toLowerCase()}-interrupted`);
  if (saved.ok) return { ok: true, text: interruptedSetAsideText(interrupted.taskId, interrupted.base, saved.value) };
  // Cleaned up meanwhile: nothing of the task's is left, it restarts from its checkpoint.
  if (saved.error.kind === 'nothing-to-save') return { ok: true, text: `${interrupted.taskId} was interrupted; it restarts from its last checkpoint.` };
  return { ok: false, text: interruptedFailureText(interrupted.taskId, dir, saved.error) };
}

/** The first line after "aside": how much was set aside and where it is kept. */
function setAsideLine(files: number, ref: string): string {
  return `Set aside your uncommitted changes (${files} file${files === 1 ? '' : 's'}); they are kept at ${ref}.`;
}
