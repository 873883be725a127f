import type { Handoff } from './handoff.schema.js';

/*
 * What `!reset` takes away. A reset starts the pipeline over: a build, a review or a release
 * of the old run must not make a later gate pass, nor a resume route to Maintenance. The
 * person's starting point stays: feature-spec.md and the planning documents (the task graph
 * with every task PENDING again). Nothing is deleted: HANDOFF.json is copied and the run's
 * outputs are moved into backups/ first. The project's own files and git history are not ours.
 */

/**
 * The old run's build, review and release outputs, moved aside by a reset so that none can
 * open a later gate. Literal names (not the writers' constants) keep this module free of
 * the tool modules; a test checks they agree.
 */
export const RUN_OUTPUTS = [
  'BUILD_REPORT.md',
  'DECISIONS.md',
  'CRITICISM.md',
  'CRITICISM.json',
  'SCANNER_FINDINGS.json',
  'SECURITY_REPORT.md',
  'SAST_FINDINGS.jsonl',
  'SECURITY_DOMAINS.json',
  'RELEASE_CHECKS.json',
  'RELEASE.md',
  'RELEASE.json',
] as const;

/** Pure: the handoff's run cleared (approvals, task records, build section, milestone); everything else kept. */
export function clearRun(handoff: Handoff): Handoff {
  const { build: _build, milestone: _milestone, ...kept } = handoff;
  return { ...kept, approvals: [], tasks: [] };
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Pure: what a reset of this handoff clears, as phrases for the prompt and the message. */
export function resetClears(handoff: Handoff): string[] {
  const cleared: string[] = [];
  const gates = new Set(handoff.approvals.map((a) => `!${a.gate}`));
  cleared.push(gates.size === 0 ? 'the approvals (none yet)' : `the approvals (${[...gates].join(', ')})`);
  if (handoff.tasks.length > 0) cleared.push(plural(handoff.tasks.length, 'task record', 'task records'));
  const build = handoff.build;
  if (build) {
    const parts = [build.completedAt ? `completed ${build.completedAt}` : 'not completed', ...(build.branch ? [`branch ${build.branch}`] : [])];
    cleared.push(`the build's state (${parts.join(', ')})`);
    if (build.decisions.length > 0) cleared.push(plural(build.decisions.length, 'decision', 'decisions'));
  }
  if (handoff.milestone) cleared.push(`the "${handoff.milestone}" milestone`);
  return cleared;
}

/** "a, b and c". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The confirmation `!reset` asks, naming what goes and where the old state is kept. */
export function resetPrompt(handoff: Handoff, handoffPath: string): string {
  const backups = handoffPath.replace(/HANDOFF\.json$/, 'backups');
  return (
    `Reset ${handoff.project.name} to Discovery? The pipeline starts over: ${listWords(resetClears(handoff))} are cleared from HANDOFF.json, ` +
    `which is backed up first; the old run's reports (${RUN_OUTPUTS.join(', ')}, those that exist) and the agents' conversations move to ${backups}. ` +
    'feature-spec.md and the planning documents stay as your starting point, with every task in TASK-GRAPH.md PENDING again; ' +
    'your project files and their git history are not touched. Type yes to reset, anything else to keep going.'
  );
}
