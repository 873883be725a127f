import { DIMENSION_IDS, type DimensionScore, type ReportScoresInput } from '../../../src/core/verdicts/critic.js';

/** A valid score entry for `score` (N/A with a reason, below 5 with an improvement). */
export function entry(score: number | 'N/A'): DimensionScore {
  if (score === 'N/A') return { score, reason: 'desktop-only target', evidence: [], na_reason: 'build target is linux' };
  return {
    score,
    reason: `scored ${score}`,
    evidence: [{ file: 'src/app.ts', line: 3 }, { ran: 'npm start' }],
    ...(score < 5 ? { improvement: 'show a hint on the first screen' } : {}),
  };
}

/** A full `report_scores` input from twelve scores in D1..D12 order. */
export function report(scores: readonly (number | 'N/A')[], extra: Partial<ReportScoresInput> = {}): ReportScoresInput {
  if (scores.length !== 12) throw new Error(`need 12 scores, got ${scores.length}`);
  const entries = Object.fromEntries(DIMENSION_IDS.map((id, index) => [id, entry(scores[index] ?? 'N/A')]));
  return { scores: entries as ReportScoresInput['scores'], findings: [], recommendations: [], ...extra };
}
