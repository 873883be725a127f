import { acceptSecurityFinding, readSastFindings } from '../security/security-tool.js';
import { checkTaskGraphText } from '../task-graph/check-task-graph.js';
import { TASK_GRAPH_FILE } from '../task-graph/render-task-graph.js';
import { entry, type EntryInput } from '../transcript.js';
import { readCriticism } from '../verdicts/critic-tool.js';
import { appendTasks, type ProposedTask } from './append-tasks.js';
import { criticFixTasks, securityFixTasks } from './fix-tasks.js';
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

function titles(text: string | undefined): Set<string> {
  if (text === undefined) return new Set();
  const parsed = checkTaskGraphText(text);
  return new Set(parsed.ok ? parsed.graph.tasks.map((t) => t.title) : []);
}

async function existingTitles(ports: SessionPorts, project: OpenProject): Promise<Set<string>> {
  const read = await ports.projects.readArtifact(project.id, TASK_GRAPH_FILE);
  return titles(read.kind === 'ok' ? read.text : undefined);
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
  const fixes = criticFixTasks(criticism.value, await existingTitles(ports, project));
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
  const fixes = securityFixTasks(sast.findings, await existingTitles(ports, project));
  if (fixes.tasks.length === 0) {
    return { entries: [entry.info(['No open finding needs a fix task.', ...fixes.skipped.map((s) => `  • ${s}`)].join('\n'))] };
  }
  const outcome = await appendAndApprove(ports, project, fixes.tasks, 'security fix tasks');
  if (!outcome.ok) return { entries: [entry.error(`The fix tasks could not be added:\n${outcome.problems.map((p) => `  • ${p}`).join('\n')}`)] };
  return added(ports, project, '!security fix', outcome.ids, fixes.skipped);
}

/** `!security accept <id> <reason>`: the acceptance recorded in the findings, the report and HANDOFF.json's history. */
export async function securityAccept(ports: SessionPorts, project: OpenProject, findingId: string, reason: string): Promise<ActionOutcome & { readonly passed?: boolean }> {
  const outcome = await acceptSecurityFinding(ports.projects, project.id, findingId, reason);
  if (!outcome.ok) return { entries: [entry.error(outcome.message)] };
  await project.update((h) => h, `!security accept ${outcome.finding.id}: ${outcome.finding.acceptedReason ?? ''}`);
  const gate = outcome.gate.kind === 'pass' ? `The release gate now passes: ${outcome.gate.reason}. Type !verify when ready.` : `The release gate still refuses: ${outcome.gate.reason}`;
  return {
    entries: [entry.success(`Accepted ${outcome.finding.id} (${outcome.finding.severity}: ${outcome.finding.title}) with your reason; recorded in SAST_FINDINGS.jsonl, SECURITY_REPORT.md and HANDOFF.json.\n${gate}`)],
    passed: outcome.gate.kind === 'pass',
  };
}
