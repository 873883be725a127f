import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import type { Mock } from 'vitest';
import { runTool } from '../../src/core/tools/run-tool.js';
import type { ApprovalDecision, ApprovalRequest, ToolContext, ToolResult } from '../../src/core/tools/types.js';
import { createProjectTools } from '../../src/tools/project-tools.js';
import type { ProjectToolsOptions } from '../../src/tools/project-tools.js';

/** A real project folder in the temp dir, with its tools and a scripted "person". */
export interface TempProject {
  root: string;
  /** A folder beside the project, for things that must stay out of reach. */
  outside: string;
  approve: Mock<(request: ApprovalRequest) => Promise<ApprovalDecision>>;
  ctx: ToolContext;
  call(tool: string, input: unknown): Promise<ToolResult>;
  write(relative: string, content: string): Promise<void>;
  cleanup(): Promise<void>;
}

export async function createTempProject(options: ProjectToolsOptions = {}): Promise<TempProject> {
  const base = await realpath(await mkdtemp(path.join(tmpdir(), 'codesleuth-tools-')));
  const root = path.join(base, 'project');
  const outside = path.join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
  const approve = vi.fn(async (_request: ApprovalRequest): Promise<ApprovalDecision> => 'no');
  const ctx: ToolContext = { projectRoot: root, approve };
  const tools = createProjectTools(options);
  return {
    root,
    outside,
    approve,
    ctx,
    async call(name, input) {
      const tool = tools.find((t) => t.name === name);
      if (!tool) throw new Error(`no tool ${name}`);
      return runTool(tool, input, ctx);
    },
    async write(relative, content) {
      const file = path.join(root, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
    },
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}
