import type { Approval } from '../handoff/handoff.schema.js';
import { GATES, GATE_SPECS, type Gate } from './gates.js';

/** An approved artifact whose bytes are no longer the ones the person approved. */
export interface StaleApproval {
  readonly gate: Gate;
  readonly artifact: string;
  readonly approvedAt: string;
  /** The artifact's hash now, or undefined when the file is gone. */
  readonly currentSha256: string | undefined;
}

/** The latest approval of each gate. */
export function latestApprovals(approvals: readonly Approval[]): Map<Gate, Approval> {
  const latest = new Map<Gate, Approval>();
  for (const approval of approvals) latest.set(approval.gate, approval);
  return latest;
}

/** Every artifact named by the latest approvals, for the caller to hash. */
export function approvedArtifacts(approvals: readonly Approval[]): string[] {
  return [...new Set([...latestApprovals(approvals).values()].flatMap((a) => a.artifacts.map((f) => f.name)))];
}

/** Pure: the approvals whose artifacts changed since, given each artifact's current hash. */
export function staleApprovals(approvals: readonly Approval[], current: ReadonlyMap<string, string | undefined>): StaleApproval[] {
  const stale: StaleApproval[] = [];
  for (const approval of latestApprovals(approvals).values()) {
    for (const file of approval.artifacts) {
      const now = current.get(file.name);
      if (now !== file.sha256) stale.push({ gate: approval.gate, artifact: file.name, approvedAt: approval.at, currentSha256: now });
    }
  }
  return stale;
}

/** The gates that come before `gate`: their approvals must still hold for it to pass. */
export function earlierGates(gate: Gate): Gate[] {
  return GATES.slice(0, GATES.indexOf(gate));
}

/** "feature-spec.md changed since !plan approved it (2026-…); review it and type !plan again." */
export function describeStale(stale: StaleApproval): string {
  const what = stale.currentSha256 === undefined ? 'was deleted' : 'changed';
  return `${stale.artifact} ${what} since ${GATE_SPECS[stale.gate].command} approved it (${stale.approvedAt}); review it and type ${GATE_SPECS[stale.gate].command} again to re-approve.`;
}
