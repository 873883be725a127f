import { artifactSpec, type ArtifactEvidence } from './artifacts.js';
import { unfinishedBuild, type BuildEvidence } from './build-evidence.js';
import { STAGE_INFO, type Stage } from './stages.js';

/** The five human gates, in pipeline order. */
export const GATES = ['plan', 'build', 'critic', 'security', 'verify'] as const;
export type Gate = (typeof GATES)[number];

/** A gate moves the pipeline from one stage to the next once its artifacts validate. */
export interface GateSpec {
  readonly gate: Gate;
  readonly command: `!${Gate}`;
  readonly from: Stage;
  readonly to: Stage;
  readonly artifacts: readonly string[];
  /** Checked and approved when present (SCHEMA.md exists only when the product stores data). */
  readonly optional?: readonly string[];
  /** The gate also needs HANDOFF.json to say the build finished (BuildEvidence): a report alone is not a build. */
  readonly needsFinishedBuild?: boolean;
}

export const GATE_SPECS: Readonly<Record<Gate, GateSpec>> = {
  plan: { gate: 'plan', command: '!plan', from: 'discovery', to: 'planning', artifacts: ['feature-spec.md'] },
  build: {
    gate: 'build',
    command: '!build',
    from: 'planning',
    to: 'building',
    artifacts: ['TDD.md', 'INTERFACES.md', 'TASK-GRAPH.md'],
    optional: ['SCHEMA.md'],
  },
  critic: { gate: 'critic', command: '!critic', from: 'building', to: 'critique', artifacts: ['BUILD_REPORT.md'], needsFinishedBuild: true },
  security: { gate: 'security', command: '!security', from: 'critique', to: 'security', artifacts: ['CRITICISM.md'] },
  verify: { gate: 'verify', command: '!verify', from: 'security', to: 'verification', artifacts: ['SECURITY_REPORT.md', 'SAST_FINDINGS.jsonl'] },
};

/** Why a gate stays shut: one line per missing or invalid artifact, naming who produces it. */
export interface GateRefusal {
  readonly artifact: string;
  readonly reason: string;
  readonly remedy: string;
}

export type GateCheck = { readonly open: true } | { readonly open: false; readonly refusals: readonly GateRefusal[] };

/**
 * The one decision behind every gate guard, and the text of every refusal: the guard and the
 * message can never disagree because both come from here.
 */
export function checkGate(gate: Gate, evidence: readonly ArtifactEvidence[], build?: BuildEvidence): GateCheck {
  const refusals: GateRefusal[] = [];
  const unfinished = GATE_SPECS[gate].needsFinishedBuild ? unfinishedBuild(build) : undefined;
  if (unfinished) refusals.push({ artifact: 'HANDOFF.json', ...unfinished });
  const optional = new Set(GATE_SPECS[gate].optional ?? []);
  for (const name of gateArtifacts(gate)) {
    const spec = artifactSpec(name);
    const producer = STAGE_INFO[spec.producedIn];
    const remedy = `${spec.description} is written by agent ${producer.agentId} (${producer.agentName}) in the ${producer.label} stage`;
    const found = evidence.find((e) => e.name === name);
    if (optional.has(name) && (!found || found.status === 'missing')) continue;
    if (!found || found.status === 'missing') {
      refusals.push({ artifact: name, reason: `${name} does not exist yet`, remedy });
    } else if (found.status === 'invalid') {
      const detail = found.problems
        .map((p) => (p.line !== undefined ? `line ${p.line}: ${p.message}` : p.message))
        .join('; ');
      const blocksOnly = found.problems.every((p) => p.blocks === true);
      refusals.push(
        blocksOnly
          ? { artifact: name, reason: `${name} holds what ${GATE_SPECS[gate].command} may not pass: ${detail}`, remedy: `deal with each as it says, then type ${GATE_SPECS[gate].command} again` }
          : { artifact: name, reason: `${name} does not validate: ${detail}`, remedy },
      );
    }
  }
  return refusals.length === 0 ? { open: true } : { open: false, refusals };
}

/** Every artifact a gate reads: the required ones, then the optional ones. */
export function gateArtifacts(gate: Gate): readonly string[] {
  return [...GATE_SPECS[gate].artifacts, ...(GATE_SPECS[gate].optional ?? [])];
}

export function gateForStage(stage: Stage): GateSpec | undefined {
  return Object.values(GATE_SPECS).find((spec) => spec.from === stage);
}
