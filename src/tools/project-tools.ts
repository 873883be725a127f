import { DEFAULT_POLICY } from '../core/policy/config.js';
import type { SandboxPolicy } from '../core/policy/types.js';
import { FILE_TOOL_NAMES } from '../core/tools/names.js';
import type { FileToolName } from '../core/tools/names.js';
import type { ToolDefinition } from '../core/tools/types.js';
import { runCommand } from '../sandbox/process-runner.js';
import type { CommandRunner } from '../sandbox/process-runner.js';
import { createBashTool } from './bash.js';
import type { BashLimits } from './bash.js';
import { createEditFileTool } from './edit-file.js';
import { nodeFileSystem } from './fs-operations.js';
import type { FileSystemOperations } from './fs-operations.js';
import { createGlobTool } from './glob.js';
import { createGrepTool } from './grep.js';
import { createListFilesTool } from './list-files.js';
import { createReadFileTool } from './read-file.js';
import { createWriteFileTool } from './write-file.js';

/** Everything the project tools depend on; each has a default for the real machine. */
export interface ProjectToolsOptions {
  /** Defaults to DEFAULT_POLICY; the composition root passes the one built from config. */
  policy?: SandboxPolicy;
  fs?: FileSystemOperations;
  runCommand?: CommandRunner;
  bashLimits?: Partial<BashLimits>;
  /** Build only these (an agent's allowed tools); default all of FILE_TOOL_NAMES. */
  only?: readonly FileToolName[];
}

/**
 * The agents' tools, in the order of FILE_TOOL_NAMES. Run each call through `runTool`
 * (core/tools/run-tool.ts) so input is validated, errors become is_error results, and
 * output is truncated.
 */
export function createProjectTools(options: ProjectToolsOptions = {}): ToolDefinition[] {
  const policy = options.policy ?? DEFAULT_POLICY;
  const fs = options.fs ?? nodeFileSystem;
  const deps = { fs, policy };
  const factories: Record<FileToolName, () => ToolDefinition> = {
    read_file: () => createReadFileTool(deps),
    write_file: () => createWriteFileTool(deps),
    edit_file: () => createEditFileTool(deps),
    list_files: () => createListFilesTool(deps),
    glob: () => createGlobTool(deps),
    grep: () => createGrepTool(deps),
    bash: () =>
      createBashTool({
        fs,
        policy,
        runCommand: options.runCommand ?? runCommand,
        ...(options.bashLimits ? { limits: options.bashLimits } : {}),
      }),
  };
  const wanted = new Set<FileToolName>(options.only ?? FILE_TOOL_NAMES);
  return FILE_TOOL_NAMES.filter((name) => wanted.has(name)).map((name) => factories[name]());
}
