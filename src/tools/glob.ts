import { z } from 'zod';
import type { SandboxPolicy } from '../core/policy/types.js';
import { globToRegExp } from '../core/tools/glob-match.js';
import { defineTool } from '../core/tools/run-tool.js';
import { errorResult, okResult } from '../core/tools/types.js';
import type { ToolDefinition } from '../core/tools/types.js';
import type { FileSystemOperations } from './fs-operations.js';
import { guardPath } from './path-guard.js';
import { walk } from './walk.js';

export const globSchema = z.strictObject({
  pattern: z
    .string()
    .min(1)
    .describe('Glob matched against paths relative to `path`: ** any folders, * any name part, ? one character, {a,b} either.'),
  path: z.string().min(1).default('.').describe('Folder to search from, relative to the project root. Default: the root.'),
  max_results: z.number().int().min(1).max(5_000).default(500).describe('Most paths to return. Default 500.'),
});

export type GlobInput = z.infer<typeof globSchema>;

/** Operations glob needs. */
export type GlobOperations = Pick<FileSystemOperations, 'readdir' | 'stat' | 'realpath'>;

/** glob: files whose path matches a pattern (e.g. `src/**\/*.ts`), skipping .git and node_modules. */
export function createGlobTool(deps: { fs: GlobOperations; policy: SandboxPolicy }): ToolDefinition<GlobInput> {
  return defineTool({
    name: 'glob',
    description:
      'Find files by name pattern, e.g. "**/*.ts" or "src/**/*.{ts,tsx}". The pattern is matched against paths relative to ' +
      '`path` (default the project root); results are relative to the project root, sorted. .git and node_modules are skipped.',
    schema: globSchema,
    async execute(input, ctx) {
      const guard = await guardPath(deps.fs, deps.policy, ctx, 'glob', input.path, 'read');
      if (!guard.ok) return guard.result;
      const { root, absolute, relative } = guard.target;
      const info = await deps.fs.stat(absolute);
      if (info?.kind !== 'dir') return errorResult(`Folder not found: ${relative}.`);

      const matcher = globToRegExp(input.pattern);
      const listing = await walk(deps.fs, root, absolute, { recursive: true });
      const matches = listing.entries
        .filter((entry) => entry.kind !== 'dir' && matcher.test(entry.fromStart))
        .map((entry) => entry.relative);
      const shown = matches.slice(0, input.max_results);
      const notes: string[] = [];
      if (matches.length > shown.length) notes.push(`[${matches.length - shown.length} more matches not shown; narrow the pattern.]`);
      if (listing.stoppedEarly) notes.push('[The folder is very large; the search stopped early. Search a narrower folder.]');
      const body = shown.length > 0 ? shown.join('\n') : `No files match ${input.pattern} under ${relative}.`;
      return okResult([body, ...notes].join('\n'), `glob ${input.pattern} in ${relative}: ${matches.length} files`);
    },
  });
}
