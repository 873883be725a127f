import { formatUsd } from '../budget/cost.js';
import type { TaskGraph, TaskStatus } from '../task-graph/task.js';
import { renderTaskGraph } from '../task-graph/render-task-graph.js';
import { oneLine, table } from '../verdicts/markdown.js';
import type { Decision, TaskRecord } from './build-record.js';
import { renderReceiptSummary } from './receipts.js';
import { markedTasks, type MarkedTask } from './scheduler.js';

/*
 * What the build shows: TASK-GRAPH.md with each task's status, the live board's lines, and
 * BUILD_REPORT.md — per task its status, concerns, the runtime's receipts, its commit, tokens
 * and cost. Everything here comes from the records the runtime kept, never from a model's prose.
 */

/** The status a task shows in TASK-GRAPH.md. */
export function graphStatusOf(record: TaskRecord | undefined): TaskStatus {
  switch (record?.status) {
    case undefined:
    case 'PENDING':
      return 'PENDING';
    case 'IN-PROGRESS':
      return 'IN-PROGRESS';
    case 'DONE':
      return 'DONE';
    case 'SKIPPED':
      return 'SKIPPED';
    case 'BLOCKED':
    case 'NEEDS_CONTEXT':
    case 'STALLED':
      return 'BLOCKED';
  }
}

/** TASK-GRAPH.md with the statuses of the records (the plan itself unchanged). */
export function renderGraphWithStatuses(graph: TaskGraph, records: readonly TaskRecord[]): string {
  const byId = new Map(records.map((r) => [r.id, r]));
  return renderTaskGraph({ ...graph, tasks: graph.tasks.map((t) => ({ ...t, status: graphStatusOf(byId.get(t.id)) })) });
}

/** Pure: the tasks built (or to be built) without a task the person skipped, each with why, from the records. */
export function skipMarks(graph: TaskGraph, records: readonly TaskRecord[]): MarkedTask[] {
  const skipped = new Set(records.filter((r) => r.status === 'SKIPPED').map((r) => r.id));
  return markedTasks({ graph, skipped, maxWorkers: 1 });
}

/** Whole seconds, so a board refreshed every second moves steadily: "0 s", "42 s", "3 min 05 s". */
export function elapsedText(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1_000));
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** One line per task for the live board: status, what it is doing, time and cost. */
export function boardLines(
  graph: TaskGraph,
  records: readonly TaskRecord[],
  activity: ReadonlyMap<string, string>,
  nowMs: number,
): string[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  return graph.tasks.map((task) => {
    const record = byId.get(task.id);
    const status = record?.status ?? 'PENDING';
    const elapsed = record?.startedAt && status === 'IN-PROGRESS' ? ` · ${elapsedText(nowMs - Date.parse(record.startedAt))}` : '';
    const cost = record && record.costUsd > 0 ? ` · ${formatUsd(record.costUsd)}` : '';
    const doing = status === 'IN-PROGRESS' ? activity.get(task.id) : status === 'DONE' ? record?.sha?.slice(0, 8) : record?.reason;
    return `${task.id} ${status.padEnd(13)} ${oneLine(task.title).slice(0, 40)}${elapsed}${cost}${doing ? ` — ${oneLine(doing).slice(0, 80)}` : ''}`;
  });
}

/** Totals over the records. */
export function buildTotals(records: readonly TaskRecord[]): { inputTokens: number; outputTokens: number; costUsd: number } {
  return records.reduce(
    (sum, r) => ({ inputTokens: sum.inputTokens + r.inputTokens, outputTokens: sum.outputTokens + r.outputTokens, costUsd: sum.costUsd + r.costUsd }),
    { inputTokens: 0, outputTokens: 0, costUsd: 0 },
  );
}

/** BUILD_REPORT.md: written when every task is DONE or skipped. */
export function renderBuildReport(input: {
  readonly projectName: string;
  readonly graph: TaskGraph;
  readonly records: readonly TaskRecord[];
  readonly decisions: readonly Decision[];
  readonly completedAt: string;
}): string {
  const byId = new Map(input.records.map((r) => [r.id, r]));
  const totals = buildTotals(input.records);
  const done = input.graph.tasks.filter((t) => byId.get(t.id)?.status === 'DONE').length;
  const skipped = input.graph.tasks.filter((t) => byId.get(t.id)?.status === 'SKIPPED').length;
  const out = [
    `# Build report: ${oneLine(input.projectName)}`,
    '',
    '## Summary',
    '',
    `- Completed: ${input.completedAt}`,
    `- Tasks: ${input.graph.tasks.length} (${done} DONE${skipped > 0 ? `, ${skipped} SKIPPED by the person` : ''})`,
    `- Tokens: ${totals.inputTokens} in, ${totals.outputTokens} out; cost ${formatUsd(totals.costUsd)}`,
    '- Every DONE task passed the gate commands the runtime ran itself (receipts below) and is one commit.',
    '',
    '## Tasks',
    '',
    table(
      ['ID', 'Title', 'Status', 'Commit', 'Gates', 'Reviews run', 'Tokens in/out', 'Cost'],
      input.graph.tasks.map((t) => {
        const r = byId.get(t.id);
        const gates = r && r.receipts.length > 0 ? (r.receipts.every((x) => x.exitCode === 0) ? 'PASS' : 'FAIL') : '—';
        return [t.id, t.title, r?.status ?? 'PENDING', r?.landedSha && r.landedSha !== r.sha ? `${r.sha?.slice(0, 12)} (landed ${r.landedSha.slice(0, 12)})` : (r?.sha?.slice(0, 12) ?? '—'), gates, String(r?.reviewRounds ?? 0), r ? `${r.inputTokens}/${r.outputTokens}` : '—', r ? formatUsd(r.costUsd) : '—'];
      }),
    ),
    '',
    'Reviews run counts review rounds over both stages, spec compliance then code quality: 2 means each passed at its first round.',
  ];
  const marks = skipMarks(input.graph, input.records);
  const markOf = new Map(marks.map((m) => [m.taskId, m]));
  if (skipped > 0) {
    out.push('', '## Skipped tasks', '', 'Tasks the person chose to skip (`!skip`): they were not built. The tasks that depend on them were built without them; check each still makes sense.', '');
    for (const task of input.graph.tasks.filter((t) => byId.get(t.id)?.status === 'SKIPPED')) {
      const dependents = marks.filter((m) => m.skippedDependencies.includes(task.id)).map((m) => m.taskId);
      out.push(`- ${task.id} (${oneLine(task.title)}): skipped; ${dependents.length === 0 ? 'no task depends on it' : `built without it: ${dependents.join(', ')}`}`);
    }
  }
  for (const task of input.graph.tasks) {
    const r = byId.get(task.id);
    out.push('', `### ${task.id}: ${oneLine(task.title)}`, '', `- Status: ${r?.status ?? 'PENDING'}`);
    if (r?.sha) out.push(`- Commit: ${r.sha}${r.landedSha && r.landedSha !== r.sha ? ` (landed by ${r.landedSha})` : ''}`);
    if (r?.summary) out.push(`- Summary: ${oneLine(r.summary)}`);
    if (r?.review) out.push(`- ${oneLine(r.review)}`);
    if (r?.reason) out.push(`- Note: ${oneLine(r.reason)}`);
    const mark = markOf.get(task.id);
    if (mark) out.push(`- Marked: ${mark.why}`);
    if (r && r.attempts > 1) out.push(`- Attempts: ${r.attempts}`);
    if (r?.failedGateRuns) out.push(`- Failed gate runs: ${r.failedGateRuns} (each went back to the Builder)`);
    for (const concern of r?.concerns ?? []) out.push(`- Concern: ${oneLine(concern)}`);
    for (const d of input.decisions.filter((x) => x.taskId === task.id)) out.push(`- Decision ${d.id}: ${oneLine(d.question)} → ${d.answer ? oneLine(d.answer) : '(unanswered)'}`);
    if (r && r.receipts.length > 0) out.push('', renderReceiptSummary(r.receipts, { includeFailureTail: true }));
  }
  return `${out.join('\n')}\n`;
}

/** DECISIONS.md: the questions the Builder raised and the person's answers. */
export function renderDecisions(decisions: readonly Decision[]): string {
  const out = ['# Decisions', '', 'Questions the Builder could not answer alone. Answer with `!decide <id> <answer>`.', ''];
  if (decisions.length === 0) out.push('No decisions yet.');
  for (const d of decisions) {
    out.push(`## ${d.id} (${d.taskId}) — ${d.answer === undefined ? 'OPEN' : 'ANSWERED'}`, '', `- Asked: ${d.askedAt}`, `- Question: ${oneLine(d.question)}`);
    if (d.answer !== undefined) out.push(`- Answer: ${oneLine(d.answer)}`, `- Answered: ${d.answeredAt ?? ''}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
