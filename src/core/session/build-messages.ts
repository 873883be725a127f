import type { AgentEvent } from '../agent/agent-types.js';
import type { Decision, TaskRecord } from '../build/build-record.js';
import { scheduleStateOf, type BuildEnding } from '../build/build-ending.js';
import { buildableTasks } from '../build/scheduler.js';
import type { LeftoverCleanup } from '../build/leftover-worktrees.js';
import { renderReceiptSummary } from '../build/receipts.js';
import type { TaskPhase } from '../build/task-runner-ports.js';
import type { TaskResult } from '../build/task-result.js';
import type { GitError, Snapshot } from '../git/git-results.js';
import type { Handoff } from '../handoff/handoff.schema.js';
import { asSentence, errorMessage } from '../errors.js';
import { STAGE_INFO, type Stage } from '../pipeline/stages.js';
import type { TaskGraph } from '../task-graph/task.js';
import { entry, type EntryInput } from '../transcript.js';
import type { OpenProject } from './open-project.js';

/** The question asked before a build starts in a project with uncommitted work. */
export function dirtyTreePrompt(dir: string, files: readonly string[]): string {
  const shown = files.slice(0, 12).map((f) => `  ${f}`);
  if (files.length > 12) shown.push(`  … and ${files.length - 12} more`);
  return [
    `${dir} has uncommitted changes (${files.length} file${files.length === 1 ? '' : 's'}):`,
    ...shown,
    'The Builder never sweeps them into a task commit. Choose:',
    '  commit — commit them now as your own commit, then build',
    '  aside  — save them to a safety ref (refs/codesleuth/snapshots/…, untracked files included), set them aside, then build',
    '  cancel — do nothing now',
  ].join('\n');
}

/** Said on resuming a project whose build has not finished; empty otherwise. */
export function unfinishedBuildHint(stage: Stage, handoff: Pick<Handoff, 'build'>): string {
  return stage === 'building' && handoff.build?.completedAt === undefined ? 'The build is not finished: type !continue to go on.' : '';
}

/** The build started on one branch and the project is now on another: where should the task commits go? */
export function movedBranchPrompt(started: string, now: string): string {
  return [
    `The build started on branch ${started}; the project is now on ${now}. Task commits go on the branch the build uses. Choose:`,
    `  here   — build on ${now} from now on (the tasks already built stay on ${started})`,
    `  cancel — do nothing now; check out ${started} (git switch ${started}) and type !continue`,
  ].join('\n');
}

/** HEAD is detached: task commits would be on no branch, and easy to lose. */
export function detachedHeadText(dir: string, head: string): string {
  return (
    `The Builder cannot start: ${dir} has a detached HEAD (at ${head.slice(0, 12)}), so task commits would belong to no branch and be easy to lose. ` +
    'Check out a branch (git switch <branch>, or git switch -c <new-branch> to keep this commit), then type !continue. Nothing was changed.'
  );
}

/**
 * Why the person's work could not be committed or set aside, with git's own hint (what stopped
 * it, where a snapshot already is). Neither operation loses work when it fails: a refused
 * commit puts the index back, a set-aside keeps the snapshot it made.
 */
export function gitFailureText(what: string, error: GitError): string {
  return [`${what}: ${asSentence(error.message)}`, ...(error.hint ? [asSentence(error.hint)] : []), 'Nothing was lost. Commit your changes yourself, then type !continue.'].join(' ');
}

/** A write or the run itself failed: the build stops, and nothing committed is lost. */
export function stoppedText(error: unknown): string {
  return `The build stopped: ${errorMessage(error)}. Finished tasks are committed; type !continue to go on.`;
}

/** Said when an interrupted in-place task's leftovers were set aside: where they are, how to get them back, where the task restarts. */
export function interruptedSetAsideText(taskId: string, base: string | null, snapshot: Pick<Snapshot, 'ref' | 'files' | 'restoreInstructions'>): string {
  const n = snapshot.files.length;
  const checkpoint = base === null ? 'the start (the repository had no commit yet)' : `its checkpoint ${base.slice(0, 12)}`;
  return [
    `${taskId} was interrupted; what it had written is kept at ${snapshot.ref} (${n} file${n === 1 ? '' : 's'}: everything that was uncommitted in the project, so anything you edited since is there too).`,
    `Restore: ${snapshot.restoreInstructions}`,
    `${taskId} restarts from ${checkpoint}.`,
  ].join('\n');
}

/** Said before the dirty-tree question when a task was interrupted in place but HEAD has moved since. */
export function interruptedMovedText(taskId: string, base: string | null, head: string | null): string {
  const short = (sha: string | null) => (sha === null ? 'no commit' : sha.slice(0, 12));
  return `${taskId} was interrupted while it worked in the project, but HEAD moved since (from ${short(base)} to ${short(head)}), so what it had written cannot be told from your own changes. Choosing aside keeps all of it at a safety ref; commit makes all of it your commit.`;
}

/** Setting aside an interrupted task's leftovers failed: nothing moved, nothing was lost. */
export function interruptedFailureText(taskId: string, dir: string, error: GitError): string {
  return [
    `${taskId} was interrupted while it worked in ${dir}, and setting aside what it had written failed: ${asSentence(error.message)}`,
    ...(error.hint ? [asSentence(error.hint)] : []),
    'Nothing was lost and nothing was built. Fix that (git status shows the files), then type !continue.',
  ].join(' ');
}

/** What a task's agent is doing, for the board; undefined for events that change nothing shown. */
export function toolActivity(event: AgentEvent): string | undefined {
  if (event.type === 'tool_call') {
    const input = event.input as Record<string, unknown> | undefined;
    const target = typeof input?.['path'] === 'string' ? input['path'] : typeof input?.['command'] === 'string' ? input['command'] : '';
    return `${event.name}${target ? ` ${String(target)}` : ''}`;
  }
  if (event.type === 'turn_start') return `thinking (turn ${event.turn})`;
  return undefined;
}

/** A task's phase as the board names it. */
export function phaseText(phase: TaskPhase): string {
  switch (phase.kind) {
    case 'builder':
      return phase.run === 1 ? 'Builder' : `Builder, run ${phase.run}`;
    case 'gates':
      return phase.commands.length === 0 ? 'gates (none found)' : `gates: ${phase.commands.join(', ')}`;
    case 'review':
      return `review: ${phase.stage}, round ${phase.round}`;
    case 'commit':
      return 'committing';
  }
}

/** The transcript line for a finished task. */
export function describeTaskEnd(record: TaskRecord, result: TaskResult): EntryInput {
  if (record.status === 'DONE') {
    const lines = [`✓ ${record.id} DONE — commit ${record.sha?.slice(0, 12)}${record.landedSha && record.landedSha !== record.sha ? ` (landed ${record.landedSha.slice(0, 12)})` : ''}: ${record.summary ?? ''}`];
    lines.push(renderReceiptSummary(record.receipts));
    const failed = record.failedGateRuns ?? 0;
    if (failed > 0) lines.push(`  • the gates failed ${failed} time${failed === 1 ? '' : 's'} first; the Builder repaired it each time`);
    for (const concern of record.concerns) lines.push(`  • concern: ${concern}`);
    if (result.kind === 'done' && result.heldBack.length > 0) lines.push(`  • not committed (your uncommitted changes): ${result.heldBack.join(', ')}`);
    if (result.kind === 'done' && result.unattributed.length > 0) lines.push(`  • changed but not reported by any tool, left uncommitted: ${result.unattributed.join(', ')}`);
    return entry.success(lines.join('\n'));
  }
  if (record.status === 'IN-PROGRESS' || record.status === 'PENDING') return entry.info(`${record.id}: ${record.reason ?? 'stopped; it restarts from its last checkpoint.'}`);
  return entry.warning(`${record.id} ${record.status}: ${record.reason ?? ''}`);
}

/**
 * The next step once every task is built: the first build goes to the Critic. Tasks added
 * later were approved as they were added, so the report's !critic approval is renewed (see
 * BuildController) and the stage that asked for them looks again: the session restarts the
 * Critic or Security; after shipping (or a HOLD) the person verifies again.
 */
function nextAfterBuild(stage: Stage): string {
  if (stage === 'building') return 'Review it; when you agree, type !critic.';
  const renewed = "The report's !critic approval is renewed with these tasks.";
  return stage === 'critique' || stage === 'security' ? `${renewed} ${STAGE_INFO[stage].agentName} reviews the fixes next.` : `${renewed} Type !verify to verify the project again.`;
}

/** What the person reads when the build stops. */
export function endingMessage(ending: BuildEnding, project: OpenProject, reportPath: string, spent: string): EntryInput {
  const records = project.handoff.tasks;
  switch (ending.kind) {
    case 'complete': {
      const done = records.filter((r) => r.status === 'DONE').length;
      return entry.success(`Build complete: ${done} task${done === 1 ? '' : 's'} DONE, one commit each; the build spent ${spent}.\nReport: ${reportPath}\n${nextAfterBuild(project.position().stage)}`);
    }
    case 'waiting': {
      const lines = ['The build waits for you:'];
      for (const id of ending.tasks) {
        const r = records.find((x) => x.id === id);
        if (r && r.status !== 'PENDING' && r.status !== 'IN-PROGRESS') lines.push(`  ${id} ${r.status}: ${r.reason ?? ''}`);
      }
      for (const held of ending.held) {
        const waits = held.waitsFor.map((d) => `${d} (${records.find((x) => x.id === d)?.status ?? 'PENDING'})`);
        lines.push(`  ${held.taskId} not started: it depends on ${waits.join(', ')}.`);
      }
      const open = (project.handoff.build?.decisions ?? []).filter((d) => d.answer === undefined);
      for (const d of open) lines.push(`  ${d.id} (${d.taskId}) asks: ${d.question}`);
      if (open.length > 0) lines.push('Answer with !decide <id> <answer>.');
      lines.push('Other commands: !retry TASK-NNN, !skip TASK-NNN, !status.');
      return entry.warning(lines.join('\n'));
    }
    case 'paused':
      return entry.warning(`The build is paused: ${ending.reason}\nFinished tasks stay committed. Look at the failures above, then !retry a task or !continue.`);
    case 'budget':
      return entry.warning(`The build stopped before spending past the budget: ${ending.message}\nThe project is paused: after !budget extend, type !resume, then !continue. Finished tasks stay committed; the stopped task restarts from its last checkpoint.`);
    case 'aborted':
      return entry.info('The build stopped. Finished tasks stay committed; unfinished ones restart from their last checkpoint when you type !continue.');
  }
}

/**
 * Said when a build starts: how many tasks it can run and how many at once. Nothing when every
 * open task is held up by a BLOCKED one: the build's ending says what each waits for.
 */
export function buildingLine(graph: TaskGraph, records: readonly TaskRecord[], maxWorkers: number): EntryInput | undefined {
  const count = buildableTasks(scheduleStateOf(graph, records, maxWorkers)).length;
  if (count === 0) return undefined;
  const pace = count === 1 ? '' : maxWorkers > 1 ? ` with up to ${maxWorkers} at once` : ' one at a time';
  return entry.info(`Builder (agent 3) is building ${count} task${count === 1 ? '' : 's'}${pace}. Ctrl+C stops it; finished tasks stay committed.`);
}

/** What the person reads about the worktrees an earlier run left behind (nothing when there were none). */
export function leftoverLines(cleanup: LeftoverCleanup): EntryInput[] {
  const lines: EntryInput[] = [];
  if (cleanup.removed.length > 0) {
    const saved = cleanup.removed.flatMap((w) => (w.snapshot ? [w.snapshot.ref] : []));
    lines.push(entry.info(`Cleaned up ${cleanup.removed.length} worktree${cleanup.removed.length === 1 ? '' : 's'} left by an earlier run.${saved.length > 0 ? ` ${cleanup.removed.length === 1 ? 'Its' : 'Their'} unfinished work is kept at ${saved.join(', ')}.` : ''}`));
  }
  for (const branch of cleanup.keptBranches) lines.push(entry.warning(`Branch ${branch} holds a task commit that never landed; it is kept for you (merge it by hand or delete it).`));
  for (const problem of cleanup.problems) lines.push(entry.warning(`Could not remove a worktree left by an earlier run: ${problem}`));
  return lines;
}

/** The status bar's part for what only the person can settle: open decisions, then reviews escalated to them. */
export function decisionsWaiting(decisions: readonly Decision[], escalated: readonly string[]): string[] {
  const open = decisions.filter((d) => d.answer === undefined).length;
  const parts = open > 0 ? [`${open} decision${open === 1 ? '' : 's'} (!decide)`] : [];
  const tasks = [...escalated].sort();
  if (tasks.length === 1) parts.push(`your call on ${tasks[0]!}'s escalated review (!retry or !skip)`);
  if (tasks.length > 1) parts.push(`your call on ${tasks.length} escalated reviews, ${tasks.join(', ')} (!retry or !skip)`);
  return parts;
}

/** The question `!skip` asks: what is not built, and which tasks then go on without it (the scheduler treats a skipped task as satisfied). */
export function skipPrompt(graph: TaskGraph, taskId: string): string {
  const dependents = graph.tasks.filter((t) => t.depends_on.includes(taskId)).map((t) => t.id);
  const effect =
    dependents.length === 0
      ? 'No task depends on it.'
      : `${dependents.join(', ')} ${dependents.length === 1 ? 'depends' : 'depend'} on it and will be built without it, marked in !status and BUILD_REPORT.md.`;
  return `Skip ${taskId}? It will not be built. ${effect} Type yes to skip, anything else to keep it.`;
}
