import { z } from 'zod';
import type { SandboxPolicy } from '../core/policy/types.js';
import { applyEdit, editPreview } from '../core/tools/apply-edit.js';
import { looksBinary, numberedWindow, splitLines } from '../core/tools/line-view.js';
import { defineTool } from '../core/tools/run-tool.js';
import { errorResult, okResult } from '../core/tools/types.js';
import type { ToolDefinition } from '../core/tools/types.js';
import type { FileSystemOperations } from './fs-operations.js';
import { gate, guardPath, resolveTarget } from './path-guard.js';

export const editFileSchema = z.strictObject({
  path: z.string().min(1).describe('File to change, relative to the project root.'),
  old_string: z.string().describe('Exact text to replace, including whitespace; must occur exactly once unless replace_all is set.'),
  new_string: z.string().describe('Text to put in its place.'),
  replace_all: z.boolean().optional().describe('Replace every occurrence instead of requiring exactly one. Default false.'),
});

export type EditFileInput = z.infer<typeof editFileSchema>;

/** Operations edit_file needs. */
export type EditFileOperations = Pick<FileSystemOperations, 'readFile' | 'writeFile' | 'stat' | 'realpath'>;

/** Lines of context returned to the model around the first change. */
const CONTEXT_LINES = 3;

/**
 * edit_file: exact string replacement. The file must be readable and writable under the
 * policy; the edit is checked before anyone is asked, so a person never approves an edit
 * that would fail.
 */
export function createEditFileTool(deps: { fs: EditFileOperations; policy: SandboxPolicy }): ToolDefinition<EditFileInput> {
  return defineTool({
    name: 'edit_file',
    description:
      'Replace an exact piece of text in an existing file. old_string must match the file exactly (copy it from read_file ' +
      'without the line-number prefix) and be unique, or set replace_all. Fails, saying how many matches it found, otherwise.',
    schema: editFileSchema,
    async execute(input, ctx) {
      const readable = await guardPath(deps.fs, deps.policy, ctx, 'edit_file', input.path, 'read');
      if (!readable.ok) return readable.result;
      const target = await resolveTarget(deps.fs, deps.policy, ctx, input.path, 'write');
      if (target.assessment.kind === 'deny') {
        return errorResult(`Denied by the sandbox policy: ${target.assessment.reason}`, `edit_file: denied ${target.relative}`);
      }
      const { absolute, relative } = target;

      const info = await deps.fs.stat(absolute);
      if (!info) return errorResult(`File not found: ${relative}. To create a file, use write_file.`);
      if (info.kind !== 'file') return errorResult(`${relative} is not a regular file.`);
      const bytes = await deps.fs.readFile(absolute);
      if (looksBinary(bytes)) return errorResult(`${relative} is a binary file; edit_file only changes text.`);
      const content = Buffer.from(bytes).toString('utf8');

      const outcome = applyEdit(content, input.old_string, input.new_string, {
        replaceAll: input.replace_all ?? false,
        path: relative,
      });
      if (!outcome.ok) return errorResult(outcome.reason, `edit_file: ${relative} not changed`);

      const diff = editPreview(input.old_string, input.new_string);
      const approved = await gate(target.assessment, { toolName: 'edit_file', kind: 'write', action: relative, detail: diff }, ctx);
      if (!approved.ok) return approved.result;
      await deps.fs.writeFile(absolute, outcome.content);

      const plural = outcome.replacements === 1 ? 'occurrence' : 'occurrences';
      return okResult(
        `Edited ${relative}: replaced ${outcome.replacements} ${plural}.\n${contextAroundChange(outcome.content, content, input.new_string)}`,
        `Edited ${relative} (${outcome.replacements} ${plural})\n${diff}`,
        [relative],
      );
    },
  });
}

/** A few numbered lines around the first change, so the model sees the result without re-reading. */
function contextAroundChange(updated: string, original: string, newString: string): string {
  let at = 0;
  while (at < updated.length && at < original.length && updated[at] === original[at]) at++;
  const line = splitLines(updated.slice(0, at)).length || 1;
  const span = splitLines(newString).length;
  const window = numberedWindow(updated, Math.max(1, line - CONTEXT_LINES), span + CONTEXT_LINES * 2 + 1);
  return window.text;
}
