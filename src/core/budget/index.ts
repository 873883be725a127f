// The budget module: prices, cost, the session ledger, telemetry records and their summary.
// Pure; the file side (append, read, pricing.json, token estimates) is in src/telemetry.
export { applyBudgetAction } from './apply-budget-action.js';
export { contextUseOf, type BudgetAction, type BudgetCommandResult, type BudgetView, type ContextUse } from './budget-view.js';
export { MAX_BUDGET_USD, costNanosOf, costOf, formatUsd, groupDigits, nanosToUsd, usdToNanos, worstCaseNanos } from './cost.js';
export {
  BudgetLedger,
  type BudgetTier,
  type CallCheck,
  type CallProjection,
  type CallTicket,
  type LedgerSnapshot,
  type NamedTotals,
  type SpendTotals,
  type SpentCall,
} from './ledger.js';
export { lookupPrice, modelPriceSchema, pricingFileSchema, type ModelPrice, type PriceLookup, type PricingFile } from './pricing.js';
export { CONTEXT_WARNING_PERCENT, renderBudget, renderBudgetStatus } from './render-budget.js';
export { SummaryBuilder, cacheHitRatio, summarise, type AgentSpend, type SummaryTally, type TelemetrySummary, type TokenCounts } from './summary.js';
export {
  BUDGET_TIERS,
  ISO_UTC_TIME,
  MAX_LABEL_LENGTH,
  TELEMETRY_FIELDS,
  telemetryRecordSchema,
  toTelemetryRecord,
  type FinishedCall,
  type TelemetryRecord,
} from './telemetry-record.js';
