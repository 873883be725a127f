/** Pure tool types and helpers; the tools themselves live in src/tools. */
export { applyEdit, countOccurrences, editPreview } from './apply-edit.js';
export type { EditOutcome } from './apply-edit.js';
export { approvalKey, createSessionApprover } from './approvals.js';
export type { SessionApprover } from './approvals.js';
export { expandBraces, globToRegExp, hasGlobMagic, matchGlob } from './glob-match.js';
export type { GlobOptions } from './glob-match.js';
export { DEFAULT_READ_LIMIT, looksBinary, MAX_LINE_CHARS, numberedWindow, splitLines } from './line-view.js';
export type { LineWindow } from './line-view.js';
export { FILE_TOOL_NAMES, isFileToolName } from './names.js';
export type { FileToolName } from './names.js';
export { defineTool, formatZodIssues, MAX_LLM_CONTENT_CHARS, runTool, truncateMiddle } from './run-tool.js';
export { errorResult, okResult } from './types.js';
export type {
  ApprovalDecision,
  ApprovalKind,
  ApprovalRequest,
  ApproveFn,
  ToolContext,
  ToolDefinition,
  ToolResult,
} from './types.js';
