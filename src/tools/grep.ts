import { z } from 'zod';
import { assess } from '../core/policy/assess.js';
import type { SandboxPolicy } from '../core/policy/types.js';
import { errorMessage } from '../core/errors.js';
import { globToRegExp } from '../core/tools/glob-match.js';
import { looksBinary } from '../core/tools/line-view.js';
import { defineTool } from '../core/tools/run-tool.js';
import { errorResult, okResult } from '../core/tools/types.js';
import type { ToolDefinition } from '../core/tools/types.js';
import type { FileSystemOperations } from './fs-operations.js';
import { guardPath } from './path-guard.js';
import { walk } from './walk.js';
import type { WalkEntry } from './walk.js';

/** Files larger than this are skipped (generated bundles, data dumps). */
const MAX_GREP_FILE_BYTES = 2 * 1024 * 1024;
/** Characters of a matching line shown. */
const MAX_MATCH_CHARS = 300;

export const grepSchema = z.strictObject({
  pattern: z.string().min(1).describe('JavaScript regular expression to look for in each line.'),
  path: z.string().min(1).default('.').describe('File or folder to search, relative to the project root. Default: the root.'),
  glob: z.string().min(1).optional().describe('Only search files matching this glob (a pattern without "/" matches the file name).'),
  case_insensitive: z.boolean().default(false).describe('Ignore case. Default false.'),
  max_results: z.number().int().min(1).max(2_000).default(200).describe('Most matching lines to return. Default 200.'),
});

export type GrepInput = z.infer<typeof grepSchema>;

/** Operations grep needs. */
export type GrepOperations = Pick<FileSystemOperations, 'readdir' | 'stat' | 'realpath' | 'readFile'>;

/**
 * grep: matching lines as `path:line:text`. Secret files, symlinks, binaries and huge
 * files are skipped (and counted), so a search cannot leak what read_file would refuse.
 */
export function createGrepTool(deps: { fs: GrepOperations; policy: SandboxPolicy }): ToolDefinition<GrepInput> {
  return defineTool({
    name: 'grep',
    description:
      'Search file contents with a regular expression. Returns "path:line:text" lines, paths relative to the project root. ' +
      'Use glob to limit the files (e.g. "*.ts"). Skips .git, node_modules, binaries and secret files.',
    schema: grepSchema,
    async execute(input, ctx) {
      let regex: RegExp;
      try {
        regex = new RegExp(input.pattern, input.case_insensitive ? 'i' : '');
      } catch (error) {
        return errorResult(`Invalid regular expression ${input.pattern}: ${errorMessage(error)}`);
      }
      const guard = await guardPath(deps.fs, deps.policy, ctx, 'grep', input.path, 'read');
      if (!guard.ok) return guard.result;
      const { root, absolute, relative } = guard.target;
      const info = await deps.fs.stat(absolute);
      if (!info) return errorResult(`Not found: ${relative}.`);

      let files: WalkEntry[];
      let stoppedEarly = false;
      if (info.kind === 'dir') {
        const listing = await walk(deps.fs, root, absolute, { recursive: true });
        stoppedEarly = listing.stoppedEarly;
        files = listing.entries.filter((entry) => entry.kind === 'file');
      } else {
        files = [{ absolute, relative, fromStart: relative.split('/').pop() ?? relative, kind: 'file' }];
      }
      if (input.glob !== undefined) {
        const matcher = globToRegExp(input.glob);
        const byName = !input.glob.includes('/');
        files = files.filter((f) => matcher.test(byName ? (f.fromStart.split('/').pop() ?? '') : f.fromStart));
      }

      const matches: string[] = [];
      const matchedFiles = new Set<string>();
      let skippedSecret = 0;
      let skippedLarge = 0;
      let more = false;
      for (const file of files) {
        if (assess({ kind: 'read', root, path: file.absolute }, deps.policy).kind !== 'allow') {
          skippedSecret++;
          continue;
        }
        const size = (await deps.fs.stat(file.absolute))?.size ?? 0;
        if (size > MAX_GREP_FILE_BYTES) {
          skippedLarge++;
          continue;
        }
        const bytes = await deps.fs.readFile(file.absolute);
        if (looksBinary(bytes)) continue;
        const lines = Buffer.from(bytes).toString('utf8').split(/\r?\n/);
        for (let i = 0; i < lines.length; i++) {
          const line = lines[i] as string;
          if (!regex.test(line)) continue;
          if (matches.length >= input.max_results) {
            more = true;
            break;
          }
          const text = line.length > MAX_MATCH_CHARS ? `${line.slice(0, MAX_MATCH_CHARS)}...` : line;
          matches.push(`${file.relative}:${i + 1}:${text}`);
          matchedFiles.add(file.relative);
        }
        if (more) break;
      }

      const notes: string[] = [];
      if (more) notes.push(`[Stopped at ${input.max_results} matches; narrow the pattern, path or glob.]`);
      if (skippedSecret > 0) notes.push(`[Skipped ${skippedSecret} secret file(s) the policy does not let tools read.]`);
      if (skippedLarge > 0) notes.push(`[Skipped ${skippedLarge} file(s) over ${MAX_GREP_FILE_BYTES} bytes.]`);
      if (stoppedEarly) notes.push('[The folder is very large; the search stopped early.]');
      const body = matches.length > 0 ? matches.join('\n') : `No matches for /${input.pattern}/ in ${relative}.`;
      return okResult(
        [body, ...notes].join('\n'),
        `grep /${input.pattern}/ in ${relative}: ${matches.length}${more ? '+' : ''} matches in ${matchedFiles.size} files`,
      );
    },
  });
}
