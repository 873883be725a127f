import type { z } from 'zod';

/**
 * What a tool hands back. `llmContent` is what the model reads; `display` is the short
 * title (or small diff) the person sees in the transcript. The two are kept apart so a
 * 2,000-line file read does not flood the screen and a diff meant for eyes is not fed
 * to the model.
 */
export interface ToolResult {
  llmContent: string;
  display: string;
  /** True when the model should treat the call as failed (bad input, denied, threw). */
  isError: boolean;
  /** Project-relative paths this call wrote, for the checkpoint and the Verifier. */
  changedFiles?: string[];
}

/** The three things a tool can ask the policy about. */
export type ApprovalKind = 'read' | 'write' | 'run';

/**
 * The exact action a tool wants to take and why the policy did not simply allow it.
 * The UI shows `action` verbatim (the command line as it will run, or the path).
 */
export interface ApprovalRequest {
  toolName: string;
  kind: ApprovalKind;
  /** The command exactly as it will be run, or the project-relative path. */
  action: string;
  /** The policy's reason for asking. */
  reason: string;
  /** Optional extra for the person, such as the first lines of content to be written. */
  detail?: string;
}

/** 'always' means yes now, and the caller may remember it (see `createSessionApprover`). */
export type ApprovalDecision = 'yes' | 'no' | 'always';

/**
 * The "ask" port: the UI shows the person the exact action and waits. Nothing is
 * auto-denied on a timeout; the only way out without an answer is the abort signal.
 */
export type ApproveFn = (request: ApprovalRequest) => Promise<ApprovalDecision>;

/** What every tool call receives from the agent loop. */
export interface ToolContext {
  /** Absolute path of the project; every path a tool touches must resolve inside it. */
  projectRoot: string;
  signal?: AbortSignal;
  approve: ApproveFn;
}

/**
 * A tool as the agent loop sees it: schema-first, validated by `runTool` before
 * `execute` runs, so `execute` always receives input of type `I`.
 * `execute` may throw; `runTool` turns that into an is_error result.
 */
export interface ToolDefinition<I = unknown> {
  name: string;
  description: string;
  schema: z.ZodType<I>;
  /** JSON Schema of the input, for the model (`z.toJSONSchema(schema)`). */
  jsonSchema: Record<string, unknown>;
  // Method syntax on purpose: it keeps `ToolDefinition<{ path: string }>` assignable to
  // `ToolDefinition` in a heterogeneous list (parameters of methods are bivariant).
  execute(input: I, ctx: ToolContext): Promise<ToolResult>;
}

/** A result the model should read as a failure. */
export function errorResult(llmContent: string, display?: string): ToolResult {
  return { llmContent, display: display ?? firstLine(llmContent), isError: true };
}

/** A successful result. */
export function okResult(llmContent: string, display: string, changedFiles?: string[]): ToolResult {
  return changedFiles === undefined
    ? { llmContent, display, isError: false }
    : { llmContent, display, isError: false, changedFiles };
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
