import type { LedgerSnapshot } from '../budget/ledger.js';
import { renderBudgetStatus } from '../budget/render-budget.js';
import type { Place } from '../commands/registry.js';
import type { CommandResult } from '../commands/types.js';
import { agentLabel } from '../pipeline/stages.js';
import { shippedText } from '../release/release-history.js';
import type { OpenProject } from './open-project.js';
import type { SessionStatus } from './session-events.js';

/** What the status bar is made from. */
export interface StatusInput {
  readonly project: OpenProject | undefined;
  readonly ledger: LedgerSnapshot | undefined;
  /** What the active agent is doing, after its name; asked only while a project is open. */
  readonly activity: () => string;
  readonly waitingFor: string | undefined;
}

/** The status bar: the project and its stage (shipped, paused), the active agent, spending, and what the session waits for. */
export function sessionStatus({ project, ledger, activity, waitingFor }: StatusInput): SessionStatus {
  const base = { agent: 'Orchestrator (agent 0)', budget: ledger ? renderBudgetStatus(ledger) : 'budget: not set', budgetTier: ledger?.tier ?? ('ok' as const) };
  if (!project) return waitingFor ? { ...base, waitingFor } : base;
  const position = project.position();
  const status: SessionStatus = {
    ...base,
    project: project.handoff.project.name,
    stage: `${position.stage}${project.handoff.milestone === 'shipped' ? ` (${shippedText(project.handoff)})` : ''}${position.paused ? ' (paused)' : ''}`,
    agent: `${agentLabel(position.stage)}${activity()}`,
  };
  return waitingFor ? { ...status, waitingFor } : status;
}

/** What the status bar says the active agent does: the Builder's run comes before the stage agent's turn. */
export function activityText(building: boolean, agent: 'idle' | 'running' | 'waiting'): string {
  if (building) return ' — building';
  switch (agent) {
    case 'running':
      return ' — working';
    case 'waiting':
      return ' — waiting for you';
    case 'idle':
      return '';
  }
}

/** Where the session stands, which decides the commands valid now. */
export function placeOf(project: OpenProject | undefined): Place {
  if (!project) return { kind: 'no-project' };
  const position = project.position();
  return { kind: 'project', stage: position.stage, paused: position.paused };
}

/** What the session is busy with when a command's result is to be carried out. */
export interface Busy {
  readonly building: boolean;
  /** A stage agent's turn is in flight or waits for the person. */
  readonly agentActive: boolean;
  readonly agentWaiting: boolean;
}

/**
 * Why `result` must wait, or undefined when it can go ahead. The pipeline does not move under a
 * running build or a stage agent's turn; !pause is the exception for the build, which it stops.
 */
export function busyRefusal(result: CommandResult, busy: Busy): string | undefined {
  if ((result.kind === 'gate' || result.kind === 'confirm' || result.kind === 'review') && busy.building) {
    return 'The build is running — wait for it, or press Ctrl+C (or !pause) to stop it, before moving the pipeline.';
  }
  // `!gates` with nothing after it only reads: it may look while an agent works.
  const readsOnly = result.kind === 'build' && result.action.kind === 'gates' && result.action.change.kind === 'show';
  if ((result.kind === 'gate' || result.kind === 'pipeline' || result.kind === 'confirm' || result.kind === 'build' || result.kind === 'review') && busy.agentActive && !readsOnly) {
    const what = busy.agentWaiting ? 'is waiting for your answer — answer it' : 'is working — wait for it';
    // A settings change (!gates set) moves no stage, so it is not called moving the pipeline.
    const before = result.kind === 'build' && result.action.kind === 'gates' ? 'before changing the gate commands' : 'before moving the pipeline';
    return `The agent ${what}, or press Ctrl+C to cancel its turn, ${before}.`;
  }
  return undefined;
}
