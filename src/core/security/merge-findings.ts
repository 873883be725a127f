import type { SecurityFinding } from './finding.js';

/**
 * A new scan and review replace the findings, but not the person's decisions: an acceptance
 * (with its reason) follows the same finding into the new report, and a finding that is no
 * longer found is kept as `resolved`, so the report shows what the fixes achieved.
 */

const normal = (text: string): string => text.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * What makes two findings the same across runs when their ids differ (agent ids are per run;
 * scanner ids carry the line). Never the line: an edit above a finding moves it without
 * changing it. The same source, domain, file (and commit) and either the same code snippet
 * (evidence) or the same title.
 */
function fingerprints(f: SecurityFinding): string[] {
  const where = [f.source, f.domain, f.file, f.commit ?? ''].join('\u0000');
  return [`${where}\u0000evidence\u0000${normal(f.evidence)}`, `${where}\u0000title\u0000${normal(f.title)}`];
}

const AGENT_ID = /^AGENT-(\d+)$/;

/**
 * Merges this run's findings with the previous SAST_FINDINGS.jsonl. Matching is by id (when
 * the fingerprints agree), then by fingerprint, the nearest line first when several match;
 * matched findings keep the previous id and an acceptance, and take this run's line. New
 * agent findings are numbered after every agent id used before, so an id never means two
 * different findings.
 */
export function mergeFindings(previous: readonly SecurityFinding[], current: readonly SecurityFinding[]): SecurityFinding[] {
  const byId = new Map(previous.map((f) => [f.id, f]));
  const byPrint = new Map<string, SecurityFinding[]>();
  for (const f of previous) for (const print of fingerprints(f)) byPrint.set(print, [...(byPrint.get(print) ?? []), f]);
  let nextAgent = Math.max(0, ...previous.map((f) => Number(AGENT_ID.exec(f.id)?.[1] ?? 0)));
  const matched = new Set<SecurityFinding>();
  const used = new Set<string>();
  const merged: SecurityFinding[] = [];

  const match = (finding: SecurityFinding): SecurityFinding | undefined => {
    const prints = fingerprints(finding);
    const sameId = byId.get(finding.id);
    if (sameId !== undefined && !matched.has(sameId) && fingerprints(sameId).some((p) => prints.includes(p))) return sameId;
    const candidates = [...new Set(prints.flatMap((p) => byPrint.get(p) ?? []))].filter((f) => !matched.has(f));
    return candidates.sort((a, b) => Math.abs(a.line - finding.line) - Math.abs(b.line - finding.line))[0];
  };

  for (const finding of current) {
    const before = match(finding);
    if (before !== undefined) matched.add(before);
    let id = before?.id ?? finding.id;
    if (before === undefined && finding.source === 'agent') id = `AGENT-${String(++nextAgent).padStart(3, '0')}`;
    if (used.has(id)) id = `${id}#${merged.length + 1}`;
    used.add(id);
    const kept = before?.status === 'accepted' && before.acceptedReason !== undefined ? { status: 'accepted' as const, acceptedReason: before.acceptedReason } : { status: 'open' as const };
    const { acceptedReason: _dropped, ...rest } = finding;
    merged.push({ ...rest, id, ...kept });
  }
  for (const old of previous) {
    if (matched.has(old) || used.has(old.id)) continue;
    const { acceptedReason: _dropped, ...rest } = old;
    merged.push({ ...rest, status: 'resolved' });
    used.add(old.id);
  }
  return merged;
}
