import { FILE_TOOL_NAMES } from '../tools/names.js';

/**
 * The tool names an agent definition may list. An agent file that names anything else is
 * rejected by the loader, so a typo cannot silently leave an agent without its tools.
 */

/**
 * Tools whose input is validated by a zod schema and that carry an agent's work back to the
 * runtime as data. Every agent ends its run through one of these, never through prose.
 */
export const STRUCTURED_TOOL_NAMES = [
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
] as const;

export type StructuredToolName = (typeof STRUCTURED_TOOL_NAMES)[number];

/** The sandboxed file tools an agent may list: the tools module's own list. */
export const AGENT_FILE_TOOL_NAMES = FILE_TOOL_NAMES;

export type AgentFileToolName = (typeof AGENT_FILE_TOOL_NAMES)[number];

/** Every tool name an agent file may list. */
export const KNOWN_TOOL_NAMES = [...AGENT_FILE_TOOL_NAMES, ...STRUCTURED_TOOL_NAMES] as const;

export type KnownToolName = (typeof KNOWN_TOOL_NAMES)[number];

/**
 * Structured tools that finish an agent's run. `ask_user` is structured but only pauses for
 * an answer, so it never counts as a way to end.
 */
export const FINISHING_TOOL_NAMES: readonly StructuredToolName[] = STRUCTURED_TOOL_NAMES.filter(
  (name) => name !== 'ask_user',
);

/**
 * Claude Code spells its tools differently; people who copy a subagent from there get a
 * precise hint instead of a bare "unknown tool". Used for hints only, never accepted.
 */
export const CLAUDE_CODE_TOOL_ALIASES: Readonly<Record<string, KnownToolName>> = {
  read: 'read_file',
  write: 'write_file',
  edit: 'edit_file',
  multiedit: 'edit_file',
  ls: 'list_files',
  glob: 'glob',
  grep: 'grep',
  bash: 'bash',
  askuserquestion: 'ask_user',
};

export function isKnownToolName(name: string): name is KnownToolName {
  return (KNOWN_TOOL_NAMES as readonly string[]).includes(name);
}

export function isStructuredToolName(name: string): name is StructuredToolName {
  return (STRUCTURED_TOOL_NAMES as readonly string[]).includes(name);
}

export function isFinishingToolName(name: string): boolean {
  return (FINISHING_TOOL_NAMES as readonly string[]).includes(name);
}
