import { z } from 'zod';
import { receiptRecordSchema } from '../build/build-record.js';
import { readJsonArtifact, writeJsonArtifact, type ArtifactStore } from '../session/json-artifact.js';

/**
 * What the runtime itself checked before the Verifier's run: the project's gate commands in a
 * fresh worktree of the build's HEAD (so nothing uncommitted can make them pass), coverage,
 * each task's evidence and the security gate. Stored as RELEASE_CHECKS.json; any failure
 * here is a HOLD reason whatever the Verifier reports.
 */

export const RELEASE_CHECKS_FILE = 'RELEASE_CHECKS.json';

const gateCommandSchema = z.strictObject({ name: z.string(), command: z.string() });

export const coverageResultSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('measured'), command: z.string(), percent: z.number().min(0).max(100), threshold: z.number() }),
  z.strictObject({ kind: z.literal('not-measured'), reason: z.string(), threshold: z.number().optional() }),
]);
export type CoverageResult = z.output<typeof coverageResultSchema>;

/**
 * The release files the runtime found in the clean checkout (file names at the project's top,
 * null when there is none), so a checklist "pass" can be checked against them. `version` is
 * read from the manifest it names (package.json, Cargo.toml, pyproject.toml); `manifest` is
 * null when the project has none of them, and then the version is not checked.
 */
export const releaseFilesSchema = z.strictObject({
  readme: z.string().nullable(),
  licence: z.string().nullable(),
  changelog: z.string().nullable(),
  manifest: z.string().nullable(),
  version: z.string().nullable(),
});
export type ReleaseFiles = z.output<typeof releaseFilesSchema>;

/** The adapter's part: the clean checkout, the gates and coverage run there. */
export const cleanRunSchema = z.strictObject({
  /** The commit checked out: the tip of the build's branch (HANDOFF's build.branch), else the project's HEAD. */
  commit: z.string().optional(),
  /** The build's branch whose tip was checked out; absent when there was none recorded (HEAD was). */
  branch: z.string().optional(),
  /** The person's checkout, when it was not at that commit (another branch or commit), e.g. `main at 1a2b3c4d5e6f`. */
  checkout: z.string().optional(),
  worktree: z.strictObject({ ok: z.boolean(), message: z.string() }),
  gates: z.strictObject({
    source: z.enum(['override', 'detected', 'none']),
    commands: z.array(gateCommandSchema),
    receipts: z.array(receiptRecordSchema),
    problem: z.string().optional(),
  }),
  coverage: coverageResultSchema,
  /** Absent in checks written before the runtime looked (and when there was no checkout). */
  files: releaseFilesSchema.optional(),
});
export type CleanRun = z.output<typeof cleanRunSchema>;

export const releaseChecksSchema = z.strictObject({
  at: z.string().min(1),
  clean: cleanRunSchema,
  tasks: z.strictObject({ ok: z.boolean(), done: z.array(z.string()), excused: z.array(z.string()), problems: z.array(z.string()) }),
  security: z.strictObject({ ok: z.boolean(), reason: z.string() }),
});
export type ReleaseChecks = z.output<typeof releaseChecksSchema>;

export function readReleaseChecks(store: ArtifactStore, projectId: string) {
  return readJsonArtifact(store, projectId, RELEASE_CHECKS_FILE, releaseChecksSchema);
}

export function writeReleaseChecks(store: ArtifactStore, projectId: string, checks: ReleaseChecks): Promise<void> {
  return writeJsonArtifact(store, projectId, RELEASE_CHECKS_FILE, checks);
}

const short = (sha: string | undefined): string => (sha === undefined ? 'HEAD' : sha.slice(0, 12));

/** Pure: every reason the runtime's checks give to HOLD; empty when they all passed. */
export function runtimeHoldReasons(checks: ReleaseChecks): string[] {
  const reasons: string[] = [];
  const { clean } = checks;
  if (!clean.worktree.ok) reasons.push(`the build's HEAD could not be checked out into a clean worktree: ${clean.worktree.message}`);
  else if (clean.gates.commands.length === 0) {
    reasons.push(`no gate commands to run in the clean worktree${clean.gates.problem ? ` (${clean.gates.problem})` : ''}; type !gates set test <command> to set them`);
  } else {
    for (const gate of clean.gates.commands) {
      const receipt = clean.gates.receipts.find((r) => r.gate === gate.name);
      if (receipt === undefined) reasons.push(`gate \`${gate.name}\` (\`${gate.command}\`) did not run in the clean worktree (an earlier gate failed)`);
      else if (receipt.exitCode !== 0 || receipt.timedOut) {
        reasons.push(`gate \`${gate.name}\` (\`${gate.command}\`) failed in a clean worktree of commit ${short(clean.commit)}: ${receipt.timedOut ? 'timed out' : `exit ${receipt.exitCode ?? 'none'}`} — uncommitted changes do not count`);
      }
    }
  }
  if (clean.coverage.kind === 'measured' && clean.coverage.percent < clean.coverage.threshold) {
    reasons.push(`coverage ${clean.coverage.percent.toFixed(2)}% is below the threshold of ${clean.coverage.threshold}% (config/settings.json coverage_threshold)`);
  }
  for (const problem of checks.tasks.problems) reasons.push(`task evidence: ${problem}`);
  if (!checks.security.ok) reasons.push(`security: ${checks.security.reason}`);
  return reasons;
}

function describeReleaseFiles(files: ReleaseFiles): string {
  const named = (name: string | null, what: string) => name ?? `no ${what}`;
  const version = files.manifest === null ? 'no manifest to read a version from' : files.version === null ? `no version in ${files.manifest}` : `version ${files.version} (${files.manifest})`;
  return [named(files.readme, 'README'), named(files.licence, 'licence file'), named(files.changelog, 'changelog'), version].join(', ');
}

/** Pure: the checks as the Verifier reads them in its context and the person sees them. */
export function describeReleaseChecks(checks: ReleaseChecks): string {
  const { clean } = checks;
  const of = clean.branch ? `commit ${short(clean.commit)}, the tip of the build's branch ${clean.branch}` : `commit ${short(clean.commit)}`;
  const lines = [`Runtime checks (${checks.at}), in a clean worktree of ${of}:`];
  if (clean.checkout) lines.push(`- your checkout is elsewhere (${clean.checkout}); what was verified is ${of}`);
  lines.push(`- worktree: ${clean.worktree.ok ? 'checked out' : 'FAILED'} — ${clean.worktree.message}`);
  if (clean.gates.commands.length === 0) lines.push(`- gate commands: none${clean.gates.problem ? ` (${clean.gates.problem})` : ''}`);
  for (const gate of clean.gates.commands) {
    const receipt = clean.gates.receipts.find((r) => r.gate === gate.name);
    const result = receipt === undefined ? 'not run' : receipt.exitCode === 0 && !receipt.timedOut ? 'passed' : receipt.timedOut ? 'TIMED OUT' : `FAILED (exit ${receipt.exitCode ?? 'none'})`;
    lines.push(`- gate ${gate.name} (\`${gate.command}\`, ${clean.gates.source === 'override' ? "the person's override" : 'from package.json'}): ${result}`);
  }
  lines.push(
    clean.coverage.kind === 'measured'
      ? `- coverage: ${clean.coverage.percent.toFixed(2)}% (threshold ${clean.coverage.threshold}%, measured with \`${clean.coverage.command}\`)`
      : `- coverage: could not measure — ${clean.coverage.reason}${clean.coverage.threshold === undefined ? '' : ` (threshold ${clean.coverage.threshold}%)`}`,
  );
  if (clean.files !== undefined) lines.push(`- release files at HEAD: ${describeReleaseFiles(clean.files)}`);
  lines.push(`- tasks: ${checks.tasks.done.length} with evidence, ${checks.tasks.excused.length} skipped by the person, ${checks.tasks.problems.length} without evidence`);
  for (const problem of checks.tasks.problems) lines.push(`  - ${problem}`);
  lines.push(`- security: ${checks.security.ok ? 'pass' : 'REFUSED'} — ${checks.security.reason}`);
  return lines.join('\n');
}

/** The tail of a failed gate's output, for the Verifier's context. */
export function failedGateOutput(checks: ReleaseChecks): string | undefined {
  const failed = checks.clean.gates.receipts.find((r) => r.exitCode !== 0 || r.timedOut);
  return failed === undefined ? undefined : `Output of the failed gate \`${failed.command}\` (last lines):\n${failed.outputTail}`;
}
