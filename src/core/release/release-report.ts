import { z } from 'zod';
import { toInputJsonSchema } from '../agent/structured-tools.js';
import { readJsonArtifact, writeJsonArtifact, type ArtifactStore } from '../session/json-artifact.js';
import { errorResult, okResult, type ToolDefinition, type ToolResult } from '../tools/types.js';
import { inlineCode, oneLine, table } from '../verdicts/markdown.js';
import { describeReleaseChecks, readReleaseChecks, runtimeHoldReasons, type ReleaseChecks } from './release-checks.js';

/**
 * The Verifier's `report_qa` and the release verdict. The Verifier reports what it observed
 * (each acceptance criterion, the release checklist); the verdict SHIP or HOLD is computed
 * here from that and from the runtime's own checks: any failed check, failed criterion or
 * failed checklist item is a HOLD reason.
 *
 * The tool is `report_qa` rather than `report_release` because that is the name the agent
 * loader's tool list and the Verifier's stage contract require (src/core/agents/).
 */

export const RELEASE_FILE = 'RELEASE.md';
export const RELEASE_JSON_FILE = 'RELEASE.json';

const text = z.string().trim().min(1);

const checklistItemSchema = z.strictObject({
  status: z.enum(['pass', 'fail']).describe('pass only when you saw it yourself'),
  evidence: text.describe('What you looked at or ran, and what it showed (a path, a command and its output).'),
});

/** The release checklist: every item must be answered. */
export const CHECKLIST_ITEMS = ['readme', 'how_to_run', 'version', 'licence', 'changelog'] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];

const CHECKLIST_LABELS: Readonly<Record<ChecklistItem, string>> = {
  readme: 'README',
  how_to_run: 'How to run',
  version: 'Version',
  licence: 'Licence',
  changelog: 'Changelog',
};

export const reportQaInputSchema = z.strictObject({
  checklist: z
    .strictObject({
      readme: checklistItemSchema.describe('A README that says what the product is and how to install it.'),
      how_to_run: checklistItemSchema.describe('The documented steps to run it work as written.'),
      version: checklistItemSchema.describe('A version number is set (package.json version, or the platform equivalent).'),
      licence: checklistItemSchema.describe('A licence file is present.'),
      changelog: checklistItemSchema.describe('A changelog names this release.'),
    })
    .describe('The release checklist.'),
  extra_checks: z
    .array(z.strictObject({ item: text, status: z.enum(['pass', 'fail']), evidence: text }))
    .optional()
    .describe('Further platform checklist items (packaging, signing, no debug settings, ...).'),
  qa: z
    .array(
      z.strictObject({
        criterion: text.describe('The acceptance criterion, as the spec words it.'),
        result: z.enum(['passed', 'failed', 'not_verifiable']),
        evidence: text.describe('What you ran or did and what you observed; for not_verifiable, why and the manual check to do.'),
      }),
    )
    .min(1, 'report at least one acceptance criterion')
    .describe('Each acceptance criterion of the spec, exercised.'),
  notes: z.array(text).optional().describe('QA notes the person should read (flaky tests, risks, manual checks).'),
});
export type ReportQaInput = z.output<typeof reportQaInputSchema>;

export type ReleaseVerdictKind = 'SHIP' | 'HOLD';

export interface ReleaseVerdict {
  readonly verdict: ReleaseVerdictKind;
  readonly reasons: readonly string[];
}

/** Pure: SHIP only when the runtime's checks, every criterion and every checklist item pass. */
export function releaseVerdict(checks: ReleaseChecks | undefined, report: ReportQaInput, checksProblem?: string): ReleaseVerdict {
  const reasons: string[] = checks === undefined ? [`the runtime's checks are missing: ${checksProblem ?? 'RELEASE_CHECKS.json was not written'}; type !verify again`] : runtimeHoldReasons(checks);
  for (const item of CHECKLIST_ITEMS) {
    const entry = report.checklist[item];
    if (entry.status === 'fail') reasons.push(`checklist: ${CHECKLIST_LABELS[item]} — ${oneLine(entry.evidence)}`);
  }
  for (const extra of report.extra_checks ?? []) if (extra.status === 'fail') reasons.push(`checklist: ${oneLine(extra.item)} — ${oneLine(extra.evidence)}`);
  for (const qa of report.qa) if (qa.result === 'failed') reasons.push(`QA: "${oneLine(qa.criterion)}" failed — ${oneLine(qa.evidence)}`);
  return { verdict: reasons.length === 0 ? 'SHIP' : 'HOLD', reasons };
}

/**
 * Pure: exactly what a SHIP rests on, one line each, for the person and RELEASE.md. Acceptance
 * criteria are not checked one by one by the runtime: per task through its passing receipts,
 * and by the Verifier's QA pass, whose not-verifiable items do not count against SHIP and are
 * named so the person can check them by hand.
 */
export function whatWasChecked(report: ReportQaInput, checks: ReleaseChecks | undefined): string[] {
  const lines: string[] = [];
  if (checks !== undefined) {
    const { clean, tasks } = checks;
    const commit = clean.commit === undefined ? 'HEAD' : `commit ${clean.commit.slice(0, 12)}`;
    lines.push(`gate commands ${clean.gates.commands.map((g) => `\`${g.command}\``).join(', ')} passed in a clean worktree of ${commit}${clean.branch ? ` (the tip of ${clean.branch})` : ''}`);
    lines.push(
      clean.coverage.kind === 'measured'
        ? `coverage ${clean.coverage.percent.toFixed(2)}% (threshold ${clean.coverage.threshold}%)`
        : `coverage not measured (${clean.coverage.reason}); it did not count against SHIP`,
    );
    const excused = tasks.excused.length > 0 ? `; ${tasks.excused.length} excused by you: ${tasks.excused.join('; ')}` : '';
    lines.push(`tasks: ${tasks.done.length} DONE, each with passing gate receipts and a commit${excused} (acceptance criteria are covered per task by those receipts, not checked one by one)`);
    lines.push(`security: ${checks.security.reason}`);
  }
  const passed = report.qa.filter((q) => q.result === 'passed').length;
  const unverified = report.qa.filter((q) => q.result === 'not_verifiable');
  const nv = unverified.length > 0 ? `; ${unverified.length} not verifiable, which did not count against SHIP — check by hand: ${unverified.map((q) => `"${oneLine(q.criterion)}"`).join(', ')}` : '';
  lines.push(`QA pass: ${passed} of ${report.qa.length} acceptance criteri${report.qa.length === 1 ? 'on' : 'a'} passed${nv}`);
  const items = [...CHECKLIST_ITEMS.map((item) => CHECKLIST_LABELS[item]), ...(report.extra_checks ?? []).map((e) => oneLine(e.item))];
  lines.push(`release checklist: ${items.length} items passed (${items.join(', ')})`);
  return lines;
}

/** Pure: RELEASE.md. */
export function renderReleaseMarkdown(verdict: ReleaseVerdict, report: ReportQaInput, checks: ReleaseChecks | undefined): string {
  const lines = ['# Release', '', `Verdict: **${verdict.verdict}**`, ''];
  if (verdict.reasons.length === 0) {
    lines.push('## What was checked', '');
    for (const line of whatWasChecked(report, checks)) lines.push(`- ${line}`);
  } else {
    lines.push('## Reasons to hold', '');
    for (const reason of verdict.reasons) lines.push(`- ${reason}`);
  }
  lines.push('', '## Runtime checks', '', checks === undefined ? 'Not run.' : describeReleaseChecks(checks), '');
  lines.push('## QA pass', '', table(['Criterion', 'Result', 'Evidence'], report.qa.map((q) => [q.criterion, q.result.replace('_', ' '), q.evidence])), '');
  const rows = [
    ...CHECKLIST_ITEMS.map((item) => [CHECKLIST_LABELS[item], report.checklist[item].status, report.checklist[item].evidence]),
    ...(report.extra_checks ?? []).map((e) => [e.item, e.status, e.evidence]),
  ];
  lines.push('## Release checklist', '', table(['Item', 'Status', 'Evidence'], rows), '');
  if ((report.notes ?? []).length > 0) {
    lines.push('## QA notes', '');
    for (const note of report.notes ?? []) lines.push(`- ${oneLine(note)}`);
    lines.push('');
  }
  lines.push(
    `The verdict is computed by CodeSleuth from the checks above, not chosen by the Verifier. ${inlineCode('SHIP')} needs every one of them to pass; shipping itself is the person's act.`,
  );
  return `${lines.join('\n')}\n`;
}

export const releaseFileSchema = z.strictObject({
  verdict: z.enum(['SHIP', 'HOLD']),
  reasons: z.array(z.string()),
  at: z.string(),
  commit: z.string().optional(),
  /** For SHIP: what it rests on (whatWasChecked). Absent in files written before it was kept. */
  checked: z.array(z.string()).optional(),
});
export type ReleaseFile = z.output<typeof releaseFileSchema>;

export function readReleaseFile(store: ArtifactStore, projectId: string) {
  return readJsonArtifact(store, projectId, RELEASE_JSON_FILE, releaseFileSchema);
}

export interface ReleaseToolDeps {
  readonly store: ArtifactStore;
  readonly projectId: string;
  readonly now: () => Date;
}

/** What counts as each release file, for the messages. */
const FILE_KINDS = { readme: 'README', licence: 'licence file (LICENSE, LICENCE or COPYING)', changelog: 'changelog (CHANGELOG, CHANGES, HISTORY or NEWS)' } as const;

/**
 * Pure: checklist items the Verifier marked pass that the runtime's own look at the clean
 * checkout contradicts (no such file at HEAD, no version in the manifest). Empty when the
 * checks predate that look.
 */
export function checklistContradictions(report: ReportQaInput, checks: ReleaseChecks | undefined): string[] {
  const files = checks?.clean.files;
  if (files === undefined) return [];
  const at = `the clean checkout of ${checks?.clean.commit?.slice(0, 12) ?? 'HEAD'}`;
  const problems: string[] = [];
  for (const item of ['readme', 'licence', 'changelog'] as const) {
    if (report.checklist[item].status === 'pass' && files[item] === null) problems.push(`checklist.${item} says pass, but ${at} has no ${FILE_KINDS[item]} at the project's top`);
  }
  if (report.checklist.version.status === 'pass' && files.manifest !== null && files.version === null) {
    problems.push(`checklist.version says pass, but ${files.manifest} in ${at} sets no version`);
  }
  return problems;
}

/** Runs report_qa: computes the verdict and writes RELEASE.md and RELEASE.json. */
export async function recordRelease(report: ReportQaInput, deps: ReleaseToolDeps): Promise<ToolResult> {
  const checks = await readReleaseChecks(deps.store, deps.projectId);
  if (checks.kind === 'invalid') return errorResult(`${checks.message}\nTell the person in your report_status; the runtime's checks must run again (!verify).`);
  const value = checks.kind === 'ok' ? checks.value : undefined;
  const contradictions = checklistContradictions(report, value);
  if (contradictions.length > 0) {
    return errorResult(
      `report_qa rejected: ${contradictions.map((c) => `\n- ${c}`).join('')}\nA checklist item passes only when the committed project has it. Mark it fail with what is missing and call report_qa again.`,
      `report_qa: ${contradictions.length} checklist item(s) contradict the clean checkout`,
    );
  }
  const verdict = releaseVerdict(value, report);
  await deps.store.writeArtifact(deps.projectId, RELEASE_FILE, renderReleaseMarkdown(verdict, report, value));
  const file: ReleaseFile = { verdict: verdict.verdict, reasons: [...verdict.reasons], at: deps.now().toISOString(), ...(value?.clean.commit ? { commit: value.clean.commit } : {}), ...(verdict.verdict === 'SHIP' ? { checked: whatWasChecked(report, value) } : {}) };
  await writeJsonArtifact(deps.store, deps.projectId, RELEASE_JSON_FILE, file);
  const why = verdict.reasons.length === 0 ? 'everything passed' : verdict.reasons.join('; ');
  return okResult(`Accepted. The runtime computed the verdict ${verdict.verdict}: ${why}. RELEASE.md is saved. End your run now with report_status.`, `verdict ${verdict.verdict}; wrote ${RELEASE_FILE}`);
}

const DESCRIPTION =
  'Report the QA pass and the release checklist: each acceptance criterion (passed / failed / not_verifiable, with evidence), ' +
  'the checklist items readme, how_to_run, version, licence, changelog (pass / fail, with evidence), optional extra_checks and notes. ' +
  'The runtime computes SHIP or HOLD from your report and its own clean-worktree checks and writes RELEASE.md. Then end with report_status.';

/** report_qa as an immediate tool of the Verifier's run. */
export function reportQaTool(deps: ReleaseToolDeps): ToolDefinition<ReportQaInput> {
  return { name: 'report_qa', description: DESCRIPTION, schema: reportQaInputSchema, jsonSchema: toInputJsonSchema(reportQaInputSchema), execute: (input) => recordRelease(input, deps) };
}
