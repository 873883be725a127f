import { DIMENSION_IDS, type DimensionId } from './critic.js';

/**
 * N/A is left out of the Critic's mean, so an unearned N/A would raise the verdict. The
 * rule (rules/critic-dimensions.md, "N/A") allows it only on the build targets a dimension
 * lists in `na_platforms`, or with a quoted line of feature-spec.md that puts it out of
 * scope. This checks both against what the runtime knows, not against the model's word.
 */

export interface NotApplicableContext {
  /** The project's build target, such as `linux` or `web`. */
  readonly platform: string;
  /** Each dimension's `na_platforms` from the loaded rule. */
  readonly naPlatforms: Readonly<Partial<Record<DimensionId, readonly string[]>>>;
  /** The text of feature-spec.md, or undefined when it could not be read. */
  readonly specText: string | undefined;
}

export interface NotApplicableProblem {
  readonly dimension: DimensionId;
  readonly reason: string;
}

/** Shortest quote accepted: "no paid plans" is the kind of line the rule means. */
const MIN_QUOTE_CHARS = 6;

/** Quoted passages in straight or curly double quotes. */
export function quotedPassages(text: string): string[] {
  const passages: string[] = [];
  for (const match of text.matchAll(/"([^"]+)"|“([^”]+)”/g)) {
    const passage = (match[1] ?? match[2] ?? '').trim();
    if (passage.length >= MIN_QUOTE_CHARS) passages.push(passage);
  }
  return passages;
}

const normalise = (text: string): string => text.replace(/\s+/g, ' ').trim().toLowerCase();

/** The N/A scores the rule does not allow, each with what to do instead. */
export function checkNotApplicable(
  scores: Readonly<Record<DimensionId, { readonly score: number | 'N/A'; readonly na_reason?: string | undefined }>>,
  context: NotApplicableContext,
): NotApplicableProblem[] {
  const problems: NotApplicableProblem[] = [];
  const spec = context.specText === undefined ? undefined : normalise(context.specText);
  for (const dimension of DIMENSION_IDS) {
    const entry = scores[dimension];
    if (entry.score !== 'N/A') continue;
    if (context.naPlatforms[dimension]?.includes(context.platform) === true) continue;
    const quotes = quotedPassages(entry.na_reason ?? '');
    if (quotes.length === 0) {
      problems.push({
        dimension,
        reason: `${dimension} is N/A on ${context.platform}, which is not one of its N/A targets; quote, in double quotes, the line of feature-spec.md that puts it out of scope, or score it`,
      });
      continue;
    }
    if (spec === undefined) {
      problems.push({ dimension, reason: `${dimension}: feature-spec.md could not be read, so the quote that makes it N/A cannot be checked` });
      continue;
    }
    const missing = quotes.filter((quote) => !spec.includes(normalise(quote)));
    if (missing.length === quotes.length) {
      problems.push({
        dimension,
        reason: `${dimension}: the quoted text ${missing.map((q) => `"${q}"`).join(', ')} does not appear in feature-spec.md; quote it exactly, or score the dimension`,
      });
    }
  }
  return problems;
}
