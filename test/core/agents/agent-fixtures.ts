import { STAGE_CONTRACTS, type AgentStage } from '../../../src/core/agents/stage-contract.js';

/** Frontmatter fields for a valid agent of `stage`; override any field to break it. */
export function agentFields(stage: AgentStage, overrides: Record<string, string | undefined> = {}): string {
  const contract = STAGE_CONTRACTS[stage];
  const tools = stage === 'building' ? ['read_file', 'write_file', ...contract.requiredTools] : ['read_file', ...contract.requiredTools];
  const fields: Record<string, string | undefined> = {
    name: `${stage}-agent`,
    description: `Test agent for ${stage}.`,
    model: 'claude-sonnet-4-6',
    tools: tools.join(', '),
    id: String(contract.id),
    stage,
    max_turns: '10',
    budget_share: '0.1',
    outputs: '[]',
    rules: '[]',
    ...overrides,
  };
  return Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');
}

/** A complete agent file for `stage`. */
export function agentFile(stage: AgentStage, overrides: Record<string, string | undefined> = {}, body = 'You are a test agent.'): string {
  return `---\n${agentFields(stage, overrides)}\n---\n${body}\n`;
}

/** A complete rule file. */
export function ruleFile(name: string, body = `Rule ${name}.`, extra = ''): string {
  return `---\nname: ${name}\ndescription: Rule ${name} for tests.\n${extra}---\n${body}\n`;
}
