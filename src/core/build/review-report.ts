import { z } from 'zod';
import type { AgentOutcome } from '../agent/agent-types.js';
import type { StructuredToolSpec } from '../agent/structured-tools.js';
import type { ChatMessage } from '../provider/types.js';

/*
 * The reviewer's verdict on one task, as data: `report_review` is a finishing structured tool,
 * so the loop validates it with zod and nothing is read out of prose. Two stages run in order,
 * spec compliance first (does it do what the task and spec ask?), then code quality.
 */

/** The review stages, in the order they run. */
export const REVIEW_STAGES = ['spec', 'quality'] as const;
/** One of REVIEW_STAGES. */
export type ReviewStage = (typeof REVIEW_STAGES)[number];

/** What each stage checks, for prompts and reports. */
export const REVIEW_STAGE_TITLES: Readonly<Record<ReviewStage, string>> = {
  spec: 'spec compliance',
  quality: 'code quality',
};

/** How much a finding matters: critical and important ones must be fixed before a pass. */
export const FINDING_SEVERITIES = ['critical', 'important', 'minor'] as const;
/** One of FINDING_SEVERITIES. */
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** A reviewer's verdict on its stage. */
export const REVIEW_VERDICTS = ['pass', 'changes_requested'] as const;
/** One of REVIEW_VERDICTS. */
export type ReviewVerdict = (typeof REVIEW_VERDICTS)[number];

const text = (what: string) => z.string().trim().min(1, `${what} must not be empty`);

/** One finding of report_review. */
export const reviewFindingSchema = z.strictObject({
  severity: z.enum(FINDING_SEVERITIES).describe('critical: wrong or unsafe; important: must fix before merging; minor: worth fixing, not blocking.'),
  file: text('file').describe('Project-relative path of the file the finding is about.'),
  line: z.number().int('line must be a whole number').min(1, 'line counts from 1').describe('The line (from 1) the finding points at; it must exist.'),
  problem: text('problem').describe('What is wrong and why it matters.'),
  fix: text('fix').describe('What to change.'),
});

/** One finding: where, how bad, what is wrong, what to do. */
export type ReviewFinding = z.output<typeof reviewFindingSchema>;

/*
 * One flat object (the Messages API rejects a top-level anyOf); the rules that tie the verdict
 * to the findings are enforced in superRefine and come back to the model as a tool error.
 */
/** The input of report_review. */
export const reportReviewSchema = z
  .strictObject({
    stage: z.enum(REVIEW_STAGES).describe('The stage you were asked to review: spec (spec compliance) or quality (code quality).'),
    verdict: z.enum(REVIEW_VERDICTS).describe('pass when nothing critical or important remains; changes_requested otherwise.'),
    findings: z.array(reviewFindingSchema).describe('Every finding, each citing a file and a line that exist; [] when there are none.'),
    summary: text('summary').optional().describe('One or two sentences on the state of the change.'),
  })
  .superRefine((value, ctx) => {
    const blocking = value.findings.filter((f) => f.severity !== 'minor').length;
    if (value.verdict === 'pass' && blocking > 0) {
      ctx.addIssue({ code: 'custom', path: ['verdict'], message: `verdict pass with ${blocking} critical or important finding(s); use changes_requested, or lower their severity if they do not block` });
    }
    if (value.verdict === 'changes_requested' && value.findings.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['findings'], message: 'changes_requested needs at least one finding that says what to change' });
    }
  });

/** Validated input of report_review. */
export type ReportReviewInput = z.output<typeof reportReviewSchema>;

/** report_review: ends a review with its stage, verdict and findings. */
export const REPORT_REVIEW_TOOL: StructuredToolSpec<ReportReviewInput> = {
  name: 'report_review',
  description:
    'Report your review of the task and end it. Give the stage you reviewed, verdict pass or changes_requested, and every finding ' +
    'with its severity, the file and line it is about (both must exist; they are checked), the problem and the fix. Call it once.',
  schema: reportReviewSchema,
  finishing: true,
};

/**
 * How one reviewer run ended, as the task runner reads it. Only `reported` can move a review
 * on; every other ending stops the task with its reason, so a review never passes by default.
 */
export type ReviewPortOutcome =
  | { readonly kind: 'reported'; readonly report: ReportReviewInput; readonly messages: readonly ChatMessage[] }
  /** The run ended without a valid report_review: prose, another tool, the turn limit, a failure. */
  | { readonly kind: 'unreported'; readonly reason: string; readonly messages: readonly ChatMessage[] }
  | { readonly kind: 'budget_refused'; readonly message: string; readonly messages: readonly ChatMessage[] }
  | { readonly kind: 'aborted'; readonly messages: readonly ChatMessage[] };

/** Pure: an agent run of the reviewer (finishing tool report_review) as a ReviewPortOutcome. */
export function reviewOutcomeOf(outcome: AgentOutcome): ReviewPortOutcome {
  const { messages } = outcome;
  const unreported = (reason: string): ReviewPortOutcome => ({ kind: 'unreported', reason, messages });
  switch (outcome.kind) {
    case 'finished': {
      if (outcome.tool !== REPORT_REVIEW_TOOL.name) return unreported(`it finished with ${outcome.tool} instead of report_review`);
      // The loop validated the input already; parsing again keeps `unknown` out of the runner.
      const parsed = reportReviewSchema.safeParse(outcome.input);
      return parsed.success ? { kind: 'reported', report: parsed.data, messages } : unreported('its report_review input is not valid');
    }
    case 'reply':
      return unreported(`it replied without calling report_review: "${excerpt(outcome.text)}"`);
    case 'question':
      return unreported(`it asked a question instead of reporting: "${excerpt(outcome.question)}"`);
    case 'max_turns':
      return unreported(`it used its ${outcome.turns} turns without calling report_review`);
    case 'failed':
      return unreported(`its run failed: ${outcome.error.message}${outcome.error.hint === undefined ? '' : ` (${outcome.error.hint})`}`);
    case 'budget_refused':
      return { kind: 'budget_refused', message: outcome.message, messages };
    case 'aborted':
      return { kind: 'aborted', messages };
  }
}

function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
