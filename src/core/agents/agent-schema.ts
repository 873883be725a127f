import { z } from 'zod';
import type { FieldGuideEntry } from './problems.js';
import { AGENT_STAGES, type AgentStage } from './stage-contract.js';
import { KNOWN_TOOL_NAMES, type KnownToolName } from './tool-names.js';

/**
 * The frontmatter of an agent file: the fields Claude Code reads for a subagent (`name`,
 * `description`, `model`, `tools`) plus ours. Strict, because the shape is ours: a misspelt
 * field is an error, not a silently ignored line.
 */

export const DEFAULT_AGENT_MODEL = 'claude-sonnet-4-6';

/** Rule references are file names; `gate-rules` and `gate-rules.md` name the same file. */
export const RULE_NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

const ruleReference = z
  .string()
  .transform((value) => value.trim().replace(/\.md$/i, ''))
  .pipe(z.string().regex(RULE_NAME_PATTERN, 'a rule file name such as `gate-rules`'));

/** Claude Code accepts `tools: read_file, grep`; a YAML list works too. */
const toolList = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '')
      : value,
  z.array(z.enum(KNOWN_TOOL_NAMES)).min(1),
);

export const agentFrontmatterSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and hyphens'),
    description: z.string().trim().min(1),
    model: z.string().trim().min(1).default(DEFAULT_AGENT_MODEL),
    tools: toolList,
    id: z.number().int().min(0).max(AGENT_STAGES.length - 1),
    stage: z.enum(AGENT_STAGES),
    max_turns: z.number().int().min(1).max(1000),
    budget_share: z.number().gt(0).lte(1),
    outputs: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'an artifact file name')),
    rules: z.array(ruleReference).default([]),
  })
  .strict()
  .superRefine((front, ctx) => {
    const seen = new Set<string>();
    front.tools.forEach((tool, index) => {
      if (seen.has(tool)) {
        ctx.addIssue({ code: 'custom', path: ['tools', index], message: `\`${tool}\` is listed twice` });
      }
      seen.add(tool);
    });
    const rules = new Set<string>();
    front.rules.forEach((rule, index) => {
      if (rules.has(rule)) {
        ctx.addIssue({ code: 'custom', path: ['rules', index], message: `\`${rule}\` is listed twice` });
      }
      rules.add(rule);
    });
  });

export type AgentFrontmatter = z.output<typeof agentFrontmatterSchema>;

/** What a person should write for each field; drives the loader's messages. */
export const AGENT_FIELD_GUIDE: Readonly<Record<keyof AgentFrontmatter, FieldGuideEntry>> = {
  name: { expected: 'a lower-case name such as `builder`', hint: 'set `name:` to the agent name' },
  description: { expected: 'one sentence saying when this agent is used', hint: 'add a `description:` line' },
  model: { expected: `a model id such as \`${DEFAULT_AGENT_MODEL}\``, hint: 'set `model:` or remove the line for the default' },
  tools: {
    expected: `a comma-separated string or list of: ${KNOWN_TOOL_NAMES.join(', ')}`,
    hint: 'fix the file or remove the tool',
    item: 'tool',
  },
  id: { expected: `a whole number from 0 to ${AGENT_STAGES.length - 1}`, hint: 'set `id:` to the agent number' },
  stage: { expected: `one of ${AGENT_STAGES.join(', ')}`, hint: 'set `stage:` to the stage this agent works in', item: 'stage' },
  max_turns: { expected: 'a whole number from 1 to 1000', hint: 'set `max_turns:` to the most model turns one run may take' },
  budget_share: {
    expected: 'a fraction above 0 and at most 1, such as 0.15',
    hint: 'set `budget_share:` to the part of the session budget this agent may spend',
  },
  outputs: {
    expected: 'a list of artifact file names such as [feature-spec.md] (or [])',
    hint: 'list the artifacts this agent produces',
  },
  rules: {
    expected: 'a list of rule file names from rules/, such as [gate-rules, status-protocol]',
    hint: 'name rule files without their folder; `.md` is optional',
  },
};

/** A validated agent: its frontmatter in our naming, its system prompt, and where it came from. */
export interface AgentDefinition {
  readonly id: number;
  readonly stage: AgentStage;
  readonly name: string;
  readonly description: string;
  readonly model: string;
  readonly tools: readonly KnownToolName[];
  readonly maxTurns: number;
  readonly budgetShare: number;
  readonly outputs: readonly string[];
  readonly rules: readonly string[];
  /** The system prompt written in the file's body. */
  readonly body: string;
  /** Where the file was read from. */
  readonly file: string;
  /** The installed file this one replaced, when a home file overrides it. */
  readonly overrides?: string;
}

export function toAgentDefinition(
  front: AgentFrontmatter,
  body: string,
  file: string,
  overrides?: string,
): AgentDefinition {
  return {
    id: front.id,
    stage: front.stage,
    name: front.name,
    description: front.description,
    model: front.model,
    tools: front.tools,
    maxTurns: front.max_turns,
    budgetShare: front.budget_share,
    outputs: front.outputs,
    rules: front.rules,
    body,
    file,
    ...(overrides === undefined ? {} : { overrides }),
  };
}
