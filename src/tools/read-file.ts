import { z } from 'zod';
import type { SandboxPolicy } from '../core/policy/types.js';
import { DEFAULT_READ_LIMIT, looksBinary, numberedWindow } from '../core/tools/line-view.js';
import { defineTool } from '../core/tools/run-tool.js';
import { errorResult, okResult } from '../core/tools/types.js';
import type { ToolDefinition } from '../core/tools/types.js';
import type { FileSystemOperations } from './fs-operations.js';
import { guardPath } from './path-guard.js';

/** Larger files are refused whole; the model is told to use grep or a window. */
export const MAX_READ_BYTES = 5 * 1024 * 1024;

export const readFileSchema = z.strictObject({
  path: z.string().min(1).describe('File to read, relative to the project root.'),
  offset: z.number().int().min(1).optional().describe('First line to return, 1-based. Default 1.'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .optional()
    .describe(`How many lines to return. Default ${DEFAULT_READ_LIMIT}.`),
});

export type ReadFileInput = z.infer<typeof readFileSchema>;

/** Operations read_file needs. */
export type ReadFileOperations = Pick<FileSystemOperations, 'readFile' | 'stat' | 'realpath'>;

/** read_file: numbered lines of a text file inside the project. */
export function createReadFileTool(deps: { fs: ReadFileOperations; policy: SandboxPolicy }): ToolDefinition<ReadFileInput> {
  return defineTool({
    name: 'read_file',
    description:
      'Read a text file from the project. Returns lines numbered like `cat -n` (number, tab, text). ' +
      `Reads up to ${DEFAULT_READ_LIMIT} lines unless you pass offset/limit; the footer says how to read on. ` +
      'Secret files (.env, keys) and paths outside the project are refused.',
    schema: readFileSchema,
    async execute(input, ctx) {
      const guard = await guardPath(deps.fs, deps.policy, ctx, 'read_file', input.path, 'read');
      if (!guard.ok) return guard.result;
      const { absolute, relative } = guard.target;

      const info = await deps.fs.stat(absolute);
      if (!info) return errorResult(`File not found: ${relative}. Use list_files or glob to find the right path.`);
      if (info.kind === 'dir') return errorResult(`${relative} is a directory; use list_files to see what is in it.`);
      if (info.size > MAX_READ_BYTES) {
        return errorResult(
          `${relative} is ${info.size} bytes, more than read_file returns (${MAX_READ_BYTES}); use grep to find the part you need.`,
        );
      }
      const bytes = await deps.fs.readFile(absolute);
      if (looksBinary(bytes)) {
        return okResult(`${relative} is a binary file (${bytes.length} bytes); its contents are not shown.`, `Read ${relative} (binary)`);
      }
      const content = Buffer.from(bytes).toString('utf8');
      const window = numberedWindow(content, input.offset ?? 1, input.limit ?? DEFAULT_READ_LIMIT);
      if (window.totalLines === 0) return okResult(`${relative} is empty.`, `Read ${relative} (empty)`);
      if (window.lastLine < window.firstLine) {
        return errorResult(`offset ${window.firstLine} is past the end of ${relative}, which has ${window.totalLines} lines.`);
      }
      const whole = window.firstLine === 1 && window.lastLine === window.totalLines;
      const footer = whole
        ? ''
        : `\n\n[Lines ${window.firstLine}-${window.lastLine} of ${window.totalLines}.${
            window.lastLine < window.totalLines ? ` Use offset=${window.lastLine + 1} to read on.` : ''
          }]`;
      const display = whole
        ? `Read ${relative} (${window.totalLines} lines)`
        : `Read ${relative} (lines ${window.firstLine}-${window.lastLine} of ${window.totalLines})`;
      return okResult(window.text + footer, display);
    },
  });
}
