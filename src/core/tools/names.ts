/**
 * The canonical list of project tools, in the order `createProjectTools` returns them.
 * Agent frontmatter names tools from this list; a name outside it is a config error.
 */
export const FILE_TOOL_NAMES = [
  'read_file',
  'write_file',
  'edit_file',
  'list_files',
  'glob',
  'grep',
  'bash',
] as const;

/** One of `FILE_TOOL_NAMES`. */
export type FileToolName = (typeof FILE_TOOL_NAMES)[number];

/** Type guard for names that come from outside (agent frontmatter, model tool calls). */
export function isFileToolName(name: string): name is FileToolName {
  return (FILE_TOOL_NAMES as readonly string[]).includes(name);
}
