import path from 'node:path';
import { assess } from '../core/policy/assess.js';
import { displayPath, isInside } from '../core/policy/paths.js';
import type { Assessment, SandboxPolicy } from '../core/policy/types.js';
import { errorResult } from '../core/tools/types.js';
import type { ApprovalDecision, ApprovalRequest, ToolContext, ToolResult } from '../core/tools/types.js';
import { isMissing } from './fs-operations.js';
import type { FileSystemOperations } from './fs-operations.js';

/** A path a tool may go on to use, or the result to hand back instead. */
export type GateOutcome = { ok: true } | { ok: false; result: ToolResult };

/** A path resolved against the real project root, with the policy's view of it. */
export interface ResolvedTarget {
  /** The project root with symlinks resolved. */
  root: string;
  absolute: string;
  /** Project-relative, '/'-separated ('.' for the root), for messages and changedFiles. */
  relative: string;
  assessment: Assessment;
}

/**
 * Resolves `input` for a read or a write and asks the policy about it. The realpath of the
 * target (or, for a file not yet created, of its nearest existing folder) goes into the
 * request so a symlink pointing out of the project is caught.
 */
export async function resolveTarget(
  fs: Pick<FileSystemOperations, 'realpath'>,
  policy: SandboxPolicy,
  ctx: ToolContext,
  input: string,
  kind: 'read' | 'write',
): Promise<ResolvedTarget> {
  const root = await fs.realpath(ctx.projectRoot);
  const lexical = path.resolve(ctx.projectRoot, input);
  // An absolute path written against the root as the caller knows it is re-based onto the real root.
  const absolute = isInside(ctx.projectRoot, lexical) ? path.join(root, path.relative(ctx.projectRoot, lexical)) : lexical;
  const realPath = await realpathOfNearest(fs, absolute);
  const assessment = assess({ kind, root, path: absolute, realPath }, policy);
  return { root, absolute, relative: displayPath(root, absolute), assessment };
}

/** realpath of `absolute`, or of its nearest existing ancestor with the rest appended. */
export async function realpathOfNearest(
  fs: Pick<FileSystemOperations, 'realpath'>,
  absolute: string,
): Promise<string> {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      const real = await fs.realpath(current);
      return missing.length === 0 ? real : path.join(real, ...missing.reverse());
    } catch (error) {
      if (!isMissing(error)) throw error;
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

/**
 * Acts on an assessment: allow goes on; deny becomes an is_error result with the reason;
 * ask shows the person the exact action through `ctx.approve` and waits ('yes' and
 * 'always' go on, 'no' becomes an is_error result telling the model not to retry).
 */
export async function gate(
  assessment: Assessment,
  request: Omit<ApprovalRequest, 'reason'>,
  ctx: ToolContext,
): Promise<GateOutcome> {
  if (assessment.kind === 'allow') return { ok: true };
  if (assessment.kind === 'deny') {
    return {
      ok: false,
      result: errorResult(
        `Denied by the sandbox policy: ${assessment.reason}`,
        `${request.toolName}: denied ${request.action}`,
      ),
    };
  }
  // A stopped task asks no one.
  const decision = ctx.signal?.aborted ? 'stopped' : await untilStopped(ctx.approve({ ...request, reason: assessment.reason }), ctx.signal);
  if (decision === 'yes' || decision === 'always') return { ok: true };
  if (decision === 'stopped' || ctx.signal?.aborted) {
    return {
      ok: false,
      result: errorResult(
        `The task was stopped while this ${request.kind} waited for the person's approval, so it was not done: ${request.action}`,
        `${request.toolName}: stopped before ${request.action} was approved`,
      ),
    };
  }
  return {
    ok: false,
    result: errorResult(
      `The person declined this ${request.kind}: ${request.action}\n(${assessment.reason})\n` +
        'Do not try the same action again; choose another way or explain why it is needed.',
      `${request.toolName}: declined ${request.action}`,
    ),
  };
}

/**
 * The person's answer, or 'stopped' as soon as the task is stopped: waiting for a person never
 * outlives the task (the approver withdraws its question on the same signal). No timeout.
 */
function untilStopped(answer: Promise<ApprovalDecision>, signal: AbortSignal | undefined): Promise<ApprovalDecision | 'stopped'> {
  if (!signal) return answer;
  if (signal.aborted) return Promise.resolve('stopped');
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve('stopped');
    signal.addEventListener('abort', onAbort, { once: true });
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** `resolveTarget` then `gate`, for tools that need nothing in between. */
export async function guardPath(
  fs: Pick<FileSystemOperations, 'realpath'>,
  policy: SandboxPolicy,
  ctx: ToolContext,
  toolName: string,
  input: string,
  kind: 'read' | 'write',
  detail?: string,
): Promise<{ ok: true; target: ResolvedTarget } | { ok: false; result: ToolResult }> {
  const target = await resolveTarget(fs, policy, ctx, input, kind);
  const request: Omit<ApprovalRequest, 'reason'> = { toolName, kind, action: target.relative };
  const outcome = await gate(target.assessment, detail === undefined ? request : { ...request, detail }, ctx);
  return outcome.ok ? { ok: true, target } : outcome;
}
