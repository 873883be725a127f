import { setup, type SnapshotFrom } from 'xstate';
import type { ArtifactEvidence } from './artifacts.js';
import type { BuildEvidence } from './build-evidence.js';
import { checkGate, type Gate } from './gates.js';
import { isStage, type Stage } from './stages.js';

/** Events the pipeline accepts. Only a person's command produces any of them. */
export type PipelineEvent =
  /**
   * A gate command; the evidence is what the runtime read from disk just before, and `build`
   * what HANDOFF.json says of the build (required by !critic).
   */
  | { readonly type: 'GATE'; readonly gate: Gate; readonly evidence: readonly ArtifactEvidence[]; readonly build?: BuildEvidence }
  | { readonly type: 'PAUSE' }
  | { readonly type: 'RESUME' }
  | { readonly type: 'RESET' }
  /** A project already shipped is resumed: it goes to Maintenance. */
  | { readonly type: 'ROUTE_MAINTENANCE' };

function gateTransition(gate: Gate, target: Stage) {
  return { guard: { type: 'gateOpen', params: { gate } } as const, target };
}

/**
 * The pipeline. Forward moves happen only through `GATE` events whose guard, `gateOpen`,
 * re-checks the artifacts; a refused event simply leaves the snapshot where it was.
 */
export const pipelineMachine = setup({
  types: {
    events: {} as PipelineEvent,
  },
  guards: {
    gateOpen: ({ event }, params: { gate: Gate }) =>
      event.type === 'GATE' && event.gate === params.gate && checkGate(params.gate, event.evidence, event.build).open,
  },
}).createMachine({
  id: 'pipeline',
  initial: 'active',
  states: {
    active: {
      initial: 'discovery',
      on: {
        PAUSE: 'paused',
        RESET: '.discovery',
        ROUTE_MAINTENANCE: '.maintenance',
      },
      states: {
        discovery: { on: { GATE: gateTransition('plan', 'planning') } },
        planning: { on: { GATE: gateTransition('build', 'building') } },
        building: { on: { GATE: gateTransition('critic', 'critique') } },
        critique: { on: { GATE: gateTransition('security', 'security') } },
        security: { on: { GATE: gateTransition('verify', 'verification') } },
        verification: {},
        maintenance: {},
        history: { type: 'history', history: 'shallow' },
      },
    },
    paused: {
      on: {
        RESUME: 'active.history',
        RESET: 'active.discovery',
        ROUTE_MAINTENANCE: 'active.maintenance',
      },
    },
  },
});

export type PipelineSnapshot = SnapshotFrom<typeof pipelineMachine>;

/** Where a snapshot stands: the working stage, and whether the project is paused there. */
export interface Position {
  readonly stage: Stage;
  readonly paused: boolean;
}

/**
 * Reads the stage out of a snapshot. When paused, the stage is the one the history state
 * remembers, so `!status` can say "paused in Planning".
 */
export function positionOf(snapshot: PipelineSnapshot): Position {
  const value = snapshot.value;
  if (typeof value === 'object' && 'active' in value) {
    const stage = value.active;
    if (isStage(stage)) return { stage, paused: false };
  }
  if (value === 'paused') {
    return { stage: pausedStage(snapshot), paused: true };
  }
  throw new Error(`the pipeline snapshot is in an unknown state: ${JSON.stringify(value)}`);
}

function pausedStage(snapshot: PipelineSnapshot): Stage {
  // The shallow history of `active` holds the child state that was left on PAUSE. A live
  // snapshot keeps state nodes there, a persisted one keeps `{ id }` records.
  const history = (snapshot as unknown as { historyValue?: Record<string, Array<{ key?: string; id?: string }>> })
    .historyValue;
  const node = history?.['pipeline.active.history']?.[0];
  const key = node?.key ?? node?.id?.split('.').pop();
  return isStage(key) ? key : 'discovery';
}
