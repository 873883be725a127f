import { z } from 'zod';

/**
 * Where a registered project stands, as config/context.json records it: the pipeline stage it
 * is in, or the milestone it reached (built, critiqued, secured, shipped).
 */
export const REGISTRY_STAGES = [
  'discovery',
  'planning',
  'building',
  'critique',
  'security',
  'verification',
  'built',
  'critiqued',
  'secured',
  'shipped',
  'maintenance',
  'paused',
] as const;

export type RegistryStage = (typeof REGISTRY_STAGES)[number];

export const registeredProjectSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a lowercase id made of letters, digits and dashes'),
    name: z.string().min(1),
    path: z.string().min(1),
    stage: z.enum(REGISTRY_STAGES),
    last_active_agent: z.string().min(1),
    updated: z.string().min(1),
  })
  .strict();

export type RegisteredProject = z.infer<typeof registeredProjectSchema>;

export const contextBackendsSchema = z
  .object({
    coordination: z.string(),
    semantic_search: z.string(),
    agent_memory: z.string(),
    external_registry: z.string(),
  })
  .strict();

/** config/context.json: written by SETUP.sh, then kept up to date by the Orchestrator. */
export const contextFileSchema = z
  .object({
    _setup_complete: z.boolean(),
    registered_projects: z.array(registeredProjectSchema).default([]),
    context_backends: contextBackendsSchema.default({
      coordination: 'files (HANDOFF.json)',
      semantic_search: 'off',
      agent_memory: 'files (artifacts/)',
      external_registry: 'off',
    }),
    design_contract: z
      .object({ status: z.enum(['inactive', 'active']), reason: z.string().optional() })
      .strict()
      .default({ status: 'inactive' }),
  })
  .strict();

export type ContextFile = z.infer<typeof contextFileSchema>;
