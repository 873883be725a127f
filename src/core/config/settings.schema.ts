import { z } from 'zod';

/** config/settings.json: the person's choices for models, money and parallelism. */
export const settingsSchema = z
  .object({
    /** One model for every agent, unless `agent_models` names one for that agent. */
    model: z.string().min(1).optional(),
    /** Per-agent models, keyed by agent name (discovery, planner, builder, ...). */
    agent_models: z.record(z.string(), z.string().min(1)).default({}),
    max_tokens: z.number().int().positive().max(128_000).default(8192),
    /** The session budget in USD; null means no cap (the ledger still counts). */
    budget_usd: z.number().positive().nullable().default(null),
    max_workers: z.number().int().min(1).max(16).default(2),
    /** Line coverage (percent) the Verifier's clean run must reach; below it is a HOLD reason. */
    coverage_threshold: z.number().min(0).max(100).default(80),
    /** Wall-clock limit of one Builder task before the patrol stops it as STALLED. */
    task_time_limit_minutes: z.number().positive().max(24 * 60).default(30),
    /** How long one gate command (lint, test, ...) may run before its receipt says it timed out. */
    gate_timeout_seconds: z.number().int().positive().max(6 * 3600).default(600),
    retry: z
      .object({
        max_attempts: z.number().int().min(1).max(10).default(5),
        base_delay_ms: z.number().int().min(0).default(1000),
        max_delay_ms: z.number().int().min(0).default(30_000),
      })
      .strict()
      .default({ max_attempts: 5, base_delay_ms: 1000, max_delay_ms: 30_000 }),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

/**
 * Which model an agent uses: CODESLEUTH_MODEL overrides everything, then the agent's entry in
 * settings, then the settings-wide model, then the agent file's own `model`.
 */
export function resolveModel(agentName: string, agentFileModel: string, settings: Settings, envModel: string | undefined): string {
  const fromEnv = envModel?.trim();
  if (fromEnv) return fromEnv;
  return settings.agent_models[agentName] ?? settings.model ?? agentFileModel;
}
