import { findSecretsInLine, redactSecret, type SecretRule } from '../core/security/secret-rules.js';
import type { ScannerNote, SecurityFinding } from '../core/security/finding.js';
import { readGitHistory, type GitHistoryOptions } from './git-history.js';
import { describeWalk, emptyWalkStats, readTextFiles, splitLines, type WalkOptions } from './project-files.js';

/**
 * Secrets in the working tree and in every commit. A secret that is still in the tree is
 * reported there (with the commit that first added it); one that was removed is reported
 * at the commit that added it, because anyone with a clone still has it.
 */

/** Findings with the scanners' account of what they covered. */
export interface ScanResult {
  readonly findings: SecurityFinding[];
  readonly notes: ScannerNote[];
}

export interface SecretScanOptions extends GitHistoryOptions, WalkOptions {
  /** Set false to scan the working tree only. */
  readonly history?: boolean;
}

/** Where a secret value was first committed (the oldest commit git printed it in). */
interface HistoryHit {
  readonly rule: SecretRule;
  readonly value: string;
  readonly commit: string;
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

const fingerprint = (rule: SecretRule, value: string): string => `${rule.id}\u0000${value}`;

function treeFinding(file: string, line: number, column: number, rule: SecretRule, value: string, since: HistoryHit | undefined): SecurityFinding {
  const history = since === undefined ? '' : ` First committed in ${since.commit.slice(0, 12)}.`;
  return {
    id: `secrets:${rule.id}:${file}:${line}`,
    severity: rule.severity,
    domain: 'S7',
    title: rule.title,
    file,
    line,
    evidence: `${rule.title} at column ${column}: ${redactSecret(value)}.${history}`,
    source: 'scanner:secrets',
    status: 'open',
    fix: 'Rotate the credential now, remove it from the code, and read it from the environment or a secret store.',
  };
}

function historyFinding(hit: HistoryHit): SecurityFinding {
  const short = hit.commit.slice(0, 12);
  return {
    id: `secrets:history:${hit.rule.id}:${short}:${hit.path}:${hit.line}`,
    severity: hit.rule.severity,
    domain: 'S7',
    title: `${hit.rule.title} in git history`,
    file: hit.path,
    line: hit.line,
    commit: hit.commit,
    evidence:
      `${hit.rule.title} added in commit ${short} at ${hit.path}:${hit.line}, column ${hit.column}: ${redactSecret(hit.value)}. ` +
      'It is no longer in the working tree, but every clone of the history still has it.',
    source: 'scanner:secrets',
    status: 'open',
    fix: 'Rotate the credential; removing it from the files does not revoke it. Rewrite history only if the repository has not been shared.',
  };
}

/** Scans the added lines of every commit; the map holds, per secret, the oldest commit that added it. */
async function scanHistory(root: string, options: SecretScanOptions): Promise<{ hits: Map<string, HistoryHit>; note: ScannerNote }> {
  const hits = new Map<string, HistoryHit>();
  const history = await readGitHistory(root, options);
  if (history.kind === 'unavailable') {
    return { hits, note: { scanner: 'history', ran: false, message: `git history not scanned: ${history.reason}` } };
  }
  // git prints newest first, so a later sighting of the same secret is an older commit.
  for (const added of history.lines) {
    for (const match of findSecretsInLine(added.path, added.text)) {
      hits.set(fingerprint(match.rule, match.value), {
        rule: match.rule,
        value: match.value,
        commit: added.commit,
        path: added.path,
        line: added.line,
        column: match.column,
      });
    }
  }
  const cut = history.truncated ? '; the log was longer than the output limit and its middle part was not scanned' : '';
  return {
    hits,
    note: { scanner: 'history', ran: true, message: `${history.commits} commit${history.commits === 1 ? '' : 's'} scanned (added lines of every branch)${cut}` },
  };
}

/** Secrets in the working tree and, unless `history: false`, in the project's commits. */
export async function scanSecrets(root: string, options: SecretScanOptions = {}): Promise<ScanResult> {
  const notes: ScannerNote[] = [];
  const findings: SecurityFinding[] = [];
  const { hits, note } =
    options.history === false
      ? { hits: new Map<string, HistoryHit>(), note: { scanner: 'history', ran: false, message: 'git history not scanned: turned off for this run' } as const }
      : await scanHistory(root, options);

  const inTree = new Set<string>();
  const stats = emptyWalkStats();
  for await (const file of readTextFiles(root, stats, options)) {
    splitLines(file.text).forEach((text, index) => {
      for (const match of findSecretsInLine(file.path, text)) {
        const key = fingerprint(match.rule, match.value);
        inTree.add(key);
        findings.push(treeFinding(file.path, index + 1, match.column, match.rule, match.value, hits.get(key)));
      }
    });
  }
  notes.push({ scanner: 'secrets', ran: true, message: `working tree: ${describeWalk(stats)}` });
  notes.push(note);

  for (const [key, hit] of hits) {
    if (!inTree.has(key)) findings.push(historyFinding(hit));
  }
  return { findings, notes };
}
