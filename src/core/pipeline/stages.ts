/** The pipeline's working stages, in order. `paused` is a machine state, not a stage. */
export const STAGES = [
  'discovery',
  'planning',
  'building',
  'critique',
  'security',
  'verification',
  'maintenance',
] as const;

export type Stage = (typeof STAGES)[number];

/** What a person reads for a stage, and the agent that works in it. */
export interface StageInfo {
  readonly stage: Stage;
  readonly label: string;
  readonly agentId: number;
  readonly agentName: string;
  /** The key stored as `last_active_agent` in config/context.json. */
  readonly agentKey: string;
}

export const STAGE_INFO: Readonly<Record<Stage, StageInfo>> = {
  discovery: { stage: 'discovery', label: 'Discovery', agentId: 1, agentName: 'Discovery', agentKey: 'discovery' },
  planning: { stage: 'planning', label: 'Planning', agentId: 2, agentName: 'Planner', agentKey: 'planner' },
  building: { stage: 'building', label: 'Builder', agentId: 3, agentName: 'Builder', agentKey: 'builder' },
  critique: { stage: 'critique', label: 'Critic', agentId: 4, agentName: 'Critic', agentKey: 'critic' },
  security: { stage: 'security', label: 'Security', agentId: 5, agentName: 'Security', agentKey: 'security' },
  verification: { stage: 'verification', label: 'Verifier', agentId: 6, agentName: 'Verifier', agentKey: 'verifier' },
  maintenance: { stage: 'maintenance', label: 'Maintenance', agentId: 7, agentName: 'Maintenance', agentKey: 'maintenance' },
};

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

/** "agent 3 (Builder)" — how the transcript names the agent of a stage. */
export function agentLabel(stage: Stage): string {
  const info = STAGE_INFO[stage];
  return `agent ${info.agentId} (${info.agentName})`;
}
