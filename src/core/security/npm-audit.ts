import { z } from 'zod';
import type { FindingSeverity, SecurityFinding } from './finding.js';

/**
 * `npm audit --json` output (report version 2, npm 7 and later) turned into findings.
 * Pure: the caller runs npm and hands over its stdout and the lockfile's text, which is
 * where each finding points (the `"node_modules/<name>"` entry).
 */

const advisorySchema = z
  .object({
    source: z.union([z.number(), z.string()]).optional(),
    name: z.string().optional(),
    title: z.string().optional(),
    url: z.string().optional(),
    severity: z.string().optional(),
    range: z.string().optional(),
  })
  .loose();

const vulnerabilitySchema = z
  .object({
    name: z.string().optional(),
    severity: z.string(),
    isDirect: z.boolean().optional(),
    via: z.array(z.union([z.string(), advisorySchema])).default([]),
    range: z.string().optional(),
    nodes: z.array(z.string()).default([]),
    fixAvailable: z.union([z.boolean(), z.object({ name: z.string(), version: z.string(), isSemVerMajor: z.boolean().optional() }).loose()]).optional(),
  })
  .loose();

/** The part of the report we read; npm adds fields freely, so unknown keys are allowed. */
export const npmAuditReportSchema = z
  .object({
    auditReportVersion: z.literal(2),
    vulnerabilities: z.record(z.string(), vulnerabilitySchema),
  })
  .loose();
export type NpmAuditReport = z.output<typeof npmAuditReportSchema>;

/** npm's severities (`moderate`, `info`) in ours. */
export function mapNpmSeverity(severity: string): FindingSeverity {
  switch (severity.toLowerCase()) {
    case 'critical':
      return 'CRITICAL';
    case 'high':
      return 'HIGH';
    case 'moderate':
      return 'MEDIUM';
    default:
      return 'LOW';
  }
}

/** What npm printed: a report, or the reason it could not produce one. */
export type NpmAuditOutcome = { readonly kind: 'report'; readonly report: NpmAuditReport } | { readonly kind: 'failed'; readonly reason: string };

const errorShape = z
  .object({
    message: z.string().optional(),
    error: z.object({ code: z.string().nullish(), summary: z.string().nullish(), detail: z.string().nullish() }).loose().optional(),
  })
  .loose();

/** Reads npm's stdout; `stderr` supplies the reason when stdout says nothing useful. */
export function parseNpmAuditOutput(stdout: string, stderr = ''): NpmAuditOutcome {
  const stderrReason = stderr
    .split(/\r?\n/)
    .filter((line) => /^npm (?:ERR!|error)/.test(line) && !/complete log of this run/i.test(line))
    .map((line) => line.replace(/^npm (?:ERR!|error)\s*/, ''))
    .join('; ');
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    return { kind: 'failed', reason: stderrReason || 'npm audit printed no JSON' };
  }
  const report = npmAuditReportSchema.safeParse(value);
  if (report.success) return { kind: 'report', report: report.data };
  const failure = errorShape.safeParse(value);
  if (failure.success) {
    const { message, error } = failure.data;
    const parts = [error?.code, error?.summary, message].filter((part): part is string => typeof part === 'string' && part.trim() !== '');
    if (parts.length > 0 || stderrReason) return { kind: 'failed', reason: [...new Set([...parts, stderrReason].filter(Boolean))].join('; ') };
  }
  return { kind: 'failed', reason: 'npm audit printed JSON in a shape this version of CodeSleuth does not read (expected auditReportVersion 2)' };
}

/** 1-based line of the first line containing `needle`, or undefined. */
function lineOf(textContent: string, needle: string): number | undefined {
  const index = textContent.split(/\r?\n/).findIndex((line) => line.includes(needle));
  return index === -1 ? undefined : index + 1;
}

/** One finding per vulnerable package, pointing at its entry in the lockfile. */
export function npmAuditFindings(report: NpmAuditReport, lockfile: { readonly path: string; readonly text: string }): SecurityFinding[] {
  return Object.entries(report.vulnerabilities).map(([key, vulnerability]) => {
    const name = vulnerability.name ?? key;
    const node = vulnerability.nodes[0] ?? `node_modules/${name}`;
    const line = lineOf(lockfile.text, `"${node}"`) ?? lineOf(lockfile.text, `"node_modules/${name}"`) ?? 1;
    const advisories = vulnerability.via.filter((via): via is z.output<typeof advisorySchema> => typeof via !== 'string');
    const through = vulnerability.via.filter((via): via is string => typeof via === 'string');
    const evidence = [
      `npm audit: ${name} ${vulnerability.range ?? ''} is ${vulnerability.severity}${vulnerability.isDirect === true ? ' (direct dependency)' : ''}`.replace(/ {2,}/g, ' '),
      ...advisories.map((advisory) => `- ${advisory.title ?? 'advisory'}${advisory.url === undefined ? '' : ` ${advisory.url}`}${advisory.range === undefined ? '' : ` (affects ${advisory.range})`}`),
      ...(through.length > 0 ? [`- vulnerable through: ${through.join(', ')}`] : []),
      `installed at: ${vulnerability.nodes.join(', ') || node}`,
    ].join('\n');
    const fix = vulnerability.fixAvailable;
    const fixText =
      fix === undefined || fix === false
        ? 'No fix is published yet: remove or replace the package, or accept the risk with a reason.'
        : fix === true
          ? 'Run `npm audit fix`.'
          : `Update ${fix.name} to ${fix.version}${fix.isSemVerMajor === true ? ' (a major version: check for breaking changes)' : ''}.`;
    const title = advisories[0]?.title === undefined ? `Vulnerable dependency ${name}` : `${name}: ${advisories[0].title}`;
    return {
      id: `deps:${name}`,
      severity: mapNpmSeverity(vulnerability.severity),
      domain: 'S9',
      title,
      file: lockfile.path,
      line,
      evidence,
      source: 'scanner:deps',
      status: 'open',
      fix: fixText,
    } satisfies SecurityFinding;
  });
}
