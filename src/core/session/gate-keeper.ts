import type { Approval } from '../handoff/handoff.schema.js';
import { approvedArtifacts, describeStale, earlierGates, latestApprovals, staleApprovals, type StaleApproval } from '../pipeline/approvals.js';
import { GATE_SPECS, checkGate, type Gate } from '../pipeline/gates.js';
import { STAGE_INFO, agentLabel, type Stage } from '../pipeline/stages.js';
import { forecast, renderForecast } from '../task-graph/forecast.js';
import { parseTaskGraph } from '../task-graph/parse-task-graph.js';
import { entry, type EntryInput } from '../transcript.js';
import type { OpenProject } from './open-project.js';
import type { SessionPorts } from './ports.js';

/** What the gate keeper needs from the session. */
export interface GateKeeperHost {
  emit(input: EntryInput): void;
  /** Asks the person to confirm the build forecast; `yes` comes back as passGate(gate, true). */
  askToConfirmBuild(): void;
  /** The project moved: mirror it into the registry, refresh the status, start the next agent. */
  moved(project: OpenProject, to: Stage): Promise<void>;
}

/**
 * The gates as the person meets them: approvals bound to the bytes they approved, stale ones
 * found before any later gate passes, re-approval in a later stage, and the build forecast.
 */
export class GateKeeper {
  constructor(
    private readonly ports: SessionPorts,
    private readonly host: GateKeeperHost,
  ) {}

  /** Approvals whose artifacts changed since they were given (for !status and the gates). */
  async stale(project: OpenProject): Promise<StaleApproval[]> {
    const current = new Map<string, string | undefined>();
    for (const name of approvedArtifacts(project.handoff.approvals)) {
      const read = await this.ports.projects.readArtifact(project.id, name);
      current.set(name, read.kind === 'ok' ? read.sha256 : undefined);
    }
    return staleApprovals(project.handoff.approvals, current);
  }

  /** A gate command: pass the gate from its stage, or re-approve it from a later one. */
  async pass(project: OpenProject, gate: Gate, confirmed = false): Promise<void> {
    const spec = GATE_SPECS[gate];
    if (project.position().stage !== spec.from) return this.reapprove(project, gate);

    const stale = (await this.stale(project)).filter((s) => earlierGates(gate).includes(s.gate));
    if (stale.length > 0) {
      this.host.emit(entry.error(`${spec.command} refused: an approval it builds on no longer holds.\n${stale.map((s) => `• ${describeStale(s)}`).join('\n')}`));
      return;
    }
    const evidence = await project.gatherEvidence(gate);
    const build = spec.needsFinishedBuild ? await project.gatherBuildEvidence() : undefined;
    const check = checkGate(gate, evidence, build);
    if (check.open && gate === 'build' && !confirmed) {
      await this.showForecast(project);
      return;
    }
    const approval = this.approval(gate, evidence);
    const outcome = await project.send({ type: 'GATE', gate, evidence, ...(build ? { build } : {}) }, spec.command, approval);
    if (!outcome.moved) {
      const reasons = check.open ? ['the pipeline is not in a stage this gate leaves'] : check.refusals.map((r) => `• ${r.reason} — ${r.remedy}.`);
      this.host.emit(entry.error(`${spec.command} refused: the ${STAGE_INFO[spec.to].label} stage needs what ${STAGE_INFO[spec.from].label} produces.\n${reasons.join('\n')}`));
      return;
    }
    this.host.emit(
      entry.success(
        `${spec.command} passed: ${STAGE_INFO[outcome.from.stage].label} → ${STAGE_INFO[outcome.to.stage].label}. HANDOFF.json is now v${project.handoff.version}; ${agentLabel(outcome.to.stage)} is active.`,
      ),
    );
    await this.host.moved(project, outcome.to.stage);
  }

  private approval(gate: Gate, evidence: Awaited<ReturnType<OpenProject['gatherEvidence']>>): Approval {
    return {
      gate,
      at: this.ports.env.now().toISOString(),
      artifacts: evidence.flatMap((e) => (e.status === 'valid' ? [{ name: e.name, sha256: e.sha256 }] : [])),
    };
  }

  /** A gate typed after its stage: records a fresh approval when its artifacts changed. */
  private async reapprove(project: OpenProject, gate: Gate): Promise<void> {
    const spec = GATE_SPECS[gate];
    const evidence = await project.gatherEvidence(gate);
    const check = checkGate(gate, evidence, spec.needsFinishedBuild ? await project.gatherBuildEvidence() : undefined);
    if (!check.open) {
      this.host.emit(entry.error(`${spec.command} cannot re-approve:\n${check.refusals.map((r) => `• ${r.reason}${r.artifact === 'HANDOFF.json' ? ` — ${r.remedy}` : ''}`).join('\n')}`));
      return;
    }
    const approval = this.approval(gate, evidence);
    const latest = latestApprovals(project.handoff.approvals).get(gate);
    const unchanged =
      latest !== undefined &&
      latest.artifacts.length === approval.artifacts.length &&
      latest.artifacts.every((f) => approval.artifacts.some((a) => a.name === f.name && a.sha256 === f.sha256));
    if (unchanged) {
      this.host.emit(entry.info(`${spec.command}: ${spec.artifacts.join(', ')} ${spec.artifacts.length > 1 ? 'are' : 'is'} exactly as approved; nothing to re-approve.`));
      return;
    }
    await project.recordApproval(approval, `re-approve ${spec.command}`);
    this.host.emit(entry.success(`Re-approved ${spec.artifacts.join(', ')} with ${spec.command}; HANDOFF.json is now v${project.handoff.version}.`));
  }

  private async showForecast(project: OpenProject): Promise<void> {
    const read = await this.ports.projects.readArtifact(project.id, 'TASK-GRAPH.md');
    const parsed = read.kind === 'ok' ? parseTaskGraph(read.text) : undefined;
    if (!parsed?.ok) {
      this.host.emit(entry.error('!build refused: TASK-GRAPH.md could not be read for the forecast. Type !status to see why.'));
      return;
    }
    const price = (await this.ports.agents?.modelPrice('building')) ?? undefined;
    const text = price
      ? `${renderForecast(forecast(parsed.graph, price), price, this.ports.budget?.ledger.snapshot())}\nBuilder model: ${price.model}.`
      : `${parsed.graph.tasks.length} tasks to build. (No price is known for the Builder's model, so there is no cost estimate.)`;
    this.host.emit(entry.info(`Build forecast\n${text}`));
    this.host.askToConfirmBuild();
  }
}
