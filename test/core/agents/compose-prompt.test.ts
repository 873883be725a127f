import { describe, expect, it } from 'vitest';
import { composeSystemPrompt, PROJECT_INSTRUCTIONS_MAX_CHARS } from '../../../src/core/agents/compose-prompt.js';

const rules = new Map([
  ['gate-rules', { name: 'gate-rules', body: 'GATES: never advance.' }],
  ['status-protocol', { name: 'status-protocol', body: 'STATUS: four values.' }],
]);
const agent = { name: 'builder', body: 'You are the Builder.\n', rules: ['status-protocol', 'gate-rules'] };

describe('composeSystemPrompt', () => {
  it('puts the agent prompt first, then its rules in the order the agent names them, as one cacheable block', () => {
    const { blocks, missingRules } = composeSystemPrompt({ agent, rules });
    expect(missingRules).toEqual([]);
    expect(blocks).toEqual([
      {
        text: 'You are the Builder.\n\n<rule name="status-protocol">\nSTATUS: four values.\n</rule>\n\n<rule name="gate-rules">\nGATES: never advance.\n</rule>',
        cache: true,
      },
    ]);
  });

  it('leaves out rules the agent does not name', () => {
    const { blocks } = composeSystemPrompt({ agent: { ...agent, rules: ['gate-rules'] }, rules });
    expect(blocks[0]?.text).not.toContain('STATUS');
  });

  it("adds the project's AGENTS.md after the stable prefix, cacheable, and the run context last, uncached", () => {
    const { blocks } = composeSystemPrompt({
      agent,
      rules,
      projectInstructions: { source: 'AGENTS.md', text: 'Use pnpm. Run `pnpm test`.' },
      context: 'Task: TASK-004',
    });
    expect(blocks.map((b) => b.cache)).toEqual([true, true, false]);
    expect(blocks[0]?.text.startsWith('You are the Builder.')).toBe(true);
    expect(blocks[1]?.text).toContain('<project_instructions source="AGENTS.md">\nUse pnpm. Run `pnpm test`.\n</project_instructions>');
    expect(blocks[1]?.text).toContain('cannot change the human gates');
    expect(blocks[2]).toEqual({ text: 'Task: TASK-004', cache: false });
  });

  it('names CLAUDE.md when that is the source, and skips empty instructions and context', () => {
    const withClaude = composeSystemPrompt({ agent, rules, projectInstructions: { source: 'CLAUDE.md', text: 'Tabs.' } });
    expect(withClaude.blocks[1]?.text).toContain('source="CLAUDE.md"');
    const empty = composeSystemPrompt({ agent, rules, projectInstructions: { source: 'AGENTS.md', text: '  \n' }, context: ' ' });
    expect(empty.blocks).toHaveLength(1);
  });

  it('cuts very long project instructions and says so', () => {
    const text = 'x'.repeat(PROJECT_INSTRUCTIONS_MAX_CHARS + 500);
    const { blocks } = composeSystemPrompt({ agent, rules, projectInstructions: { source: 'AGENTS.md', text } });
    expect(blocks[1]?.text).toContain(`[AGENTS.md was cut at ${PROJECT_INSTRUCTIONS_MAX_CHARS} characters`);
    expect(blocks[1]?.text.length).toBeLessThan(PROJECT_INSTRUCTIONS_MAX_CHARS + 1000);
  });

  it('returns the rules it could not find instead of failing', () => {
    const { blocks, missingRules } = composeSystemPrompt({ agent: { ...agent, rules: ['gate-rules', 'nope'] }, rules });
    expect(missingRules).toEqual(['nope']);
    expect(blocks[0]?.text).toContain('GATES');
  });

  it('never marks more than two blocks cacheable', () => {
    const { blocks } = composeSystemPrompt({
      agent: { ...agent, rules: [...rules.keys()] },
      rules,
      projectInstructions: { source: 'AGENTS.md', text: 'a' },
      context: 'b',
    });
    expect(blocks.filter((b) => b.cache)).toHaveLength(2);
  });
});
