import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  AGENT_FILE_TOOL_NAMES,
  FINISHING_TOOL_NAMES,
  KNOWN_TOOL_NAMES,
  STRUCTURED_TOOL_NAMES,
  isFinishingToolName,
  isKnownToolName,
} from '../../../src/core/agents/tool-names.js';

const toolsNames = fileURLToPath(new URL('../../../src/core/tools/names.ts', import.meta.url));

describe('tool names', () => {
  it('lists every structured tool the agents may end or ask with', () => {
    expect([...STRUCTURED_TOOL_NAMES]).toEqual([
      'ask_user',
      'report_status',
      'write_feature_spec',
      'write_design',
      'write_task_graph',
      'report_review',
      'report_scores',
      'report_security_findings',
      'report_qa',
      'propose_tasks',
    ]);
  });

  it('knows the file tools and structured tools, without duplicates', () => {
    expect(new Set(KNOWN_TOOL_NAMES).size).toBe(KNOWN_TOOL_NAMES.length);
    expect(isKnownToolName('grep')).toBe(true);
    expect(isKnownToolName('Read')).toBe(false);
  });

  it('does not count ask_user as a way to finish', () => {
    expect(isFinishingToolName('ask_user')).toBe(false);
    expect(FINISHING_TOOL_NAMES).toHaveLength(STRUCTURED_TOOL_NAMES.length - 1);
  });

  it.runIf(existsSync(toolsNames))('matches FILE_TOOL_NAMES of the tools module', async () => {
    const mod = (await import(toolsNames)) as { FILE_TOOL_NAMES?: readonly string[] };
    expect([...(mod.FILE_TOOL_NAMES ?? [])].sort()).toEqual([...AGENT_FILE_TOOL_NAMES].sort());
  });
});
