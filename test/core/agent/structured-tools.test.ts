import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ASK_USER_TOOL,
  BASE_STRUCTURED_TOOLS,
  REPORT_STATUS_TOOL,
  toToolSpec,
  validateStructuredInput,
  type StructuredToolSpec,
} from '../../../src/core/agent/structured-tools.js';
import { FINISHING_TOOL_NAMES, STRUCTURED_TOOL_NAMES } from '../../../src/core/agents/tool-names.js';

const summary = 'Did the thing.';

describe('report_status', () => {
  it.each([
    ['DONE', { status: 'DONE', summary }],
    ['DONE with changed files', { status: 'DONE', summary, changed_files: ['src/a.ts'] }],
    ['DONE_WITH_CONCERNS with concerns', { status: 'DONE_WITH_CONCERNS', summary, concerns: ['a.ts:3 may overflow'] }],
    ['NEEDS_CONTEXT with questions', { status: 'NEEDS_CONTEXT', summary, questions: ['Which database?'] }],
    ['BLOCKED with a blocker', { status: 'BLOCKED', summary, blocker: 'npm install fails: E404' }],
  ])('accepts %s', (_name, input) => {
    expect(validateStructuredInput(REPORT_STATUS_TOOL, input)).toEqual({ ok: true, value: input });
  });

  it.each([
    ['DONE_WITH_CONCERNS without concerns', { status: 'DONE_WITH_CONCERNS', summary }, '- concerns: required for status DONE_WITH_CONCERNS'],
    ['DONE_WITH_CONCERNS with an empty list', { status: 'DONE_WITH_CONCERNS', summary, concerns: [] }, '- concerns: required for status'],
    ['NEEDS_CONTEXT without questions', { status: 'NEEDS_CONTEXT', summary }, '- questions: required for status NEEDS_CONTEXT'],
    ['BLOCKED without a blocker', { status: 'BLOCKED', summary }, '- blocker: required for status BLOCKED'],
    ['an unknown status', { status: 'done', summary }, '- status: Invalid option'],
    ['a missing summary', { status: 'DONE' }, '- summary:'],
    ['a blank summary', { status: 'DONE', summary: '   ' }, '- summary: summary must not be empty'],
    ['a blank concern', { status: 'DONE_WITH_CONCERNS', summary, concerns: [' '] }, '- concerns.0: a concern must not be empty'],
    ['an unknown field', { status: 'DONE', summary, notes: 'x' }, 'Unrecognized key: "notes"'],
  ])('rejects %s, naming the field', (_name, input, expected) => {
    const result = validateStructuredInput(REPORT_STATUS_TOOL, input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('Invalid input for report_status:');
    expect(result.message).toContain(expected);
    expect(result.message).toContain('Fix the input and call report_status again.');
  });

  it('gives the model a plain object schema (the API rejects a top-level anyOf/oneOf)', () => {
    const spec = toToolSpec(REPORT_STATUS_TOOL);
    expect(spec.inputSchema).toMatchObject({
      type: 'object',
      required: ['status', 'summary'],
      additionalProperties: false,
      properties: { status: { enum: ['DONE', 'DONE_WITH_CONCERNS', 'NEEDS_CONTEXT', 'BLOCKED'] } },
    });
    expect(spec.inputSchema).not.toHaveProperty('anyOf');
    expect(spec.inputSchema).not.toHaveProperty('oneOf');
    expect(spec.inputSchema).not.toHaveProperty('$schema');
    expect(JSON.stringify(spec.inputSchema)).toContain('Required (at least one) for DONE_WITH_CONCERNS');
  });
});

describe('ask_user and the registry', () => {
  it('ask_user pauses with the question', () => {
    expect(ASK_USER_TOOL.finishing).toBe(false);
    expect(ASK_USER_TOOL.question?.({ question: 'Which OS?' })).toBe('Which OS?');
    expect(validateStructuredInput(ASK_USER_TOOL, { question: '' })).toMatchObject({ ok: false });
    expect(toToolSpec(ASK_USER_TOOL).inputSchema).toMatchObject({ type: 'object', required: ['question'] });
  });

  it('agrees with the agent definitions on which structured tools finish a run', () => {
    for (const spec of BASE_STRUCTURED_TOOLS) {
      expect(STRUCTURED_TOOL_NAMES as readonly string[]).toContain(spec.name);
      expect(spec.finishing).toBe((FINISHING_TOOL_NAMES as readonly string[]).includes(spec.name));
    }
  });

  it('takes stage tools with their own schemas', () => {
    const spec: StructuredToolSpec<{ title: string }> = {
      name: 'write_feature_spec',
      description: 'Write the feature spec.',
      schema: z.strictObject({ title: z.string().min(1) }),
      finishing: true,
    };
    const registry: readonly StructuredToolSpec[] = [...BASE_STRUCTURED_TOOLS, spec];
    expect(registry.map((entry) => entry.name)).toEqual(['report_status', 'ask_user', 'write_feature_spec']);
    expect(validateStructuredInput(spec, { title: 'Todo' })).toEqual({ ok: true, value: { title: 'Todo' } });
  });
});
