import { describe, expect, it } from 'vitest';
import { DEFAULT_AGENT_MODEL } from '../../../src/core/agents/agent-schema.js';
import { parseAgentFile } from '../../../src/core/agents/parse-definitions.js';
import { formatDefinitionProblems } from '../../../src/core/agents/problems.js';
import { agentFile } from './agent-fixtures.js';

const FILE = 'agents/03-builder.md';

describe('parseAgentFile', () => {
  it('turns a valid file into a definition in our naming', () => {
    const { agent, problems } = parseAgentFile(FILE, agentFile('building', { rules: '[gate-rules.md, status-protocol]' }), '/install/agents/03-builder.md');
    expect(problems).toEqual([]);
    expect(agent).toMatchObject({
      id: 3,
      stage: 'building',
      tools: ['read_file', 'write_file', 'report_status'],
      maxTurns: 10,
      budgetShare: 0.1,
      rules: ['gate-rules', 'status-protocol'],
      body: 'You are a test agent.',
      file: FILE,
      overrides: '/install/agents/03-builder.md',
    });
  });

  it('accepts tools as a YAML list as well as a comma-separated string', () => {
    const { agent } = parseAgentFile(FILE, agentFile('building', { tools: '\n  - read_file\n  - report_status' }));
    expect(agent?.tools).toEqual(['read_file', 'report_status']);
  });

  it('defaults the model when the line is absent', () => {
    const { agent } = parseAgentFile(FILE, agentFile('building', { model: undefined }));
    expect(agent?.model).toBe(DEFAULT_AGENT_MODEL);
  });

  it('names an unknown tool, lists the known ones and says what to do', () => {
    const text = agentFile('building', { tools: 'read_file, rm_rf, report_status' });
    const { agent, problems } = parseAgentFile(FILE, text);
    expect(agent).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: FILE, field: 'tools[1]', message: 'unknown tool `rm_rf`', line: 5 });
    expect(problems[0]?.expected).toMatch(/^one of read_file, write_file, edit_file, list_files, glob, grep, bash, ask_user, /);
    expect(formatDefinitionProblems(problems)).toMatch(
      /^agents\/03-builder\.md:5: field `tools\[1\]`: unknown tool `rm_rf` — expected one of read_file, .*; fix the file or remove the tool$/,
    );
  });

  it('suggests our name for a Claude Code tool name', () => {
    const { problems } = parseAgentFile(FILE, agentFile('building', { tools: 'Read, report_status' }));
    expect(problems[0]?.hint).toContain('did you mean `read_file`?');
  });

  it('reports a missing required field', () => {
    const { problems } = parseAgentFile(FILE, agentFile('building', { stage: undefined }));
    expect(problems).toEqual([
      expect.objectContaining({ field: 'stage', message: 'required field is missing', hint: 'add `stage:` to the frontmatter' }),
    ]);
  });

  it('reports a wrong type with the value found and the line', () => {
    const { problems } = parseAgentFile(FILE, agentFile('building', { max_turns: 'lots' }));
    expect(problems).toEqual([
      expect.objectContaining({ field: 'max_turns', line: 8, message: 'has the wrong type (got the string `lots`)' }),
    ]);
  });

  it('rejects unknown fields and guesses the intended one', () => {
    const { problems } = parseAgentFile(FILE, agentFile('building', { max_turn: '5' }));
    expect(problems).toEqual([expect.objectContaining({ field: 'max_turn', message: 'unknown field `max_turn`' })]);
    expect(problems[0]?.hint).toContain('did you mean `max_turns`?');
  });

  it('reports every bad field of one file, not only the first', () => {
    const { problems } = parseAgentFile(FILE, agentFile('building', { budget_share: '2', id: '-1', stage: 'testing' }));
    expect(problems.map((p) => p.field).sort()).toEqual(['budget_share', 'id', 'stage']);
  });

  it('rejects a tool listed twice', () => {
    const { problems } = parseAgentFile(FILE, agentFile('building', { tools: 'read_file, read_file, report_status' }));
    expect(problems).toEqual([expect.objectContaining({ field: 'tools[1]', message: '`read_file` is listed twice' })]);
  });

  it('keeps each stage to its contract: id, finishing tools, and no file writes outside the Builder', () => {
    const wrongId = parseAgentFile(FILE, agentFile('critique', { id: '5' })).problems;
    expect(wrongId).toEqual([expect.objectContaining({ field: 'id', expected: '4 for stage `critique`' })]);

    const noFinish = parseAgentFile(FILE, agentFile('discovery', { tools: 'read_file, ask_user' })).problems;
    expect(noFinish).toEqual([expect.objectContaining({ field: 'tools', message: expect.stringContaining('`write_feature_spec`') })]);

    const writes = parseAgentFile(FILE, agentFile('orchestrator', { tools: 'read_file, write_file, report_status' })).problems;
    expect(writes).toEqual([expect.objectContaining({ field: 'tools', message: 'the orchestrator agent may not have `write_file`' })]);
  });

  it('requires a system prompt in the body', () => {
    const { problems } = parseAgentFile(FILE, agentFile('building', {}, ''));
    expect(problems).toEqual([expect.objectContaining({ field: 'body', message: 'the system prompt is empty' })]);
  });

  it('reports broken YAML as a problem of the whole file with its line', () => {
    const { problems } = parseAgentFile(FILE, '---\nname: builder\ntools: [read_file\n---\nPrompt');
    expect(problems).toEqual([expect.objectContaining({ file: FILE, field: '(file)', line: 3 })]);
    expect(formatDefinitionProblems(problems)).toMatch(/^agents\/03-builder\.md:3: invalid YAML: /);
  });
});
