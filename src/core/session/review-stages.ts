import type { Milestone } from '../build/build-record.js';
import { errorMessage } from '../errors.js';
import { describeReleaseChecks, failedGateOutput, readReleaseChecks, writeReleaseChecks, type ReleaseChecks } from '../release/release-checks.js';
import { RELEASE_FILE, readReleaseFile } from '../release/release-report.js';
import { releaseVerdictLabel } from '../release/release-history.js';
import { checkTaskEvidence } from '../release/task-evidence.js';
import { countBySeverity, readScannerFile, scannerSummary, writeScannerFile, SCANNER_FINDINGS_FILE } from '../security/scanner-file.js';
import type { ScannerNote, SecurityFinding } from '../security/finding.js';
import { SAST_FILE, SECURITY_REPORT_FILE, readSastFindings, recordRescan, releaseGate } from '../security/security-tool.js';
import type { Stage } from '../pipeline/stages.js';
import { checkTaskGraphText } from '../task-graph/check-task-graph.js';
import { entry, type EntryInput } from '../transcript.js';
import { CRITICISM_FILE, CRITICISM_JSON_FILE, readCriticism } from '../verdicts/critic-tool.js';
import { formatMean } from '../verdicts/critic.js';
import type { OpenProject } from './open-project.js';
import { releaseBlocking } from './release-blocking.js';
import type { SessionPorts } from './ports.js';

/**
 * The runtime's part of the Critic, Security and Verifier stages: the checks it runs before
 * the agent (scanners; the clean-worktree release checks), what the agent is given from them,
 * and what the person is told once the agent has reported — the computed verdict, where the
 * files are, and what to type next. Milestones are reached here, through the host.
 */

/** What the review stages need from the session. */
export interface ReviewStagesHost {
  emit(input: EntryInput): void;
  milestone(milestone: Milestone, label: string): Promise<void>;
  /** Records an event in HANDOFF.json's history (a release verdict) and refreshes the status bar. */
  recorded(label: string): Promise<void>;
}

function copyEvidence(tasks: { ok: boolean; done: readonly string[]; excused: readonly string[]; problems: readonly string[] }) {
  return { ok: tasks.ok, done: [...tasks.done], excused: [...tasks.excused], problems: [...tasks.problems] };
}

export class ReviewStages {
  constructor(
    private readonly ports: SessionPorts,
    private readonly host: ReviewStagesHost,
  ) {}

  /** Work the runtime does before a stage's agent starts. */
  async prepare(stage: Stage, project: OpenProject): Promise<void> {
    if (stage === 'security') await this.scan(project);
    if (stage === 'verification') await this.releaseChecks(project);
  }

  /** The runtime's findings the agent reads with its artifacts. */
  async context(stage: Stage, project: OpenProject): Promise<{ name: string; text: string }[]> {
    const store = this.ports.projects;
    if (stage === 'security') {
      const scanner = await readScannerFile(store, project.id);
      if (scanner.kind === 'ok') return [{ name: 'scanner-findings', text: scannerSummary(scanner.value) }];
      return [{ name: 'scanner-findings', text: scanner.kind === 'missing' ? "The runtime's scanners have not run for this review." : scanner.message }];
    }
    if (stage === 'verification') {
      const checks = await readReleaseChecks(store, project.id);
      if (checks.kind !== 'ok') return [{ name: 'runtime-checks', text: checks.kind === 'missing' ? "The runtime's checks have not run." : checks.message }];
      const failed = failedGateOutput(checks.value);
      return [{ name: 'runtime-checks', text: [describeReleaseChecks(checks.value), ...(failed ? ['', failed] : [])].join('\n') }];
    }
    return [];
  }

  /** Runs the scanners and stores SCANNER_FINDINGS.json; what they found, or undefined when they could not run. */
  async scan(project: OpenProject): Promise<{ findings: SecurityFinding[]; notes: ScannerNote[] } | undefined> {
    const release = this.ports.release;
    if (!release) {
      this.host.emit(entry.warning("The runtime's security scanners are not available in this set-up; the review rests on agent 5 alone."));
      return undefined;
    }
    this.host.emit(entry.info('Running the security scanners (secrets in the tree and history, dangerous patterns, npm audit)…'));
    try {
      const result = await release.scan(project.handoff.project.path);
      await writeScannerFile(this.ports.projects, project.id, { at: this.ports.env.now().toISOString(), findings: [...result.findings], notes: [...result.notes] });
      const skipped = result.notes.filter((n) => !n.ran).map((n) => `  • ${n.scanner} did not run: ${n.message}`);
      this.host.emit(entry.info([`Scanners found ${countBySeverity(result.findings)}; saved to ${this.ports.projects.artifactPath(project.id, SCANNER_FINDINGS_FILE)}.`, ...skipped].join('\n')));
      return { findings: [...result.findings], notes: [...result.notes] };
    } catch (error) {
      this.host.emit(entry.warning(`The security scanners failed: ${errorMessage(error)}. The review goes on with agent 5 alone; the report will say the scanners did not run.`));
      return undefined;
    }
  }

  /**
   * Maintenance's `!verify`, before the release checks: the scanners again over the code as it
   * is now, merged into the security report (acceptances kept; the agent's findings as they
   * were). False, with the reason said, when an open blocking finding refuses the release.
   */
  async rescan(project: OpenProject): Promise<boolean> {
    const scanned = await this.scan(project);
    if (!scanned) {
      this.host.emit(entry.warning('The release checks go on against the security report as it was.'));
      return true;
    }
    const blocking = await releaseBlocking(this.ports);
    const recorded = await recordRescan(this.ports.projects, project.id, scanned, blocking.severities);
    if (!recorded.ok) {
      this.host.emit(entry.error(`!verify refused: ${recorded.message}. Restore ${SAST_FILE}, or describe the problem to Maintenance.`));
      return false;
    }
    const { gate, added } = recorded;
    const report = this.path(project, SECURITY_REPORT_FILE);
    if (gate.kind === 'pass') {
      this.host.emit(entry.info(`Security report updated from the new scan: ${added.length === 0 ? 'no new open finding' : `new open: ${added.map((f) => `${f.id} (${f.severity})`).join(', ')}`}; release gate PASS — ${gate.reason}.\n${report}`));
      return true;
    }
    const lines = [
      `!verify refused: the new scan leaves ${gate.reason}`,
      ...gate.blocking.map((f) => `  • ${f.severity} ${f.id}: ${f.title} at ${f.file}:${f.line}${added.includes(f) ? ' (new)' : ''}`),
      ...(blocking.problem ? [`Note: ${blocking.problem}.`] : []),
      report,
      `Describe the fix to Maintenance, or type !security fix to turn it into a fix task, or !security accept ${gate.blocking[0]!.id} <reason> to accept it in writing; then !verify again.`,
    ];
    this.host.emit(entry.error(lines.join('\n')));
    return false;
  }

  /** Checks out the build's commit into a clean worktree, runs the gates and coverage, checks the tasks; stores RELEASE_CHECKS.json. */
  async releaseChecks(project: OpenProject): Promise<ReleaseChecks | undefined> {
    const store = this.ports.projects;
    const graphRead = await store.readArtifact(project.id, 'TASK-GRAPH.md');
    const graph = graphRead.kind === 'ok' ? checkTaskGraphText(graphRead.text) : undefined;
    const tasks = graph?.ok
      ? checkTaskEvidence(graph.graph, project.handoff.tasks)
      : { ok: false, done: [], excused: [], problems: [graphRead.kind === 'missing' ? 'TASK-GRAPH.md is missing' : 'TASK-GRAPH.md does not validate; type !status to see why'] };
    const sast = await readSastFindings(store, project.id);
    const gate = sast.ok ? releaseGate(sast.findings, (await releaseBlocking(this.ports)).severities) : undefined;
    const security = !sast.ok ? { ok: false, reason: sast.message } : !sast.exists ? { ok: false, reason: `${SAST_FILE} is missing: the security review has not reported` } : { ok: gate!.kind === 'pass', reason: gate!.reason };

    const release = this.ports.release;
    let checks: ReleaseChecks;
    if (!release) {
      checks = {
        at: this.ports.env.now().toISOString(),
        clean: { worktree: { ok: false, message: 'the release checks are not available in this set-up' }, gates: { source: 'none', commands: [], receipts: [] }, coverage: { kind: 'not-measured', reason: 'not available in this set-up' } },
        tasks: copyEvidence(tasks),
        security,
      };
    } else {
      const tip = project.handoff.build?.branch ? `the tip of the build's branch ${project.handoff.build.branch}` : "the project's HEAD";
      this.host.emit(entry.info(`Checking out ${tip} into a clean worktree and running the gate commands and coverage there…`));
      const worktreeDir = store.artifactPath(project.id, `worktrees/verify-${this.ports.env.now().getTime()}`);
      const gateCommands = project.handoff.build?.gateCommands;
      const branch = project.handoff.build?.branch;
      let clean;
      try {
        clean = await release.cleanRun({ projectPath: project.handoff.project.path, worktreeDir, ...(branch ? { branch } : {}), ...(gateCommands ? { gateCommands } : {}) });
      } catch (error) {
        clean = { worktree: { ok: false, message: errorMessage(error) }, gates: { source: 'none' as const, commands: [], receipts: [] }, coverage: { kind: 'not-measured' as const, reason: 'the checks failed' } };
      }
      checks = { at: this.ports.env.now().toISOString(), clean, tasks: copyEvidence(tasks), security };
    }
    await writeReleaseChecks(store, project.id, checks);
    this.host.emit(entry.info(describeReleaseChecks(checks)));
    return checks;
  }

  /** After the stage's agent reported: the computed verdict, the files, the next step. */
  async afterReport(stage: Stage, project: OpenProject): Promise<void> {
    if (stage === 'critique') return this.afterCritique(project);
    if (stage === 'security') return this.afterSecurity(project);
    if (stage === 'verification') return this.afterVerification(project);
  }

  private path(project: OpenProject, name: string): string {
    return `  ${this.ports.projects.artifactPath(project.id, name)}`;
  }

  private async afterCritique(project: OpenProject): Promise<void> {
    const criticism = await readCriticism(this.ports.projects, project.id);
    if (criticism.kind !== 'ok') {
      this.host.emit(entry.warning(criticism.kind === 'missing' ? 'The Critic ended without reporting its scores (report_scores), so there is no verdict. Reply to ask it to score the product.' : criticism.message));
      return;
    }
    const { verdict, mean, reasons } = criticism.value;
    const next =
      verdict === 'SHIP_READY'
        ? 'Type !security to go on to the security review.'
        : 'Type !security to go on anyway, or !critic fix to turn the findings into fix tasks for the Builder.';
    this.host.emit(
      entry[verdict === 'HOLD' ? 'warning' : 'success'](
        [`Critic verdict: ${verdict} (mean ${formatMean(mean)}), computed from the scores:`, ...reasons.map((r) => `  • ${r}`), 'Files:', this.path(project, CRITICISM_FILE), this.path(project, CRITICISM_JSON_FILE), next].join('\n'),
      ),
    );
    await this.host.milestone('critiqued', `critic verdict ${verdict}`);
  }

  private async afterSecurity(project: OpenProject): Promise<void> {
    const sast = await readSastFindings(this.ports.projects, project.id);
    if (!sast.ok || !sast.exists) {
      this.host.emit(entry.warning(!sast.ok ? sast.message : 'Security ended without reporting its findings (report_security_findings), so there is no security report. Reply to ask it to report.'));
      return;
    }
    const blocking = await releaseBlocking(this.ports);
    const gate = releaseGate(sast.findings, blocking.severities);
    const open = sast.findings.filter((f) => f.status !== 'resolved');
    const lines = [`Security review: ${countBySeverity(open)}. Release gate: ${gate.kind === 'pass' ? 'PASS' : 'REFUSED'} — ${gate.reason}`];
    if (blocking.problem) lines.push(`Note: ${blocking.problem}.`);
    lines.push('Files:', this.path(project, SECURITY_REPORT_FILE), this.path(project, SAST_FILE));
    if (gate.kind === 'pass') {
      lines.push('Type !verify for the release check, or !security fix to turn the open findings into fix tasks.');
      this.host.emit(entry.success(lines.join('\n')));
      await this.host.milestone('secured', 'security review passed');
      return;
    }
    lines.push(`!verify stays shut until each is dealt with: !security fix turns them into fix tasks, or !security accept <id> <reason> accepts one in writing (e.g. !security accept ${gate.blocking[0]!.id} <why>).`);
    this.host.emit(entry.warning(lines.join('\n')));
  }

  private async afterVerification(project: OpenProject): Promise<void> {
    const release = await readReleaseFile(this.ports.projects, project.id);
    if (release.kind !== 'ok') {
      this.host.emit(entry.warning(release.kind === 'missing' ? 'The Verifier ended without its report (report_qa), so there is no release verdict. Reply to ask it to report.' : release.message));
      return;
    }
    const { verdict, reasons, checked } = release.value;
    if (verdict === 'SHIP') {
      const basis = checked ? ['Release verdict: SHIP, computed from what was checked:', ...checked.map((c) => `  • ${c}`)] : ['Release verdict: SHIP — see RELEASE.md for what was checked.'];
      this.host.emit(entry.success([...basis, 'File:', this.path(project, RELEASE_FILE), 'The project is shipped. To fix a bug or make a small change, just describe it: Maintenance (agent 7) turns it into tasks.'].join('\n')));
      // Shipped once, the milestone stays; a later SHIP is still recorded as the latest release check.
      if (project.handoff.milestone === 'shipped') await this.host.recorded(releaseVerdictLabel('SHIP'));
      else await this.host.milestone('shipped', releaseVerdictLabel('SHIP'));
      return;
    }
    await this.host.recorded(releaseVerdictLabel('HOLD'));
    this.host.emit(
      entry.warning(
        [`Release verdict: HOLD, computed from:`, ...reasons.map((r) => `  • ${r}`), 'File:', this.path(project, RELEASE_FILE), `Fix what holds it (commit the fix${project.handoff.build?.branch ? ` on ${project.handoff.build.branch}: the checks run on a clean checkout of its tip` : ': the checks run on a clean checkout of HEAD'}), then type !verify to verify again; !critic fix and !security fix turn findings into tasks.`].join('\n'),
      ),
    );
  }
}
