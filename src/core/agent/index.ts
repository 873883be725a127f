/** The agent loop (pure): runAgent, its event and outcome unions, the budget port, structured tools. */
export { driveAgent, finishedInput, runAgent } from './agent-loop.js';
export type {
  AgentErrorEvent,
  AgentEvent,
  AgentFailure,
  AgentOutcome,
  AgentRetryEvent,
  AgentRunSpec,
  AgentTextDeltaEvent,
  BudgetDecision,
  BudgetGuard,
  CallEstimate,
  CallRecord,
  CallRelease,
  RunAgentOptions,
  ToolCallEvent,
  ToolResultEvent,
  TurnEndEvent,
  TurnStartEvent,
  UsageEvent,
} from './agent-types.js';
export {
  answerQuestion,
  appendUserText,
  messageText,
  transcriptProblem,
  userMessage,
} from './conversation.js';
export { CHARS_PER_TOKEN_ESTIMATE, RequestSizeEstimate } from './request-size.js';
export {
  ASK_USER_TOOL,
  BASE_STRUCTURED_TOOLS,
  REPORT_STATUSES,
  REPORT_STATUS_TOOL,
  askUserSchema,
  reportStatusSchema,
  toInputJsonSchema,
  toToolSpec,
  validateStructuredInput,
  type AskUserInput,
  type ReportStatus,
  type ReportStatusInput,
  type StructuredToolSpec,
  type StructuredValidation,
} from './structured-tools.js';
