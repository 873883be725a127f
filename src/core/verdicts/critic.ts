import { z } from 'zod';

/**
 * The Critic's scorecard: the `report_scores` tool input and the verdict computed from it.
 * The model gives the scores; the verdict is never the model's, it follows from the rule
 * below (the rule lives here rather than in rules/critic-dimensions.md so that prose and
 * data cannot drift apart from the code that applies it).
 */

export const DIMENSION_IDS = ['D1', 'D2', 'D3', 'D4', 'D5', 'D6', 'D7', 'D8', 'D9', 'D10', 'D11', 'D12'] as const;
export type DimensionId = (typeof DIMENSION_IDS)[number];

const text = z.string().trim().min(1);

/** Where a claim comes from: a line of the project, or a command the Critic ran. */
export const criticEvidenceSchema = z.union([
  z.object({ file: text, line: z.number().int().min(1) }).strict(),
  z.object({ ran: text }).strict(),
]);
export type CriticEvidence = z.output<typeof criticEvidenceSchema>;

/** One dimension's score. N/A needs `na_reason`; a number needs evidence, and below 5 the change that would raise it. */
export const dimensionScoreSchema = z
  .object({
    score: z.union([z.number().int().min(1).max(5), z.literal('N/A')]),
    reason: text,
    evidence: z.array(criticEvidenceSchema),
    na_reason: text.optional(),
    improvement: text.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.score === 'N/A') {
      if (value.na_reason === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['na_reason'],
          message: 'N/A needs `na_reason`: the build target, or a quoted line of feature-spec.md that puts the dimension out of scope',
        });
      }
      return;
    }
    if (value.evidence.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['evidence'], message: 'a score needs at least one evidence item: {file, line} or {ran}' });
    }
    if (value.na_reason !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['na_reason'], message: 'only an N/A score takes `na_reason`; remove it or score N/A' });
    }
    if (value.score < 5 && value.improvement === undefined) {
      ctx.addIssue({ code: 'custom', path: ['improvement'], message: 'a score below 5 needs `improvement`: the change that would raise it' });
    }
  });
export type DimensionScore = z.output<typeof dimensionScoreSchema>;

/** All twelve dimensions, each exactly once (an object, so a missing or repeated id cannot pass). */
export const criticScoresSchema = z
  .object({
    D1: dimensionScoreSchema,
    D2: dimensionScoreSchema,
    D3: dimensionScoreSchema,
    D4: dimensionScoreSchema,
    D5: dimensionScoreSchema,
    D6: dimensionScoreSchema,
    D7: dimensionScoreSchema,
    D8: dimensionScoreSchema,
    D9: dimensionScoreSchema,
    D10: dimensionScoreSchema,
    D11: dimensionScoreSchema,
    D12: dimensionScoreSchema,
  })
  .strict();

/** A product finding from using the build, tied to evidence and optionally to a dimension. */
export const criticFindingSchema = z
  .object({
    title: text,
    detail: text,
    dimension: z.enum(DIMENSION_IDS).optional(),
    evidence: z.array(criticEvidenceSchema).min(1),
  })
  .strict();
export type CriticFinding = z.output<typeof criticFindingSchema>;

/** Input of the Critic's `report_scores` tool. */
export const reportScoresInputSchema = z
  .object({
    scores: criticScoresSchema,
    findings: z.array(criticFindingSchema),
    recommendations: z.array(text),
  })
  .strict();
export type ReportScoresInput = z.output<typeof reportScoresInputSchema>;

/** What the verdict needs from each dimension; the validated tool input satisfies it. */
export type CriticScores = Readonly<Record<DimensionId, { readonly score: number | 'N/A' }>>;

export type CriticVerdictKind = 'SHIP_READY' | 'CONDITIONAL' | 'HOLD';

/** The rule, as numbers the renderer and tests can quote. */
export const CRITIC_RULE = {
  /** Any applicable dimension at this score holds the release, whatever the mean. */
  holdAt: 1,
  shipReadyMean: 4,
  /** SHIP_READY also needs every applicable dimension above this score. */
  shipReadyAbove: 2,
  conditionalMean: 3,
} as const;

export const CRITIC_RULE_TEXT =
  'Any dimension at 1 → HOLD. Otherwise: mean of the applicable dimensions ≥ 4 with none at 2 or below → SHIP_READY; ' +
  'mean ≥ 3 → CONDITIONAL; below 3 → HOLD. N/A dimensions are left out of the mean; with none applicable → HOLD.';

/** The computed verdict. `mean` is null when no dimension is applicable. */
export interface CriticVerdict {
  readonly verdict: CriticVerdictKind;
  readonly mean: number | null;
  /** How many dimensions were scored (not N/A). */
  readonly applicable: number;
  readonly notApplicable: readonly DimensionId[];
  readonly reasons: readonly string[];
}

/** The rule on a summary alone; `criticVerdict` feeds it exact means. */
export function ruleVerdict(summary: { readonly mean: number; readonly lowest: number }): CriticVerdictKind {
  if (summary.lowest <= CRITIC_RULE.holdAt) return 'HOLD';
  if (summary.mean >= CRITIC_RULE.shipReadyMean && summary.lowest > CRITIC_RULE.shipReadyAbove) return 'SHIP_READY';
  if (summary.mean >= CRITIC_RULE.conditionalMean) return 'CONDITIONAL';
  return 'HOLD';
}

/** Two decimals, enough to tell 3.92 from 4 (means of at most 12 integers never round across a threshold). */
export function formatMean(mean: number | null): string {
  return mean === null ? 'n/a' : mean.toFixed(2);
}

/** Turns the twelve scores into the verdict, with the reasons a person can check by hand. */
export function criticVerdict(scores: CriticScores): CriticVerdict {
  const scored: { id: DimensionId; score: number }[] = [];
  const notApplicable: DimensionId[] = [];
  for (const id of DIMENSION_IDS) {
    const score = scores[id].score;
    if (score === 'N/A') notApplicable.push(id);
    else scored.push({ id, score });
  }
  const reasons: string[] = [];
  if (notApplicable.length > 0) reasons.push(`N/A, left out of the mean: ${notApplicable.join(', ')}`);
  if (scored.length === 0) {
    reasons.push('every dimension is N/A: nothing was scored, and a verdict cannot rest on no evidence → HOLD');
    return { verdict: 'HOLD', mean: null, applicable: 0, notApplicable, reasons };
  }

  const sum = scored.reduce((total, entry) => total + entry.score, 0);
  const mean = sum / scored.length;
  const lowest = Math.min(...scored.map((entry) => entry.score));
  const verdict = ruleVerdict({ mean, lowest });
  const listAt = (test: (score: number) => boolean): string =>
    scored
      .filter((entry) => test(entry.score))
      .map((entry) => `${entry.id}=${entry.score}`)
      .join(', ');
  reasons.push(`mean ${formatMean(mean)} over ${scored.length} applicable dimension${scored.length === 1 ? '' : 's'}`);

  if (lowest <= CRITIC_RULE.holdAt) {
    reasons.push(`${listAt((s) => s <= CRITIC_RULE.holdAt)} at 1: any dimension at 1 → HOLD, whatever the mean`);
  } else if (verdict === 'SHIP_READY') {
    reasons.push('mean ≥ 4 and no dimension at 2 or below → SHIP_READY');
  } else if (verdict === 'CONDITIONAL') {
    if (mean < CRITIC_RULE.shipReadyMean) reasons.push(`mean ${formatMean(mean)} is below 4, so not SHIP_READY`);
    if (lowest <= CRITIC_RULE.shipReadyAbove) {
      reasons.push(`${listAt((s) => s <= CRITIC_RULE.shipReadyAbove)} at 2 or below, so not SHIP_READY`);
    }
    reasons.push('mean ≥ 3 → CONDITIONAL');
  } else {
    reasons.push(`mean ${formatMean(mean)} is below 3 → HOLD`);
  }
  return { verdict, mean, applicable: scored.length, notApplicable, reasons };
}
