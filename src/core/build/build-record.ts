import { z } from 'zod';
import { gateCommandsSchema } from './gate-commands.js';

/*
 * What HANDOFF.json keeps of a build: one record per task the Builder touched, the person's
 * decisions queue, and the build's settings. The checkpoint of a DONE task is its commit SHA;
 * a resumed build trusts these records, never the model's memory.
 */

/** Where a task stands in the build. A task without a record is PENDING; PENDING in a record means queued again (retried, or its question answered). */
export const BUILD_TASK_STATUSES = ['PENDING', 'IN-PROGRESS', 'DONE', 'BLOCKED', 'NEEDS_CONTEXT', 'STALLED', 'SKIPPED'] as const;
export type BuildTaskStatus = (typeof BUILD_TASK_STATUSES)[number];

const isoTime = z.string().min(1);
const sha = z.string().regex(/^[0-9a-f]{7,64}$/, 'a commit SHA');

/** A receipt as HANDOFF keeps it: what ran and how it ended (the full tail is in BUILD_REPORT.md). */
export const receiptRecordSchema = z.strictObject({
  gate: z.string().min(1),
  command: z.string().min(1),
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean(),
  durationMs: z.number().min(0),
  outputSha256: z.string().min(1),
  outputTail: z.string(),
  at: isoTime,
});

export const taskRecordSchema = z.strictObject({
  id: z.string().regex(/^TASK-\d{3,}$/),
  status: z.enum(BUILD_TASK_STATUSES),
  /** How many times the task was started (a retry or a resume adds one). */
  attempts: z.number().int().min(0),
  startedAt: isoTime.optional(),
  finishedAt: isoTime.optional(),
  /**
   * Set when the task's latest run started in the project directory itself (one worker, or
   * the first commit of a new repository): `base` is the commit it started from (null: none
   * yet). With IN-PROGRESS and no `finishedAt`, the process died while the task worked in
   * place, so what is uncommitted in the project is what it had written.
   */
  inPlace: z.strictObject({ base: sha.nullable() }).optional(),
  /** The task's commit; for a task built in a worktree, `landedSha` is the merge on the working branch. */
  sha: sha.optional(),
  landedSha: sha.optional(),
  summary: z.string().optional(),
  concerns: z.array(z.string()).default([]),
  /** BLOCKED / STALLED: why, in words a person can act on. */
  reason: z.string().optional(),
  /** BLOCKED because its review ran out of rounds: the person's call (!retry or !skip). Cleared when the task starts again. */
  escalated: z.literal(true).optional(),
  receipts: z.array(receiptRecordSchema).default([]),
  changedFiles: z.array(z.string()).default([]),
  inputTokens: z.number().int().min(0).default(0),
  outputTokens: z.number().int().min(0).default(0),
  costUsd: z.number().min(0).default(0),
  /** Review rounds the task went through before it was DONE (or escalated). */
  reviewRounds: z.number().int().min(0).default(0),
  /** The review's outcome in one line, e.g. `Review: spec compliance passed in round 1; code quality passed in round 2.` */
  review: z.string().optional(),
  /** Gate runs of the task that failed, over all its attempts: each went back to the Builder with its output until the repair limit. Absent: none. */
  failedGateRuns: z.number().int().min(0).optional(),
});
export type TaskRecord = z.output<typeof taskRecordSchema>;

/** A question the Builder could not answer alone; the person answers with `!decide <id> <answer>`. */
export const decisionSchema = z.strictObject({
  id: z.string().regex(/^D-\d+$/),
  taskId: z.string().min(1),
  question: z.string().min(1),
  askedAt: isoTime,
  answer: z.string().optional(),
  answeredAt: isoTime.optional(),
});
export type Decision = z.output<typeof decisionSchema>;

export const AUTONOMY_MODES = ['per_task', 'end_only'] as const;
export type AutonomyMode = (typeof AUTONOMY_MODES)[number];

export const buildSectionSchema = z.strictObject({
  autonomy: z.enum(AUTONOMY_MODES).default('end_only'),
  /** The person's own gate commands; absent means "read them from the project each time". */
  gateCommands: gateCommandsSchema.optional(),
  /**
   * The bodies of the package.json scripts the gate commands run (`test` → `node --test`), as
   * first seen and as DONE tasks changed them since (each change is a concern on its task).
   */
  gateScripts: z.record(z.string(), z.string()).optional(),
  decisions: z.array(decisionSchema).default([]),
  /** Set when every task is DONE or skipped and BUILD_REPORT.md was written. */
  completedAt: isoTime.optional(),
  /**
   * Read, never kept: files written before it was dropped have it (always empty, as nothing
   * wrote it). A BLOCKED task the person lets go is skipped (`!skip`): its record says SKIPPED.
   */
  acceptedBlocked: z.array(z.string()).optional(),
  /** Snapshot of the person's uncommitted work taken at !build, with the exact restore commands. */
  snapshot: z.strictObject({ ref: z.string(), files: z.array(z.string()), restore: z.string() }).optional(),
  /** The branch the task commits go on: the one checked out when the build first started (or the one the person moved it to). */
  branch: z.string().min(1).optional(),
}).transform(({ acceptedBlocked: _dropped, ...section }) => section);
export type BuildSection = z.output<typeof buildSectionSchema>;

/** The milestone the registry shows once a stage's work is done (never moves backwards). */
export const MILESTONES = ['built', 'critiqued', 'secured', 'shipped'] as const;
export type Milestone = (typeof MILESTONES)[number];

/** `a` is at or past `b`. */
export function milestoneReached(current: Milestone | undefined, wanted: Milestone): boolean {
  return current !== undefined && MILESTONES.indexOf(current) >= MILESTONES.indexOf(wanted);
}

/** A fresh build section with the defaults. */
export function emptyBuildSection(): BuildSection {
  return buildSectionSchema.parse({});
}

/** Next free decision id: D-1, D-2, ... */
export function nextDecisionId(decisions: readonly Decision[]): string {
  const max = decisions.reduce((m, d) => Math.max(m, Number(d.id.slice(2))), 0);
  return `D-${max + 1}`;
}
