import { findCodePatternsInLine } from '../core/security/code-rules.js';
import type { SecurityFinding } from '../core/security/finding.js';
import { describeWalk, emptyWalkStats, readTextFiles, splitLines, type WalkOptions } from './project-files.js';
import type { ScanResult } from './secrets-scanner.js';

/**
 * Dangerous code patterns (eval on request input, shell commands and SQL built from
 * strings, TLS verification turned off, weak password hashes, Math.random tokens) in the
 * working tree, each at its exact file:line.
 */

/** How much of the offending line the evidence quotes. */
const QUOTE_CHARS = 200;

function quote(line: string): string {
  const trimmed = line.trim();
  return trimmed.length > QUOTE_CHARS ? `${trimmed.slice(0, QUOTE_CHARS)}…` : trimmed;
}

/** Runs every code rule over every text file of the project. */
export async function scanDangerousPatterns(root: string, options: WalkOptions = {}): Promise<ScanResult> {
  const findings: SecurityFinding[] = [];
  const stats = emptyWalkStats();
  for await (const file of readTextFiles(root, stats, options)) {
    splitLines(file.text).forEach((text, index) => {
      for (const { rule, column } of findCodePatternsInLine(file.path, text)) {
        const line = index + 1;
        findings.push({
          id: `patterns:${rule.id}:${file.path}:${line}`,
          severity: rule.severity,
          domain: rule.domain,
          title: rule.title,
          file: file.path,
          line,
          evidence: `${file.path}:${line}:${column}: ${quote(text)}`,
          source: 'scanner:patterns',
          status: 'open',
          fix: rule.fix,
        });
      }
    });
  }
  return {
    findings,
    notes: [{ scanner: 'patterns', ran: true, message: `${describeWalk(stats)}; line-based: a pattern spread over several lines is not seen` }],
  };
}
