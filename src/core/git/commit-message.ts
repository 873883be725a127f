import { z } from 'zod';
import { taskIdSchema } from '../task-graph/task.js';
import type { TaskCommitRequest } from './ports.js';

/** Why `path` cannot name a file inside the repository, or undefined when it can. */
export function repoPathProblem(path: string): string | undefined {
  if (path.length === 0) return 'a file path must not be empty';
  if (path.includes('\0')) return `"${path.replace(/\0/g, '\\0')}" contains a NUL character`;
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) return `"${path}" is absolute; give the path relative to the repository's top folder`;
  if (path.split(/[\\/]/).includes('..')) return `"${path}" leaves the repository ("..")`;
  return undefined;
}

const repoPathSchema = z.string().superRefine((path, ctx) => {
  const problem = repoPathProblem(path);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/** A task commit request as it arrives from the Builder (possibly from a model's output). */
export const taskCommitRequestSchema = z.strictObject({
  taskId: taskIdSchema,
  title: z
    .string()
    .trim()
    .min(1, 'the title must not be empty')
    .max(200, 'the title is longer than 200 characters; keep it to one short line'),
  body: z.string(),
  files: z.array(repoPathSchema).min(1, 'give at least one file, or leave `files` out to commit every change').optional(),
});

/** A commit message the person writes for their own work. */
export const personCommitMessageSchema = z
  .string()
  .refine((message) => message.trim().length > 0, 'the commit message must not be empty');

/**
 * `TASK-003: <title>`, a blank line, then the body. Line breaks in the title become spaces
 * so the subject stays one line; trailing blank lines of the body go.
 */
export function formatTaskCommitMessage(request: Pick<TaskCommitRequest, 'taskId' | 'title' | 'body'>): string {
  const title = request.title.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  const body = request.body.replace(/\r\n/g, '\n').replace(/\s+$/, '').replace(/^\n+/, '');
  return body.length === 0 ? `${request.taskId}: ${title}` : `${request.taskId}: ${title}\n\n${body}`;
}

/** "taskId: expected ...; files.0: ..." for an invalid request. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length === 0 ? issue.message : `${issue.path.map(String).join('.')}: ${issue.message}`))
    .join('; ');
}
