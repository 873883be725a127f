import { z } from 'zod';
import { readJsonArtifact, writeJsonArtifact, type ArtifactStore } from '../session/json-artifact.js';
import { FINDING_SEVERITIES, securityFindingSchema, type ScannerNote, type SecurityFinding } from './finding.js';

/**
 * SCANNER_FINDINGS.json: what the runtime's own scanners found when the Security stage
 * started. The agent's report is merged with these, never in their place.
 */

export const SCANNER_FINDINGS_FILE = 'SCANNER_FINDINGS.json';

export const scannerNoteSchema = z.strictObject({
  scanner: z.enum(['secrets', 'history', 'patterns', 'deps', 'citations']),
  ran: z.boolean(),
  message: z.string(),
});

export const scannerFileSchema = z.strictObject({
  at: z.string().min(1),
  findings: z.array(securityFindingSchema),
  notes: z.array(scannerNoteSchema),
});
export type ScannerFile = z.output<typeof scannerFileSchema>;

export function readScannerFile(store: ArtifactStore, projectId: string) {
  return readJsonArtifact(store, projectId, SCANNER_FINDINGS_FILE, scannerFileSchema);
}

export function writeScannerFile(store: ArtifactStore, projectId: string, file: ScannerFile): Promise<void> {
  return writeJsonArtifact(store, projectId, SCANNER_FINDINGS_FILE, file);
}

/** "3 findings (1 CRITICAL, 2 HIGH)": counts of the severities present. */
export function countBySeverity(findings: readonly SecurityFinding[]): string {
  const parts = FINDING_SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  return `${findings.length} finding${findings.length === 1 ? '' : 's'}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/** The scanners' results as the Security agent reads them in its context. */
export function scannerSummary(file: ScannerFile): string {
  const lines = [
    `The runtime's scanners ran at ${file.at} and found ${countBySeverity(file.findings)}. These are already in the report;`,
    'do not report them again. Confirm or add context in your own findings only when you traced something further.',
    '',
  ];
  for (const f of file.findings) {
    lines.push(`- ${f.id} ${f.severity} ${f.domain} ${f.file}:${f.line}${f.commit ? ` (commit ${f.commit.slice(0, 12)})` : ''}: ${f.title}`);
  }
  lines.push('', 'Scanner notes:');
  for (const note of file.notes as readonly ScannerNote[]) lines.push(`- ${note.scanner}${note.ran ? '' : ' (did not run)'}: ${note.message}`);
  return lines.join('\n');
}
