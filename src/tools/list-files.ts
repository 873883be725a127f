import { z } from 'zod';
import type { SandboxPolicy } from '../core/policy/types.js';
import { defineTool } from '../core/tools/run-tool.js';
import { errorResult, okResult } from '../core/tools/types.js';
import type { ToolDefinition } from '../core/tools/types.js';
import type { FileSystemOperations } from './fs-operations.js';
import { guardPath } from './path-guard.js';
import { walk } from './walk.js';
import type { WalkEntry } from './walk.js';

export const listFilesSchema = z.strictObject({
  path: z.string().min(1).default('.').describe('Folder to list, relative to the project root. Default: the root.'),
  recursive: z.boolean().default(false).describe('List everything below, not just the folder itself. Default false.'),
  max_entries: z.number().int().min(1).max(5_000).default(1_000).describe('Most entries to return. Default 1000.'),
});

export type ListFilesInput = z.infer<typeof listFilesSchema>;

/** Operations list_files needs. */
export type ListFilesOperations = Pick<FileSystemOperations, 'readdir' | 'stat' | 'realpath'>;

/** list_files: a folder's entries (folders end in '/', symlinks in '@'), skipping .git and node_modules. */
export function createListFilesTool(deps: { fs: ListFilesOperations; policy: SandboxPolicy }): ToolDefinition<ListFilesInput> {
  return defineTool({
    name: 'list_files',
    description:
      'List a folder of the project. Paths are relative to the project root; folders end in "/", symlinks in "@". ' +
      'Set recursive to list everything below. .git and node_modules are skipped.',
    schema: listFilesSchema,
    async execute(input, ctx) {
      const guard = await guardPath(deps.fs, deps.policy, ctx, 'list_files', input.path, 'read');
      if (!guard.ok) return guard.result;
      const { root, absolute, relative } = guard.target;

      const info = await deps.fs.stat(absolute);
      if (!info) return errorResult(`Folder not found: ${relative}.`);
      if (info.kind !== 'dir') return errorResult(`${relative} is a file, not a folder; use read_file to read it.`);

      const listing = await walk(deps.fs, root, absolute, { recursive: input.recursive, limit: input.max_entries });
      const lines = listing.entries.map(show);
      if (lines.length === 0) lines.push('(empty folder)');
      if (listing.stoppedEarly) {
        lines.push(`[Stopped at ${input.max_entries} entries; list a narrower folder or use glob.]`);
      }
      for (const folder of listing.unreadable) lines.push(`[Could not read ${folder}/]`);
      return okResult(
        lines.join('\n'),
        `Listed ${relative}${input.recursive ? ' recursively' : ''} (${listing.entries.length}${listing.stoppedEarly ? '+' : ''} entries)`,
      );
    },
  });
}

function show(entry: WalkEntry): string {
  if (entry.kind === 'dir') return `${entry.relative}/`;
  if (entry.kind === 'symlink') return `${entry.relative}@`;
  return entry.relative;
}
