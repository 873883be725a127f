import { z } from 'zod';
import { RULE_NAME_PATTERN } from './agent-schema.js';
import type { FieldGuideEntry } from './problems.js';

/**
 * Rule files: shared text appended to the prompts of the agents that name them. Two rules
 * also carry data in their frontmatter (the Critic's 12 dimensions and the 20 security
 * domains) so code can check scores and findings against the same list the model reads.
 */

export const ruleFrontmatterSchema = z
  .object({
    name: z.string().regex(RULE_NAME_PATTERN, 'lower-case letters, digits and hyphens'),
    description: z.string().trim().min(1),
    data: z.unknown().optional(),
  })
  .strict();

export type RuleFrontmatter = z.output<typeof ruleFrontmatterSchema>;

export const RULE_FIELD_GUIDE: Readonly<Record<keyof RuleFrontmatter, FieldGuideEntry>> = {
  name: { expected: 'the file name without `.md`, such as `gate-rules`', hint: 'set `name:` to match the file name' },
  description: { expected: 'one sentence saying what the rule covers', hint: 'add a `description:` line' },
  data: { expected: 'structured data this rule defines', hint: 'see the shipped rule file for the shape' },
};

/** A validated rule. `data` has been checked by its typed schema when the rule has one. */
export interface RuleDefinition {
  readonly name: string;
  readonly description: string;
  readonly body: string;
  readonly file: string;
  readonly data?: unknown;
  readonly overrides?: string;
}

/**
 * Build targets where a dimension may be scored N/A. Must match the ids in
 * config/platforms.json (a test compares them); core cannot read that file itself.
 */
export const PLATFORM_IDS = ['web', 'linux', 'windows', 'macos', 'android', 'ios'] as const;
export type PlatformId = (typeof PLATFORM_IDS)[number];

const prose = z.string().trim().min(1);

/** One of the Critic's product dimensions; `rubric` describes a score of 1, 3 and 5. */
export const criticDimensionSchema = z
  .object({
    id: z.string().regex(/^D([1-9]|1[0-2])$/, 'D1 to D12'),
    name: prose,
    question: prose,
    rubric: z.object({ 1: prose, 3: prose, 5: prose }).strict(),
    na_platforms: z.array(z.enum(PLATFORM_IDS)).default([]),
  })
  .strict();

export type CriticDimension = z.output<typeof criticDimensionSchema>;

export const CRITIC_DIMENSION_COUNT = 12;

/**
 * The Critic's scale and dimensions. The verdict rule (HOLD / CONDITIONAL / SHIP_READY) is
 * not data: it is `criticVerdict` in src/core/verdicts/critic.ts. `thresholds` is still
 * accepted so older rule files load, but nothing reads it; the shipped rule has none.
 */
export const criticDimensionsDataSchema = z
  .object({
    scale: z.object({ min: z.literal(1), max: z.literal(5) }).strict(),
    thresholds: z
      .object({ pass_mean: z.number().min(1).max(5), min_each: z.number().int().min(1).max(5) })
      .strict()
      .optional(),
    dimensions: z.array(criticDimensionSchema).length(CRITIC_DIMENSION_COUNT),
  })
  .strict()
  .superRefine((data, ctx) => requireSequentialIds(data.dimensions, 'D', ['dimensions'], ctx));

export type CriticDimensionsData = z.output<typeof criticDimensionsDataSchema>;

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One security review domain and what to look at in it. */
export const securityDomainSchema = z
  .object({
    id: z.string().regex(/^S([1-9]|1[0-9]|20)$/, 'S1 to S20'),
    name: prose,
    checks: z.array(prose).min(1),
  })
  .strict();

export type SecurityDomain = z.output<typeof securityDomainSchema>;

export const SECURITY_DOMAIN_COUNT = 20;

/** `blocking` lists the severities that stop a release until fixed or accepted by the person. */
export const securityDomainsDataSchema = z
  .object({
    severities: z.array(z.enum(SEVERITIES)).min(1),
    blocking: z.array(z.enum(SEVERITIES)).min(1),
    domains: z.array(securityDomainSchema).length(SECURITY_DOMAIN_COUNT),
  })
  .strict()
  .superRefine((data, ctx) => {
    requireSequentialIds(data.domains, 'S', ['domains'], ctx);
    for (const severity of data.blocking) {
      if (!data.severities.includes(severity)) {
        ctx.addIssue({ code: 'custom', path: ['blocking'], message: `\`${severity}\` is not in \`severities\`` });
      }
    }
  });

export type SecurityDomainsData = z.output<typeof securityDomainsDataSchema>;

/** Rules whose `data` has a typed shape; the loader validates these on load. */
export const RULE_DATA_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  'critic-dimensions': criticDimensionsDataSchema,
  'security-domains': securityDomainsDataSchema,
};

/** The Critic's dimensions from loaded rules, or undefined when the rule is absent or invalid. */
export function criticDimensionsOf(rules: ReadonlyMap<string, RuleDefinition>): CriticDimensionsData | undefined {
  const parsed = criticDimensionsDataSchema.safeParse(rules.get('critic-dimensions')?.data);
  return parsed.success ? parsed.data : undefined;
}

/** The security domains from loaded rules, or undefined when the rule is absent or invalid. */
export function securityDomainsOf(rules: ReadonlyMap<string, RuleDefinition>): SecurityDomainsData | undefined {
  const parsed = securityDomainsDataSchema.safeParse(rules.get('security-domains')?.data);
  return parsed.success ? parsed.data : undefined;
}

/** Dimensions a given build target may mark N/A (the Critic still has to say why). */
export function dimensionsOptionalOn(data: CriticDimensionsData, platform: PlatformId): CriticDimension[] {
  return data.dimensions.filter((dimension) => dimension.na_platforms.includes(platform));
}

/** Ids must read D1, D2, ... in order: code and prompts cite them, so gaps and repeats are errors. */
function requireSequentialIds(
  items: readonly { id: string }[],
  prefix: string,
  path: readonly (string | number)[],
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const expected = `${prefix}${index + 1}`;
    if (seen.has(item.id)) {
      ctx.addIssue({ code: 'custom', path: [...path, index, 'id'], message: `id \`${item.id}\` is used twice` });
    } else if (item.id !== expected) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, index, 'id'],
        message: `id \`${item.id}\` is out of order; entry ${index + 1} should be \`${expected}\``,
      });
    }
    seen.add(item.id);
  });
}
