import { z } from 'zod';
import type { SandboxPolicy } from '../core/policy/types.js';
import { splitLines } from '../core/tools/line-view.js';
import { defineTool } from '../core/tools/run-tool.js';
import { errorResult, okResult } from '../core/tools/types.js';
import type { ToolDefinition } from '../core/tools/types.js';
import type { FileSystemOperations } from './fs-operations.js';
import { guardPath } from './path-guard.js';

export const writeFileSchema = z.strictObject({
  path: z.string().min(1).describe('File to create or overwrite, relative to the project root.'),
  content: z.string().describe('The complete new content of the file.'),
});

export type WriteFileInput = z.infer<typeof writeFileSchema>;

/** Operations write_file needs. */
export type WriteFileOperations = Pick<FileSystemOperations, 'writeFile' | 'stat' | 'realpath' | 'readFile'>;

/** Lines of new content shown to the person when a write needs approval. */
const PREVIEW_LINES = 20;

/** write_file: creates or replaces a whole file, making parent folders as needed. */
export function createWriteFileTool(deps: { fs: WriteFileOperations; policy: SandboxPolicy }): ToolDefinition<WriteFileInput> {
  return defineTool({
    name: 'write_file',
    description:
      'Create a file, or replace all of its content, inside the project. Parent folders are created. ' +
      'To change part of an existing file, use edit_file instead. Writing into .git/ or outside the project is refused.',
    schema: writeFileSchema,
    async execute(input, ctx) {
      const lines = splitLines(input.content);
      const guard = await guardPath(deps.fs, deps.policy, ctx, 'write_file', input.path, 'write', preview(lines));
      if (!guard.ok) return guard.result;
      const { absolute, relative } = guard.target;

      const before = await deps.fs.stat(absolute);
      if (before?.kind === 'dir') return errorResult(`${relative} is a directory; give a file path.`);
      const oldLines = before ? splitLines(Buffer.from(await deps.fs.readFile(absolute)).toString('utf8')).length : 0;
      await deps.fs.writeFile(absolute, input.content);

      const display = before
        ? `Overwrote ${relative} (${lines.length} lines, was ${oldLines})`
        : `Created ${relative} (${lines.length} lines)`;
      return okResult(`${before ? 'Overwrote' : 'Created'} ${relative} with ${lines.length} lines.`, display, [relative]);
    },
  });
}

function preview(lines: string[]): string {
  const shown = lines.slice(0, PREVIEW_LINES).map((line) => `+ ${line}`);
  if (lines.length > PREVIEW_LINES) shown.push(`+ ... (${lines.length - PREVIEW_LINES} more lines)`);
  return shown.join('\n');
}
