import { describe, expect, it } from 'vitest';
import type { AgentDefinition } from '../../../src/core/agents/agent-schema.js';
import { checkAgentSet, parseAgentFile, ruleNameOf } from '../../../src/core/agents/parse-definitions.js';
import type { RuleDefinition } from '../../../src/core/agents/rule-schema.js';
import { AGENT_STAGES, STAGE_CONTRACTS, type AgentStage } from '../../../src/core/agents/stage-contract.js';
import { agentFile } from './agent-fixtures.js';

function agent(stage: AgentStage, overrides: Record<string, string> = {}, file = `/install/agents/${STAGE_CONTRACTS[stage].fileName}`): AgentDefinition {
  const parsed = parseAgentFile(file, agentFile(stage, overrides));
  if (!parsed.agent) throw new Error(JSON.stringify(parsed.problems));
  return parsed.agent;
}

const rule: RuleDefinition = { name: 'gate-rules', description: 'd', body: 'b', file: '/install/rules/gate-rules.md' };
const rules = new Map([['gate-rules', rule]]);
const allStages = (): AgentDefinition[] => AGENT_STAGES.map((stage) => agent(stage));

describe('checkAgentSet', () => {
  it('accepts one agent per stage', () => {
    const set = checkAgentSet({ agents: allStages(), rules, location: '/install/agents' });
    expect(set.problems).toEqual([]);
    expect([...set.agents.keys()]).toEqual([...AGENT_STAGES]);
  });

  it('reports each missing stage with the file that would provide it', () => {
    const set = checkAgentSet({ agents: allStages().filter((a) => a.stage !== 'security'), rules, location: '/install/agents' });
    expect(set.problems).toEqual([
      expect.objectContaining({
        file: '/install/agents',
        message: 'no valid agent for stage `security` (agent 5)',
        expected: 'a file such as 05-security.md with `stage: security`',
      }),
    ]);
  });

  it('keeps the first agent of a stage and reports the second', () => {
    const home = agent('building', {}, '/home/u/.codesleuth/agents/my-builder.md');
    const set = checkAgentSet({ agents: [home, ...allStages()], rules, location: '/install/agents' });
    expect(set.agents.get('building')?.file).toBe(home.file);
    expect(set.problems).toEqual([expect.objectContaining({ file: '/install/agents/03-builder.md', field: 'stage' })]);
  });

  it('reports a rule that does not exist, and a rule that failed to load, on the agent that names it', () => {
    const agents = allStages();
    agents[1] = agent('discovery', { rules: '[gate-rules, missing-rule, broken-rule]' });
    const set = checkAgentSet({ agents, rules, brokenRules: new Set(['broken-rule']), location: '/install/agents' });
    expect(set.problems).toEqual([
      expect.objectContaining({ file: agents[1]?.file, field: 'rules[1]', message: 'rule `missing-rule` does not exist', expected: 'one of gate-rules' }),
      expect.objectContaining({ field: 'rules[2]', hint: 'fix rules/broken-rule.md' }),
    ]);
  });

  it('reports budget shares that add up to more than the whole budget', () => {
    const agents = AGENT_STAGES.map((stage) => agent(stage, { budget_share: '0.2' }));
    const set = checkAgentSet({ agents, rules, location: '/install/agents' });
    expect(set.problems).toEqual([expect.objectContaining({ message: "the agents' budget_share values add up to 1.60" })]);
  });
});

describe('ruleNameOf', () => {
  it.each([
    ['rules/gate-rules.md', 'gate-rules'],
    ['C:\\codesleuth\\rules\\status-protocol.md', 'status-protocol'],
    ['coding-standards.MD', 'coding-standards'],
  ])('%s -> %s', (file, name) => {
    expect(ruleNameOf(file)).toBe(name);
  });
});
