import { compareFindings, uniqueIds, type ScannerNote, type SecurityFinding } from '../core/security/finding.js';
import { checkCitations, type FileIndex } from '../core/verdicts/evidence.js';
import { scanDependencies, type DepsScanOptions } from './deps-scanner.js';
import { createFileIndex } from './file-index.js';
import { scanDangerousPatterns } from './patterns-scanner.js';
import { scanSecrets, type ScanResult, type SecretScanOptions } from './secrets-scanner.js';

/**
 * All of the runtime's own security checks over one project, with every finding's file:line
 * checked to exist before it is reported. These findings are evidence the runtime gathered
 * itself; the Security agent's findings are added beside them, never in their place.
 */

export interface SecurityScanOptions extends SecretScanOptions, DepsScanOptions {
  /** Defaults to the project's real files (src/scanners/file-index.ts). */
  readonly fileIndex?: FileIndex;
  /** Skip `npm audit` (for example when the person has turned network use off). */
  readonly skipDeps?: boolean;
}

export interface SecurityScanResult extends ScanResult {
  /** Findings dropped because their location does not exist, with the reason. */
  readonly dropped: { readonly finding: SecurityFinding; readonly reason: string }[];
}

/**
 * Keeps only findings whose file:line exists (at their commit when they have one); the rest
 * are returned in `dropped` and mentioned in a note, so a scanner bug cannot invent a location.
 */
export async function keepCitedFindings(
  findings: readonly SecurityFinding[],
  fileIndex: FileIndex,
): Promise<{ kept: SecurityFinding[]; dropped: { finding: SecurityFinding; reason: string }[]; note?: ScannerNote }> {
  const { accepted, rejected } = await checkCitations(
    findings.map((finding) => ({ finding, file: finding.file, line: finding.line, label: finding.id, ...(finding.commit === undefined ? {} : { commit: finding.commit }) })),
    fileIndex,
  );
  const dropped = rejected.map((entry) => ({ finding: entry.citation.finding, reason: entry.reason }));
  const kept = accepted.map((entry) => entry.finding);
  if (dropped.length === 0) return { kept, dropped };
  return {
    kept,
    dropped,
    note: {
      scanner: 'citations',
      ran: true,
      message: `${dropped.length} finding${dropped.length === 1 ? '' : 's'} dropped because the cited line does not exist: ${dropped.map((d) => d.reason).join('; ')}`,
    },
  };
}

/** Secrets (tree and history), dangerous patterns and npm audit, checked and sorted. */
export async function runSecurityScanners(root: string, options: SecurityScanOptions = {}): Promise<SecurityScanResult> {
  const skippedDeps: ScanResult = { findings: [], notes: [{ scanner: 'deps', ran: false, message: 'npm audit not run: turned off for this run' }] };
  const [secrets, patterns, deps] = await Promise.all([
    scanSecrets(root, options),
    scanDangerousPatterns(root, options),
    options.skipDeps === true ? Promise.resolve(skippedDeps) : scanDependencies(root, options),
  ]);
  const all = [...secrets.findings, ...patterns.findings, ...deps.findings];
  const fileIndex = options.fileIndex ?? createFileIndex(root, { ...(options.runner === undefined ? {} : { runner: options.runner }), ...(options.env === undefined ? {} : { env: options.env }) });
  const { kept, dropped, note } = await keepCitedFindings(all, fileIndex);
  const notes = [...secrets.notes, ...patterns.notes, ...deps.notes, ...(note === undefined ? [] : [note])];
  return { findings: uniqueIds(kept.sort(compareFindings)), notes, dropped };
}
