import { readScannerFile } from '../security/scanner-file.js';
import { releaseBlocking } from './release-blocking.js';
import { acceptSecurityFinding, readSastFindings } from '../security/security-tool.js';
import { checkTaskGraphText } from '../task-graph/check-task-graph.js';
import { TASK_GRAPH_FILE } from '../task-graph/render-task-graph.js';
import { entry, type EntryInput } from '../transcript.js';
import { readCriticism } from '../verdicts/critic-tool.js';
import { appendTasks, type ProposedTask } from './append-tasks.js';
import { criticFixTasks, securityFixTasks, type ExistingFix } from './fix-tasks.js';
import type { OpenProject } from './open-project.js';
import type { SessionPorts } from './ports.js';

/**
 * What `!critic fix`, `!security fix` and `!security accept` do, and the one way new tasks
 * reach the plan (shared with Maintenance): appended to TASK-GRAPH.md with continued ids,
 * then a fresh `build` approval of the changed graph, so the Builder may run them and a later
 * gate does not find the plan's approval stale.
 */

/** What an action said, and the tasks it added for the Builder. */
export interface ActionOutcome {
  readonly entries: EntryInput[];
  readonly build?: readonly string[];
}

export type AppendOutcome = { readonly ok: true; readonly ids: readonly string[] } | { readonly ok: false; readonly problems: readonly string[] };

/** Appends `proposed` to the project's TASK-GRAPH.md and records a fresh build approval labelled `label`. */
export async function appendAndApprove(ports: SessionPorts, project: OpenProject, proposed: readonly ProposedTask[], label: string): Promise<AppendOutcome> {
  const read = await ports.projects.readArtifact(project.id, TASK_GRAPH_FILE);
  if (read.kind === 'missing') return { ok: false, problems: [`${TASK_GRAPH_FILE} does not exist; the plan must be written before tasks can be added`] };
  const current = checkTaskGraphText(read.text);
  if (!current.ok) return { ok: false, problems: current.problems.map((p) => `${TASK_GRAPH_FILE}${p.line ? ` line ${p.line}` : ''}: ${p.message}`) };
  const appended = appendTasks(current.graph, proposed);
  if (!appended.ok) return appended;
  await ports.projects.writeArtifact(project.id, TASK_GRAPH_FILE, appended.text);
  await project.renewApproval('build', label);
  return { ok: true, ids: appended.ids };
}

/** The graph's task titles with their ids (none when the graph is missing or broken). */
async function existingTasks(ports: SessionPorts, project: OpenProject): Promise<Map<string, string>> {
  const read = await ports.projects.readArtifact(project.id, TASK_GRAPH_FILE);
  const parsed = read.kind === 'ok' ? checkTaskGraphText(read.text) : undefined;
  return new Map(parsed?.ok ? parsed.graph.tasks.map((t) => [t.title, t.id]) : []);
}

/**
 * Fix tasks an earlier `!security fix` added whose finding is still open: the ones not yet
 * finished are built again; the rest are said with what the person can do.
 */
function earlierFixes(project: OpenProject, existing: readonly ExistingFix[], scannedAt: string | undefined, rescan: string): { build: string[]; lines: string[] } {
  const build: string[] = [];
  const lines: string[] = [];
  for (const { findingId, taskId } of existing) {
    const record = project.handoff.tasks.find((r) => r.id === taskId);
    const status = record?.status ?? 'PENDING';
    const why = record?.reason ? ` (${record.reason})` : '';
    switch (status) {
      case 'PENDING':
      case 'IN-PROGRESS':
        build.push(taskId);
        lines.push(`${findingId}: its fix task ${taskId} (added earlier) is not finished; building it now`);
        break;
      case 'BLOCKED':
      case 'STALLED':
      case 'SKIPPED':
        lines.push(`${findingId}: its fix task ${taskId} is ${status}${why}; type !retry ${taskId} to build it again (${rescan})`);
        break;
      case 'NEEDS_CONTEXT':
        lines.push(`${findingId}: its fix task ${taskId} waits for your answer; !status shows the question, !decide <id> <answer> lets it go on`);
        break;
      case 'DONE':
        lines.push(
          scannedAt !== undefined && (record?.finishedAt ?? '') > scannedAt
            ? `${findingId}: its fix task ${taskId} is DONE and not scanned yet: ${rescan} (type !continue if it waits for you)`
            : `${findingId}: its fix task ${taskId} is DONE, yet the last scan still finds it; fix it by hand, or accept it with !security accept ${findingId} <reason>`,
        );
        break;
    }
  }
  return { build, lines };
}

function added(ports: SessionPorts, project: OpenProject, what: string, ids: readonly string[], skipped: readonly string[]): ActionOutcome {
  const lines = [
    `${what}: added ${ids.join(', ')} to ${ports.projects.artifactPath(project.id, TASK_GRAPH_FILE)} and approved them for the Builder (HANDOFF.json v${project.handoff.version}).`,
    ...skipped.map((s) => `  • not added: ${s}`),
  ];
  return { entries: [entry.success(lines.join('\n'))], build: ids };
}

/** `!critic fix`: the Critic's findings (after HOLD or CONDITIONAL) as fix tasks. */
export async function criticFix(ports: SessionPorts, project: OpenProject): Promise<ActionOutcome> {
  const criticism = await readCriticism(ports.projects, project.id);
  if (criticism.kind === 'missing') return { entries: [entry.error('There is no Critic verdict yet (CRITICISM.json). Wait for agent 4 to report its scores.')] };
  if (criticism.kind === 'invalid') return { entries: [entry.error(criticism.message)] };
  if (criticism.value.verdict === 'SHIP_READY') {
    return { entries: [entry.info('The Critic\'s verdict is SHIP_READY: there is nothing the verdict asks to fix. Type !security to go on.')] };
  }
  const fixes = criticFixTasks(criticism.value, new Set((await existingTasks(ports, project)).keys()));
  if (fixes.tasks.length === 0) {
    return { entries: [entry.warning(['No fix task could be made from CRITICISM.json.', ...fixes.skipped.map((s) => `  • ${s}`)].join('\n'))] };
  }
  const outcome = await appendAndApprove(ports, project, fixes.tasks, 'critic fix tasks');
  if (!outcome.ok) return { entries: [entry.error(`The fix tasks could not be added:\n${outcome.problems.map((p) => `  • ${p}`).join('\n')}`)] };
  return added(ports, project, '!critic fix', outcome.ids, fixes.skipped);
}

/** `!security fix`: the open findings as fix tasks. */
export async function securityFix(ports: SessionPorts, project: OpenProject): Promise<ActionOutcome> {
  const sast = await readSastFindings(ports.projects, project.id);
  if (!sast.ok) return { entries: [entry.error(sast.message)] };
  if (!sast.exists) return { entries: [entry.error('There is no security report yet (SAST_FINDINGS.jsonl). Wait for agent 5 to report.')] };
  const fixes = securityFixTasks(sast.findings, await existingTasks(ports, project));
  const scanner = await readScannerFile(ports.projects, project.id);
  // Security looks again by itself when a build completes in its stage; later, !verify scans again.
  const stage = project.position().stage;
  const rescan = stage === 'security' || stage === 'critique' ? 'Security scans again once the build completes' : 'once the build completes, !verify scans again';
  const again = earlierFixes(project, fixes.existing, scanner.kind === 'ok' ? scanner.value.at : undefined, rescan);
  const notes = [...again.lines, ...fixes.skipped].map((s) => `  • ${s}`);
  if (fixes.tasks.length === 0) {
    if (again.build.length === 0) return { entries: [entry.info(['No open finding needs a new fix task.', ...notes].join('\n'))] };
    return { entries: [entry.info([`!security fix: no new fix task; building the unfinished ones (${again.build.join(', ')}); ${rescan}.`, ...notes].join('\n'))], build: again.build };
  }
  const outcome = await appendAndApprove(ports, project, fixes.tasks, 'security fix tasks');
  if (!outcome.ok) return { entries: [entry.error(`The fix tasks could not be added:\n${outcome.problems.map((p) => `  • ${p}`).join('\n')}`)] };
  const result = added(ports, project, '!security fix', outcome.ids, []);
  const text = [result.entries[0]!.text, ...notes].join('\n');
  return { entries: [entry.success(text)], build: [...outcome.ids, ...again.build] };
}

/** `!security accept <id> <reason>`: the acceptance recorded in the findings, the report and HANDOFF.json's history. */
export async function securityAccept(ports: SessionPorts, project: OpenProject, findingId: string, reason: string): Promise<ActionOutcome & { readonly passed?: boolean }> {
  const outcome = await acceptSecurityFinding(ports.projects, project.id, findingId, reason, (await releaseBlocking(ports)).severities);
  if (!outcome.ok) return { entries: [entry.error(outcome.message)] };
  await project.update((h) => h, `!security accept ${outcome.finding.id}: ${outcome.finding.acceptedReason ?? ''}`);
  const gate = outcome.gate.kind === 'pass' ? `The release gate now passes: ${outcome.gate.reason}. Type !verify when ready.` : `The release gate still refuses: ${outcome.gate.reason}`;
  return {
    entries: [entry.success(`Accepted ${outcome.finding.id} (${outcome.finding.severity}: ${outcome.finding.title}) with your reason; recorded in SAST_FINDINGS.jsonl, SECURITY_REPORT.md and HANDOFF.json.\n${gate}`)],
    passed: outcome.gate.kind === 'pass',
  };
}
