import { z } from 'zod';
import { toInputJsonSchema } from '../agent/structured-tools.js';
import type { CriticDimensionsData } from '../agents/rule-schema.js';
import { errorResult, okResult, type ToolDefinition, type ToolResult } from '../tools/types.js';
import { readJsonArtifact, writeJsonArtifact, type ArtifactStore } from '../session/json-artifact.js';
import {
  DIMENSION_IDS,
  criticEvidenceSchema,
  criticFindingSchema,
  criticVerdict,
  formatMean,
  reportScoresInputSchema,
  type DimensionId,
  type ReportScoresInput,
} from './critic.js';
import { checkNotApplicable } from './critic-na.js';
import { criticCitations, criticismJson, renderCriticismMarkdown } from './critic-report.js';
import { checkCitations, describeRejectedCitations, type FileIndex } from './evidence.js';

/**
 * `report_scores`, run by the runtime the moment the Critic calls it: every cited file:line
 * is checked against the project, N/A scores against the rule, and only then is the verdict
 * computed (by `criticVerdict`, never taken from the model) and CRITICISM.md written. A
 * rejected report comes back to the model as an error result to fix and send again.
 */

export const CRITICISM_FILE = 'CRITICISM.md';
export const CRITICISM_JSON_FILE = 'CRITICISM.json';

/** What the tool needs besides its input. */
export interface CriticToolDeps {
  readonly store: ArtifactStore;
  readonly projectId: string;
  readonly fileIndex: FileIndex;
  /** The project's build target (for N/A), from HANDOFF.json. */
  readonly platform: () => Promise<string | undefined>;
  /** rules/critic-dimensions.md data, when it loaded; without it N/A is not checked. */
  readonly dimensions?: CriticDimensionsData;
}

const REPORT_SCORES_DESCRIPTION =
  'Report your scores for all twelve dimensions D1..D12 (1-5 or "N/A" with na_reason), the findings and the recommendations. ' +
  'Evidence is {file, line} (project-relative, the line must exist) or {ran: "<command>"}. The runtime checks every cited line, ' +
  'computes the verdict from the scores by rule and writes CRITICISM.md and CRITICISM.json. If it rejects the report, fix what it ' +
  'names and call report_scores again. After it is accepted, end your run with report_status.';

/** Dimension names from the rule, for the report. */
function dimensionNames(data: CriticDimensionsData | undefined): Partial<Record<DimensionId, string>> | undefined {
  if (data === undefined) return undefined;
  return Object.fromEntries(data.dimensions.map((d) => [d.id, d.name])) as Partial<Record<DimensionId, string>>;
}

/** Runs report_scores: checks, computes, writes. */
export async function recordCriticReport(report: ReportScoresInput, deps: CriticToolDeps): Promise<ToolResult> {
  const { rejected } = await checkCitations(criticCitations(report), deps.fileIndex);
  if (rejected.length > 0) return errorResult(`report_scores rejected. ${describeRejectedCitations(rejected)}`, `report_scores: ${rejected.length} cited line(s) do not exist`);

  if (deps.dimensions !== undefined) {
    const platform = await deps.platform();
    const spec = await deps.store.readArtifact(deps.projectId, 'feature-spec.md');
    const naPlatforms = Object.fromEntries(deps.dimensions.dimensions.map((d) => [d.id, d.na_platforms])) as Partial<Record<DimensionId, readonly string[]>>;
    const problems = checkNotApplicable(report.scores, { platform: platform ?? '', naPlatforms, specText: spec.kind === 'ok' ? spec.text : undefined });
    if (problems.length > 0) {
      return errorResult(
        `report_scores rejected: ${problems.length} N/A score${problems.length === 1 ? ' is' : 's are'} not allowed here:\n${problems.map((p) => `- ${p.reason}`).join('\n')}\nScore them, or quote the spec, and call report_scores again.`,
        'report_scores: N/A not allowed',
      );
    }
  }

  const verdict = criticVerdict(report.scores);
  const input = { report, verdict, ...(deps.dimensions === undefined ? {} : { dimensionNames: dimensionNames(deps.dimensions)! }) };
  await deps.store.writeArtifact(deps.projectId, CRITICISM_FILE, renderCriticismMarkdown(input));
  await writeJsonArtifact(deps.store, deps.projectId, CRITICISM_JSON_FILE, criticismJson(input));
  return okResult(
    `Accepted. The runtime computed the verdict ${verdict.verdict} (mean ${formatMean(verdict.mean)}): ${verdict.reasons.join('; ')}. ` +
      `CRITICISM.md and CRITICISM.json are saved. Do not announce a different verdict. End your run now with report_status.`,
    `verdict ${verdict.verdict}; wrote ${CRITICISM_FILE}, ${CRITICISM_JSON_FILE}`,
  );
}

/** report_scores as an immediate tool of the Critic's run. */
export function reportScoresTool(deps: CriticToolDeps): ToolDefinition<ReportScoresInput> {
  return {
    name: 'report_scores',
    description: REPORT_SCORES_DESCRIPTION,
    schema: reportScoresInputSchema,
    jsonSchema: toInputJsonSchema(reportScoresInputSchema),
    execute: (input) => recordCriticReport(input, deps),
  };
}

/** CRITICISM.json as read back: the fields the fix tasks and the session need, checked. */
export const criticismFileSchema = z.object({
  verdict: z.enum(['SHIP_READY', 'CONDITIONAL', 'HOLD']),
  mean: z.number().nullable(),
  reasons: z.array(z.string()),
  scores: z.array(
    z.object({
      id: z.enum(DIMENSION_IDS),
      name: z.string().optional(),
      score: z.union([z.number().int().min(1).max(5), z.literal('N/A')]),
      reason: z.string(),
      evidence: z.array(criticEvidenceSchema),
      improvement: z.string().optional(),
    }),
  ),
  findings: z.array(criticFindingSchema),
  recommendations: z.array(z.string()),
});
export type CriticismFile = z.output<typeof criticismFileSchema>;

/** Reads CRITICISM.json back. */
export function readCriticism(store: ArtifactStore, projectId: string) {
  return readJsonArtifact(store, projectId, CRITICISM_JSON_FILE, criticismFileSchema);
}
