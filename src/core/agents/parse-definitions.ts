import { agentFrontmatterSchema, AGENT_FIELD_GUIDE, toAgentDefinition, type AgentDefinition } from './agent-schema.js';
import { parseFrontmatter, type ParsedFrontmatter } from './frontmatter.js';
import { problemsFromZod, WHOLE_FILE, type DefinitionProblem } from './problems.js';
import { RULE_DATA_SCHEMAS, RULE_FIELD_GUIDE, ruleFrontmatterSchema, type RuleDefinition } from './rule-schema.js';
import { AGENT_STAGES, checkStageContract, STAGE_CONTRACTS, type AgentStage } from './stage-contract.js';

/**
 * Turning the text of agent and rule files into validated definitions, and checking the set
 * as a whole. Pure: the loader reads files and hands their text here, so every rule about
 * what makes a definition valid is testable without a disk.
 */

export interface ParsedAgentFile {
  readonly agent?: AgentDefinition;
  readonly problems: readonly DefinitionProblem[];
}

export interface ParsedRuleFile {
  readonly rule?: RuleDefinition;
  readonly problems: readonly DefinitionProblem[];
}

/** Validates one agent file; the agent is returned only when the file has no problem at all. */
export function parseAgentFile(file: string, text: string, overrides?: string): ParsedAgentFile {
  const parsed = readFrontmatter(file, text, 'the agent fields, then the system prompt');
  if (!parsed.ok) return { problems: [parsed.problem] };
  const { data, body, bodyLine, lineOf } = parsed.value;

  const result = agentFrontmatterSchema.safeParse(data, { reportInput: true });
  if (!result.success) return { problems: problemsFromZod(file, result.error.issues, AGENT_FIELD_GUIDE, lineOf) };

  const problems: DefinitionProblem[] = checkStageContract(result.data).map((breach) => {
    const line = lineOf([breach.field]);
    return { file, ...(line === undefined ? {} : { line }), ...breach };
  });
  if (body === '') {
    problems.push({
      file,
      line: bodyLine,
      field: 'body',
      message: 'the system prompt is empty',
      expected: "the agent's instructions below the closing `---`",
      hint: 'write the prompt, or delete this file to use the installed one',
    });
  }
  if (problems.length > 0) return { problems };
  return { agent: toAgentDefinition(result.data, body, file, overrides), problems: [] };
}

/** Validates one rule file, including its typed `data` for rules that define some. */
export function parseRuleFile(file: string, text: string, overrides?: string): ParsedRuleFile {
  const parsed = readFrontmatter(file, text, '`name` and `description`, then the rule text');
  if (!parsed.ok) return { problems: [parsed.problem] };
  const { data, body, bodyLine, lineOf } = parsed.value;

  const result = ruleFrontmatterSchema.safeParse(data, { reportInput: true });
  if (!result.success) return { problems: problemsFromZod(file, result.error.issues, RULE_FIELD_GUIDE, lineOf) };
  const front = result.data;

  const problems: DefinitionProblem[] = [];
  const expectedName = ruleNameOf(file);
  if (front.name !== expectedName) {
    const line = lineOf(['name']);
    problems.push({
      file,
      ...(line === undefined ? {} : { line }),
      field: 'name',
      message: `name \`${front.name}\` differs from the file name`,
      expected: `\`${expectedName}\``,
      hint: 'agents name rules by file name; rename the file or set `name:` to match it',
    });
  }
  let typed: unknown = front.data;
  const dataSchema = RULE_DATA_SCHEMAS[front.name];
  if (dataSchema) {
    const checked = dataSchema.safeParse(front.data, { reportInput: true });
    if (checked.success) typed = checked.data;
    else problems.push(...problemsFromZod(file, checked.error.issues, RULE_FIELD_GUIDE, lineOf, ['data']));
  }
  if (body === '') {
    problems.push({
      file,
      line: bodyLine,
      field: 'body',
      message: 'the rule text is empty',
      expected: 'the rule written below the closing `---`',
      hint: 'write the rule, or delete this file to use the installed one',
    });
  }
  if (problems.length > 0) return { problems };
  const rule: RuleDefinition = {
    name: front.name,
    description: front.description,
    body,
    file,
    ...(typed === undefined ? {} : { data: typed }),
    ...(overrides === undefined ? {} : { overrides }),
  };
  return { rule, problems: [] };
}

export interface AgentSetInput {
  /** Valid agents in precedence order (home files before installed ones). */
  readonly agents: readonly AgentDefinition[];
  readonly rules: ReadonlyMap<string, RuleDefinition>;
  /** Rules whose files exist but failed to load; their absence is explained differently. */
  readonly brokenRules?: ReadonlySet<string>;
  /** Where set-wide problems are reported, such as the installed agents folder. */
  readonly location: string;
}

export interface AgentSet {
  readonly agents: Map<AgentStage, AgentDefinition>;
  readonly problems: readonly DefinitionProblem[];
}

/** One agent per stage, every stage present, every named rule loaded, budget shares within 1. */
export function checkAgentSet(input: AgentSetInput): AgentSet {
  const agents = new Map<AgentStage, AgentDefinition>();
  const problems: DefinitionProblem[] = [];

  for (const agent of input.agents) {
    const first = agents.get(agent.stage);
    if (first) {
      problems.push({
        file: agent.file,
        field: 'stage',
        message: `stage \`${agent.stage}\` already has an agent in ${first.file}; this file is ignored`,
        expected: 'one agent file per stage',
        hint: `delete one of the two files, or give this one the file name ${STAGE_CONTRACTS[agent.stage].fileName} so it overrides the installed agent`,
      });
      continue;
    }
    agents.set(agent.stage, agent);
    agent.rules.forEach((rule, index) => {
      if (input.rules.has(rule)) return;
      const broken = input.brokenRules?.has(rule) === true;
      problems.push({
        file: agent.file,
        field: `rules[${index}]`,
        message: broken ? `rule \`${rule}\` has problems (listed separately) and was not loaded` : `rule \`${rule}\` does not exist`,
        expected: `one of ${[...input.rules.keys()].sort().join(', ') || '(no rules loaded)'}`,
        hint: broken ? `fix rules/${rule}.md` : `create rules/${rule}.md or remove \`${rule}\` from \`rules\``,
      });
    });
  }

  for (const stage of AGENT_STAGES) {
    if (agents.has(stage)) continue;
    const contract = STAGE_CONTRACTS[stage];
    problems.push({
      file: input.location,
      field: WHOLE_FILE,
      message: `no valid agent for stage \`${stage}\` (agent ${contract.id})`,
      expected: `a file such as ${contract.fileName} with \`stage: ${stage}\``,
      hint: `fix or restore ${contract.fileName}; the ${stage} stage cannot run until then`,
    });
  }

  const total = [...agents.values()].reduce((sum, agent) => sum + agent.budgetShare, 0);
  if (total > 1 + 1e-9) {
    problems.push({
      file: input.location,
      field: WHOLE_FILE,
      message: `the agents' budget_share values add up to ${total.toFixed(2)}`,
      expected: 'a total of at most 1 (the whole session budget)',
      hint: 'lower `budget_share` in one or more agent files',
    });
  }
  return { agents, problems };
}

/** `rules/gate-rules.md` -> `gate-rules`; works on both slash styles without node:path. */
export function ruleNameOf(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.md$/i, '');
}

type FrontmatterRead = { ok: true; value: ParsedFrontmatter } | { ok: false; problem: DefinitionProblem };

function readFrontmatter(file: string, text: string, contents: string): FrontmatterRead {
  const parsed = parseFrontmatter(text);
  if (parsed.ok) return parsed;
  const { line, message, hint } = parsed.error;
  return {
    ok: false,
    problem: { file, line, field: WHOLE_FILE, message, expected: `a \`---\` block at the top with ${contents}`, hint },
  };
}
