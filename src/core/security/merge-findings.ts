import type { SecurityFinding } from './finding.js';

/**
 * A new scan and review replace the findings, but not the person's decisions: an acceptance
 * (with its reason) follows the same finding into the new report, and a finding that is no
 * longer found is kept as `resolved`, so the report shows what the fixes achieved.
 */

/** What makes two findings the same across runs when their ids differ (agent ids are per run). */
function fingerprint(f: SecurityFinding): string {
  return [f.source, f.domain, f.file, f.line, f.commit ?? '', f.title.trim().toLowerCase()].join('\u0000');
}

const AGENT_ID = /^AGENT-(\d+)$/;

/**
 * Merges this run's findings with the previous SAST_FINDINGS.jsonl. Matching is by id, then by
 * fingerprint; matched findings keep the previous id and an acceptance; new agent findings are
 * numbered after every agent id used before, so an id never means two different findings.
 */
export function mergeFindings(previous: readonly SecurityFinding[], current: readonly SecurityFinding[]): SecurityFinding[] {
  const byId = new Map(previous.map((f) => [f.id, f]));
  const byPrint = new Map(previous.map((f) => [fingerprint(f), f]));
  let nextAgent = Math.max(0, ...previous.map((f) => Number(AGENT_ID.exec(f.id)?.[1] ?? 0)));
  const used = new Set<string>();
  const merged: SecurityFinding[] = [];

  for (const finding of current) {
    const sameId = byId.get(finding.id);
    const before = sameId !== undefined && fingerprint(sameId) === fingerprint(finding) ? sameId : byPrint.get(fingerprint(finding));
    let id = before?.id ?? finding.id;
    if (before === undefined && finding.source === 'agent') id = `AGENT-${String(++nextAgent).padStart(3, '0')}`;
    if (used.has(id)) id = `${id}#${merged.length + 1}`;
    used.add(id);
    const kept = before?.status === 'accepted' && before.acceptedReason !== undefined ? { status: 'accepted' as const, acceptedReason: before.acceptedReason } : { status: 'open' as const };
    const { acceptedReason: _dropped, ...rest } = finding;
    merged.push({ ...rest, id, ...kept });
  }
  for (const old of previous) {
    if (used.has(old.id)) continue;
    const { acceptedReason: _dropped, ...rest } = old;
    merged.push({ ...rest, status: 'resolved' });
    used.add(old.id);
  }
  return merged;
}
