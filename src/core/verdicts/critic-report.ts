import {
  CRITIC_RULE_TEXT,
  DIMENSION_IDS,
  formatMean,
  type CriticEvidence,
  type CriticVerdict,
  type CriticVerdictKind,
  type DimensionId,
  type ReportScoresInput,
} from './critic.js';
import { inlineCode, oneLine, table } from './markdown.js';

/**
 * CRITICISM.md and its JSON twin, both from the validated `report_scores` input and the
 * verdict computed by `criticVerdict`. The Markdown is for the person at the gate; the JSON
 * carries the same content for the Verifier and for tools.
 */

/** What the renderers need. `dimensionNames` come from rules/critic-dimensions.md when loaded. */
export interface CriticismInput {
  readonly report: ReportScoresInput;
  readonly verdict: CriticVerdict;
  readonly dimensionNames?: Readonly<Partial<Record<DimensionId, string>>>;
}

/** The JSON twin of CRITICISM.md. */
export interface CriticismJson {
  readonly verdict: CriticVerdictKind;
  readonly mean: number | null;
  readonly applicable: number;
  readonly not_applicable: readonly DimensionId[];
  readonly reasons: readonly string[];
  readonly rule: string;
  readonly scores: readonly {
    readonly id: DimensionId;
    readonly name?: string;
    readonly score: number | 'N/A';
    readonly reason: string;
    readonly evidence: readonly CriticEvidence[];
    readonly na_reason?: string;
    readonly improvement?: string;
  }[];
  readonly findings: ReportScoresInput['findings'];
  readonly recommendations: readonly string[];
}

/** `src/app.ts:12` or `ran `npm test``, as one readable item. */
export function formatCriticEvidence(evidence: CriticEvidence): string {
  return 'ran' in evidence ? `ran ${inlineCode(evidence.ran)}` : inlineCode(`${evidence.file}:${evidence.line}`);
}

function dimensionLabel(id: DimensionId, names: CriticismInput['dimensionNames']): string {
  const name = names?.[id];
  return name === undefined ? id : `${id} ${name}`;
}

/** Renders CRITICISM.md: scorecard, findings, recommendations, and the verdict with the rule applied. */
export function renderCriticismMarkdown(input: CriticismInput): string {
  const { report, verdict, dimensionNames } = input;
  const rows = DIMENSION_IDS.map((id) => {
    const entry = report.scores[id];
    const reason = entry.score === 'N/A' ? `${entry.reason} (N/A: ${entry.na_reason ?? ''})` : entry.reason;
    const toRaise = entry.improvement === undefined ? '' : entry.improvement;
    return [
      dimensionLabel(id, dimensionNames),
      String(entry.score),
      reason,
      entry.evidence.map(formatCriticEvidence).join('; '),
      toRaise,
    ];
  });

  const lines: string[] = [
    '# Criticism',
    '',
    `Verdict: **${verdict.verdict}** (mean ${formatMean(verdict.mean)} over ${verdict.applicable} applicable dimension${verdict.applicable === 1 ? '' : 's'}).`,
    '',
    '## Scorecard',
    '',
    table(['Dimension', 'Score', 'Reason', 'Evidence', 'To raise it'], rows),
    '',
    '## Findings',
    '',
  ];

  if (report.findings.length === 0) lines.push('No findings.');
  report.findings.forEach((finding, index) => {
    const dimension = finding.dimension === undefined ? '' : ` (${dimensionLabel(finding.dimension, dimensionNames)})`;
    lines.push(`${index + 1}. **${oneLine(finding.title)}**${dimension}: ${oneLine(finding.detail)}`);
    lines.push(`   Evidence: ${finding.evidence.map(formatCriticEvidence).join('; ')}`);
  });

  lines.push('', '## Recommendations', '');
  if (report.recommendations.length === 0) lines.push('None.');
  report.recommendations.forEach((recommendation, index) => lines.push(`${index + 1}. ${oneLine(recommendation)}`));

  lines.push('', '## Verdict', '', `**${verdict.verdict}**`, '', `Rule: ${CRITIC_RULE_TEXT}`, '', 'Applied:');
  for (const reason of verdict.reasons) lines.push(`- ${reason}`);
  lines.push('', 'The verdict is computed from the scores, not chosen by the Critic. It is advice: the person decides whether to open the next gate.');
  return `${lines.join('\n')}\n`;
}

/** The JSON twin: the same scores, findings, recommendations and verdict as data. */
export function criticismJson(input: CriticismInput): CriticismJson {
  const { report, verdict, dimensionNames } = input;
  return {
    verdict: verdict.verdict,
    mean: verdict.mean,
    applicable: verdict.applicable,
    not_applicable: verdict.notApplicable,
    reasons: verdict.reasons,
    rule: CRITIC_RULE_TEXT,
    scores: DIMENSION_IDS.map((id) => {
      const entry = report.scores[id];
      const name = dimensionNames?.[id];
      return {
        id,
        ...(name === undefined ? {} : { name }),
        score: entry.score,
        reason: entry.reason,
        evidence: entry.evidence,
        ...(entry.na_reason === undefined ? {} : { na_reason: entry.na_reason }),
        ...(entry.improvement === undefined ? {} : { improvement: entry.improvement }),
      };
    }),
    findings: report.findings,
    recommendations: report.recommendations,
  };
}

/** Every file:line the report cites, labelled for error messages, for `checkCitations`. */
export function criticCitations(report: ReportScoresInput): { file: string; line: number; label: string }[] {
  const citations: { file: string; line: number; label: string }[] = [];
  for (const id of DIMENSION_IDS) {
    report.scores[id].evidence.forEach((evidence, index) => {
      if ('file' in evidence) citations.push({ file: evidence.file, line: evidence.line, label: `scores.${id}.evidence[${index}]` });
    });
  }
  report.findings.forEach((finding, findingIndex) => {
    finding.evidence.forEach((evidence, index) => {
      if ('file' in evidence) {
        citations.push({ file: evidence.file, line: evidence.line, label: `findings[${findingIndex}].evidence[${index}]` });
      }
    });
  });
  return citations;
}
