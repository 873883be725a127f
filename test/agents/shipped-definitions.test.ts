import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { definitionDirs, formatProblems, loadAgents, type AgentLoadResult } from '../../src/agents/agent-loader.js';
import { composeSystemPrompt } from '../../src/core/agents/compose-prompt.js';
import {
  criticDimensionsOf,
  PLATFORM_IDS,
  securityDomainsOf,
  type CriticDimensionsData,
  type SecurityDomainsData,
} from '../../src/core/agents/rule-schema.js';
import { AGENT_STAGES, STAGE_CONTRACTS } from '../../src/core/agents/stage-contract.js';
import { isFinishingToolName } from '../../src/core/agents/tool-names.js';
import { ARTIFACTS } from '../../src/core/pipeline/artifacts.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
let loaded: AgentLoadResult;

beforeAll(async () => {
  const { agentDirs, ruleDirs } = definitionDirs([repo]);
  loaded = await loadAgents({ dirs: agentDirs, ruleDirs });
});

describe('the shipped agents and rules', () => {
  it('load with zero problems', () => {
    expect(formatProblems(loaded.problems)).toBe('');
    expect(loaded.problems).toEqual([]);
  });

  it('cover every stage with the shipped file name and agent id', () => {
    for (const stage of AGENT_STAGES) {
      const agent = loaded.agents.get(stage);
      expect(agent?.file.endsWith(STAGE_CONTRACTS[stage].fileName)).toBe(true);
      expect(agent?.id).toBe(STAGE_CONTRACTS[stage].id);
    }
  });

  it('ship all seven rule files', () => {
    expect([...loaded.rules.keys()].sort()).toEqual([
      'coding-standards',
      'critic-dimensions',
      'gate-rules',
      'review-protocol',
      'security-domains',
      'startup-protocol',
      'status-protocol',
    ]);
  });

  it('give every agent a prompt that names how it finishes and what it never does', () => {
    for (const agent of loaded.agents.values()) {
      const finishing = agent.tools.filter(isFinishingToolName);
      expect(finishing.length, agent.name).toBeGreaterThan(0);
      for (const tool of finishing) expect(agent.body, `${agent.name} mentions ${tool}`).toContain(`\`${tool}\``);
      expect(agent.body, agent.name).toMatch(/# What you never do/);
      expect(agent.body, agent.name).toMatch(/# How you finish/);
    }
  });

  it('spend at most the whole budget', () => {
    const total = [...loaded.agents.values()].reduce((sum, agent) => sum + agent.budgetShare, 0);
    expect(total).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('list, for each stage, the artifacts its gate later requires', () => {
    for (const spec of Object.values(ARTIFACTS)) {
      expect(loaded.agents.get(spec.producedIn)?.outputs, spec.name).toContain(spec.name);
    }
  });

  it('compose into a system prompt with every named rule present', () => {
    for (const agent of loaded.agents.values()) {
      const { blocks, missingRules } = composeSystemPrompt({ agent, rules: loaded.rules });
      expect(missingRules).toEqual([]);
      for (const rule of agent.rules) expect(blocks[0]?.text).toContain(`<rule name="${rule}">`);
    }
  });
});

describe('the critic dimensions', () => {
  let data: CriticDimensionsData | undefined;
  beforeAll(() => {
    data = criticDimensionsOf(loaded.rules);
  });

  it('are the twelve named dimensions D1 to D12 with unique ids', () => {
    expect(data?.dimensions.map((d) => `${d.id} ${d.name}`)).toEqual([
      'D1 First-run experience',
      'D2 Activation funnel',
      'D3 Core-loop retention',
      'D4 Error-recovery UX',
      'D5 Feature discoverability',
      'D6 Monetisation fit',
      'D7 Competitive differentiation',
      'D8 Onboarding completeness',
      'D9 Empty states',
      'D10 Mobile/responsive',
      'D11 Trust signals',
      'D12 Spec fidelity',
    ]);
    expect(new Set(data?.dimensions.map((d) => d.id)).size).toBe(12);
  });

  it('allow N/A for the responsive dimension on desktop targets only', () => {
    const d10 = data?.dimensions.find((d) => d.id === 'D10');
    expect(d10?.na_platforms).toEqual(['linux', 'windows', 'macos']);
  });
});

describe('the security domains', () => {
  let data: SecurityDomainsData | undefined;
  beforeAll(() => {
    data = securityDomainsOf(loaded.rules);
  });

  it('are the twenty domains S1 to S20 with unique ids and at least one check each', () => {
    expect(data?.domains.map((d) => d.name)).toEqual([
      'Authentication',
      'Authorisation',
      'Sessions',
      'Injection',
      'Output encoding',
      'Cryptography',
      'Secrets',
      'Data protection',
      'Dependencies',
      'Configuration',
      'Logging and monitoring',
      'Error handling',
      'File handling',
      'API abuse and rate limits',
      'CSRF and CORS',
      'SSRF',
      'Deserialisation',
      'Infrastructure',
      'Business logic',
      'Client-side storage',
    ]);
    expect(new Set(data?.domains.map((d) => d.id)).size).toBe(20);
    expect(data?.domains.every((d) => d.checks.length > 0)).toBe(true);
  });

  it('block a release on critical and high findings', () => {
    expect(data?.blocking).toEqual(['critical', 'high']);
  });
});

describe('platform ids', () => {
  it('match config/platforms.json', () => {
    const config = JSON.parse(readFileSync(`${repo}/config/platforms.json`, 'utf8')) as { platforms: { id: string }[] };
    expect(config.platforms.map((p) => p.id).sort()).toEqual([...PLATFORM_IDS].sort());
  });
});
