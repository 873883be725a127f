import { createActor, type Actor } from 'xstate';
import type { RegistryStage } from '../context/context.schema.js';
import { HANDOFF_SCHEMA_VERSION, type Approval, type Handoff, type ProjectInfo } from '../handoff/handoff.schema.js';
import type { ArtifactEvidence } from '../pipeline/artifacts.js';
import { artifactSpec } from '../pipeline/artifacts.js';
import { buildEvidence, type BuildEvidence } from '../pipeline/build-evidence.js';
import { parseTaskGraph } from '../task-graph/parse-task-graph.js';
import { gateArtifacts, type Gate } from '../pipeline/gates.js';
import { pipelineMachine, positionOf, type PipelineEvent, type PipelineSnapshot, type Position } from '../pipeline/pipeline.machine.js';
import { STAGE_INFO, type Stage } from '../pipeline/stages.js';
import { milestoneReached, type Milestone } from '../build/build-record.js';
import { clearRun } from '../handoff/reset-scope.js';
import type { FieldProblem } from '../validation.js';
import type { SessionPorts } from './ports.js';
import { SAST_FILE } from '../security/security-tool.js';
import { releaseBlocking } from './release-blocking.js';

type PipelineActor = Actor<typeof pipelineMachine>;

function describe(position: Position): string {
  return position.paused ? `paused (${position.stage})` : position.stage;
}

function samePosition(a: Position, b: Position): boolean {
  return a.stage === b.stage && a.paused === b.paused;
}

/** The stage whose work each milestone finishes. */
const MILESTONE_STAGE: Readonly<Record<Milestone, Stage>> = { built: 'building', critiqued: 'critique', secured: 'security', shipped: 'verification' };

/** The stage config/context.json shows: the milestone once the current stage's work is done. */
export function registryStageOf(position: Position, milestone?: Milestone): RegistryStage {
  if (position.paused) return 'paused';
  if (milestone && MILESTONE_STAGE[milestone] === position.stage) return milestone;
  return position.stage;
}

/** The result of trying to rebuild the machine from a HANDOFF.json that passed its schema. */
export type RestoreResult = { kind: 'ok'; actor: PipelineActor } | { kind: 'invalid'; problems: FieldProblem[] };

/** Restores the machine from a persisted snapshot, refusing one that does not fit it. */
export function restoreMachine(file: string, handoff: Handoff): RestoreResult {
  let actor: PipelineActor;
  try {
    actor = createActor(pipelineMachine, { snapshot: handoff.machine as unknown as PipelineSnapshot });
    actor.start();
    const position = positionOf(actor.getSnapshot());
    const expected = position.paused ? 'paused' : position.stage;
    if (expected !== handoff.stage) {
      actor.stop();
      return {
        kind: 'invalid',
        problems: [{ file, field: 'stage', message: `says "${handoff.stage}" but the machine snapshot is at "${expected}"` }],
      };
    }
    return { kind: 'ok', actor };
  } catch (error) {
    return {
      kind: 'invalid',
      problems: [{ file, field: 'machine', message: `is not a snapshot of the pipeline machine (${error instanceof Error ? error.message : String(error)})` }],
    };
  }
}

/** A fresh HANDOFF.json for a new project, in Discovery. */
export function newHandoff(project: ProjectInfo, at: string): { handoff: Handoff; actor: PipelineActor } {
  const actor = createActor(pipelineMachine);
  actor.start();
  const handoff: Handoff = {
    schemaVersion: HANDOFF_SCHEMA_VERSION,
    version: 0,
    project,
    stage: 'discovery',
    machine: actor.getPersistedSnapshot() as unknown as Record<string, unknown>,
    approvals: [],
    tasks: [],
    history: [{ at, event: 'create', from: 'none', to: 'discovery' }],
    updatedAt: at,
  };
  return { handoff, actor };
}

/** What a transition did, for the transcript. */
export interface TransitionOutcome {
  readonly moved: boolean;
  readonly from: Position;
  readonly to: Position;
}

/**
 * One open project: the running machine, its HANDOFF.json and its lock. Every transition is
 * saved before it is reported; if the save fails the machine goes back to where it was.
 */
export class OpenProject {
  private constructor(
    private readonly ports: SessionPorts,
    private current: Handoff,
    private actor: PipelineActor,
    private readonly releaseLock: () => Promise<void>,
  ) {}

  static adopt(ports: SessionPorts, handoff: Handoff, actor: PipelineActor, release: () => Promise<void>): OpenProject {
    return new OpenProject(ports, handoff, actor, release);
  }

  get handoff(): Handoff {
    return this.current;
  }

  get id(): string {
    return this.current.project.id;
  }

  position(): Position {
    return positionOf(this.actor.getSnapshot());
  }

  /** Reads every artifact a gate needs and checks it against its spec. */
  async gatherEvidence(gate: Gate): Promise<ArtifactEvidence[]> {
    const evidence: ArtifactEvidence[] = [];
    // The security findings are judged by the blocking list of the loaded rule, read now.
    const options = gateArtifacts(gate).includes(SAST_FILE) ? { blocking: (await releaseBlocking(this.ports)).severities } : {};
    for (const name of gateArtifacts(gate)) {
      const read = await this.ports.projects.readArtifact(this.id, name);
      if (read.kind === 'missing') {
        evidence.push({ name, status: 'missing' });
        continue;
      }
      const problems = artifactSpec(name).validate(read.text, options);
      evidence.push(problems.length === 0 ? { name, status: 'valid', sha256: read.sha256 } : { name, status: 'invalid', sha256: read.sha256, problems });
    }
    return evidence;
  }

  /** What HANDOFF.json says of the build (its records against TASK-GRAPH.md), for the !critic guard. */
  async gatherBuildEvidence(): Promise<BuildEvidence> {
    const read = await this.ports.projects.readArtifact(this.id, 'TASK-GRAPH.md');
    const parsed = read.kind === 'ok' ? parseTaskGraph(read.text) : undefined;
    return buildEvidence(this.current.tasks, this.current.build?.completedAt, parsed?.ok ? parsed.graph : undefined);
  }

  /**
   * Sends an event; when the machine moves, records history (and the approval) and saves.
   * RESET also clears the run (approvals, tasks, build, milestone): the pipeline starts over.
   */
  async send(event: PipelineEvent, label: string, approval?: Approval): Promise<TransitionOutcome> {
    const before = this.actor.getSnapshot();
    const from = positionOf(before);
    this.actor.send(event);
    const to = this.position();
    const moved = !samePosition(from, to) || event.type === 'RESET';
    if (!moved) return { moved, from, to };

    const at = this.ports.env.now().toISOString();
    const base = event.type === 'RESET' ? clearRun(this.current) : this.current;
    const next: Handoff = {
      ...base,
      version: event.type === 'GATE' ? this.current.version + 1 : this.current.version,
      stage: to.paused ? 'paused' : to.stage,
      machine: this.actor.getPersistedSnapshot() as unknown as Record<string, unknown>,
      approvals: approval ? [...base.approvals, approval] : base.approvals,
      history: [...this.current.history, { at, event: label, from: describe(from), to: describe(to) }],
      updatedAt: at,
    };
    try {
      await this.ports.projects.saveHandoff(this.id, next);
    } catch (error) {
      this.actor.stop();
      this.actor = createActor(pipelineMachine, { snapshot: before });
      this.actor.start();
      throw error;
    }
    this.current = next;
    return { moved, from, to };
  }

  /** Records an approval without moving (a gate re-approved from a later stage). */
  async recordApproval(approval: Approval, label: string): Promise<void> {
    const position = this.position();
    const next: Handoff = {
      ...this.current,
      version: this.current.version + 1,
      approvals: [...this.current.approvals, approval],
      history: [...this.current.history, { at: approval.at, event: label, from: describe(position), to: describe(position) }],
      updatedAt: approval.at,
    };
    await this.ports.projects.saveHandoff(this.id, next);
    this.current = next;
  }

  /**
   * Records a fresh approval of `gate`'s artifacts as they are now, without moving: for the
   * runtime's own follow-up of something the person approved (the plan with the tasks they
   * asked for added; the build report of those tasks once built).
   */
  async renewApproval(gate: Gate, label: string): Promise<void> {
    const evidence = await this.gatherEvidence(gate);
    const artifacts = evidence.flatMap((e) => (e.status === 'valid' ? [{ name: e.name, sha256: e.sha256 }] : []));
    await this.recordApproval({ gate, at: this.ports.env.now().toISOString(), artifacts }, label);
  }

  /**
   * Saves a change to the parts of HANDOFF.json the pipeline machine does not own (task
   * records, the build section, the milestone). Atomic; the open state changes only once saved.
   */
  async update(change: (handoff: Handoff) => Handoff, label?: string): Promise<void> {
    const at = this.ports.env.now().toISOString();
    const changed = change(this.current);
    const position = describe(this.position());
    const next: Handoff = {
      ...changed,
      ...(label ? { history: [...changed.history, { at, event: label, from: position, to: position }] } : {}),
      updatedAt: at,
    };
    await this.ports.projects.saveHandoff(this.id, next);
    this.current = next;
  }

  /** Records a milestone (built, critiqued, ...) and bumps the version; never moves backwards. */
  async reachMilestone(milestone: Milestone, label: string): Promise<boolean> {
    if (milestoneReached(this.current.milestone, milestone)) return false;
    await this.update((h) => ({ ...h, milestone, version: h.version + 1 }), label);
    return true;
  }

  /** Mirrors the project's stage into config/context.json's registry. */
  async register(): Promise<void> {
    const position = this.position();
    const entry = {
      id: this.id,
      name: this.current.project.name,
      path: this.current.project.path,
      stage: registryStageOf(position, this.current.milestone),
      last_active_agent: STAGE_INFO[position.stage].agentKey,
      updated: this.ports.env.now().toISOString(),
    };
    await this.ports.config.updateContext((context) => {
      const others = context.registered_projects.filter((p) => p.id !== entry.id);
      const index = context.registered_projects.findIndex((p) => p.id === entry.id);
      const projects = [...others];
      projects.splice(index === -1 ? projects.length : index, 0, entry);
      return { ...context, registered_projects: projects };
    });
  }

  async close(): Promise<void> {
    this.actor.stop();
    await this.releaseLock();
  }
}
