/** The Builder's pure parts: gates and receipts, repair and review policy, patrol, scheduler. */
export { canonicalJson } from './canonical-json.js';
export {
  GATE_ORDER,
  detectGateCommands,
  effectiveGateCommands,
  gateCommandsSchema,
  packageJsonSubsetSchema,
  parseGateCommands,
  type GateCommand,
  type GateCommandsResult,
  type GateDetection,
  type GateName,
} from './gate-commands.js';
export {
  DEFAULT_FAILED_TASK_LIMIT,
  DEFAULT_IDLE_TURN_LIMIT,
  DEFAULT_REPEAT_LIMIT,
  Patrol,
  type BuildState,
  type PatrolConfig,
  type PatrolEvent,
  type PatrolVerdict,
  type StallRule,
  type StalledTask,
} from './patrol.js';
export {
  RECEIPT_TAIL_CHARS,
  RECEIPT_TAIL_LINES,
  describeExit,
  firstFailure,
  formatDuration,
  howItEnded,
  outputTail,
  receiptFromRun,
  receiptPassed,
  receiptsPass,
  renderReceiptSummary,
  type GateRunResult,
  type Receipt,
  type ReceiptSummaryOptions,
} from './receipts.js';
export { MAX_REPAIR_ATTEMPTS, nextAfterGateFailure, repairFeedback, type GateRun, type RepairDecision, type RepairPolicy } from './repair-policy.js';
export {
  FINDING_SEVERITIES,
  REPORT_REVIEW_TOOL,
  REVIEW_STAGES,
  REVIEW_STAGE_TITLES,
  REVIEW_VERDICTS,
  reportReviewSchema,
  reviewFindingSchema,
  type FindingSeverity,
  type ReportReviewInput,
  type ReviewFinding,
  type ReviewStage,
  type ReviewVerdict,
} from './review-report.js';
export {
  MAX_REVIEW_ROUNDS,
  checkReviewFindings,
  findingsForBuilder,
  recordReviewRound,
  startReview,
  type CheckedReview,
  type Escalation,
  type RejectedFinding,
  type ReviewRoundRecord,
  type ReviewState,
  type ReviewStep,
} from './review-rounds.js';
export {
  buildSettled,
  compareTaskIds,
  markedTasks,
  nextAssignments,
  readyTasks,
  statusOf,
  waitingTasks,
  type MarkedTask,
  type ScheduleState,
  type WaitingTask,
} from './scheduler.js';
export { criticalPathLength, makespanLowerBound, simulateBuild, totalWork, type Simulation, type SimulationOptions, type TimelineEntry } from './simulate-build.js';
