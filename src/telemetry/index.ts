// The file side of budgets and telemetry: appending records, reading a log, loading prices,
// estimating context tokens. The pure half is src/core/budget.
export { appendTelemetry, toTelemetryLine, type AppendOptions, type AppendOutcome } from './append-telemetry.js';
export { REDACTED, containsSecret, redactSecrets } from './api-key-guard.js';
export { ESTIMATE_ENCODING, estimateContextTokens } from './context-tokens.js';
export { loadPricing, type PricingLocations } from './load-pricing.js';
export { checkpointPathFor } from './log-checkpoint.js';
export {
  parseTelemetryLine,
  summariseLog,
  type CheckpointReport,
  type FullPassReason,
  type InvalidLine,
  type LogSummaryResult,
  type SummariseOptions,
} from './summarise-log.js';
