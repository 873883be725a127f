import { z } from 'zod';
import { MILESTONES, buildSectionSchema, taskRecordSchema } from '../build/build-record.js';
import { GATES } from '../pipeline/gates.js';
import { STAGES } from '../pipeline/stages.js';

export const HANDOFF_SCHEMA_VERSION = 1;

const isoTime = z.string().min(1);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hex digest');

/** A gate a person passed, bound to the exact bytes of what it approved. */
export const approvalSchema = z
  .object({
    gate: z.enum(GATES),
    at: isoTime,
    artifacts: z.array(z.object({ name: z.string().min(1), sha256 }).strict()),
  })
  .strict();

export type Approval = z.infer<typeof approvalSchema>;

/** One move of the pipeline, kept for the person and for audits. */
export const historyEntrySchema = z
  .object({
    at: isoTime,
    event: z.string().min(1),
    from: z.string().min(1),
    to: z.string().min(1),
  })
  .strict();

export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const projectInfoSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    path: z.string().min(1),
    platform: z.string().min(1),
    brief: z.string().min(1),
    createdAt: isoTime,
  })
  .strict();

export type ProjectInfo = z.infer<typeof projectInfoSchema>;

/**
 * HANDOFF.json: the durable state of one project. `machine` is the persisted XState snapshot;
 * its shape belongs to XState, so it is checked when it is restored, not here.
 */
export const handoffSchema = z
  .object({
    schemaVersion: z.literal(HANDOFF_SCHEMA_VERSION),
    version: z.number().int().min(0),
    project: projectInfoSchema,
    stage: z.enum([...STAGES, 'paused']),
    machine: z.record(z.string(), z.unknown()),
    approvals: z.array(approvalSchema),
    /** One record per task the Builder has started (the plan itself is TASK-GRAPH.md). */
    tasks: z.array(taskRecordSchema),
    build: buildSectionSchema.optional(),
    /** The furthest milestone reached: built → critiqued → secured → shipped. */
    milestone: z.enum(MILESTONES).optional(),
    history: z.array(historyEntrySchema),
    updatedAt: isoTime,
  })
  .strict();

export type Handoff = z.infer<typeof handoffSchema>;
