import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/core/commands/defs/index.js';
import { parseInput } from '../../../src/core/commands/parser.js';
import type { CommandContext } from '../../../src/core/commands/types.js';
import { coveragePlanFor, parseCoveragePercent } from '../../../src/core/release/coverage.js';
import { runtimeHoldReasons, type ReleaseChecks, type ReleaseFiles } from '../../../src/core/release/release-checks.js';
import { checklistContradictions, releaseVerdict, renderReleaseMarkdown, reportQaInputSchema, whatWasChecked, type ReportQaInput } from '../../../src/core/release/release-report.js';
import { checkTaskEvidence } from '../../../src/core/release/task-evidence.js';

const pass = { status: 'pass' as const, evidence: 'seen' };
const qa: ReportQaInput = {
  checklist: { readme: pass, how_to_run: pass, version: pass, licence: pass, changelog: pass },
  qa: [{ criterion: 'a list can be created', result: 'passed', evidence: 'created one' }],
};

function checks(overrides: { coverage?: ReleaseChecks['clean']['coverage']; exitCode?: number } = {}): ReleaseChecks {
  return {
    at: 't',
    clean: {
      commit: 'abcdef123456',
      worktree: { ok: true, message: 'ok' },
      gates: { source: 'detected', commands: [{ name: 'test', command: 'npm test' }], receipts: [{ gate: 'test', command: 'npm test', exitCode: overrides.exitCode ?? 0, timedOut: false, durationMs: 1, outputSha256: 'x', outputTail: '', at: 't' }] },
      coverage: overrides.coverage ?? { kind: 'measured', command: 'npm run coverage', percent: 80, threshold: 80 },
    },
    tasks: { ok: true, done: [], excused: [], problems: [] },
    security: { ok: true, reason: 'no open finding' },
  };
}

describe('the release verdict', () => {
  it('is SHIP only when every check, criterion and checklist item passes (coverage exactly at the threshold passes)', () => {
    expect(releaseVerdict(checks(), qa)).toEqual({ verdict: 'SHIP', reasons: [] });
  });

  it.each([
    ['coverage below the threshold', checks({ coverage: { kind: 'measured', command: 'c', percent: 79.99, threshold: 80 } }), qa, 'coverage 79.99% is below the threshold of 80%'],
    ['a failing gate in the clean worktree', checks({ exitCode: 1 }), qa, 'gate `test` (`npm test`) failed in a clean worktree of commit abcdef123456: exit 1'],
    ['a failed checklist item', checks(), { ...qa, checklist: { ...qa.checklist, licence: { status: 'fail' as const, evidence: 'no LICENSE file' } } }, 'checklist: Licence — no LICENSE file'],
    ['a failed criterion', checks(), { ...qa, qa: [{ criterion: 'lists sync', result: 'failed' as const, evidence: 'no sync' }] }, 'QA: "lists sync" failed — no sync'],
    ['missing runtime checks', undefined, qa, "the runtime's checks are missing"],
    ['a clean worktree that could not be made', { ...checks(), clean: { ...checks().clean, worktree: { ok: false, message: 'HEAD has no commit' } } }, qa, "the build's HEAD could not be checked out into a clean worktree: HEAD has no commit"],
    ['no gate command to run', { ...checks(), clean: { ...checks().clean, gates: { source: 'none' as const, commands: [], receipts: [] } } }, qa, 'no gate commands to run in the clean worktree'],
    ['a gate that timed out with exit 0', { ...checks(), clean: { ...checks().clean, gates: { ...checks().clean.gates, receipts: [{ ...checks().clean.gates.receipts[0]!, timedOut: true }] } } }, qa, 'failed in a clean worktree of commit abcdef123456: timed out'],
    ['a gate that never ran', { ...checks(), clean: { ...checks().clean, gates: { ...checks().clean.gates, receipts: [] } } }, qa, 'gate `test` (`npm test`) did not run in the clean worktree'],
    ['a task without evidence', { ...checks(), tasks: { ok: false, done: [], excused: [], problems: ['TASK-002 (Fix) was never built'] } }, qa, 'task evidence: TASK-002 (Fix) was never built'],
    ['a refused security gate', { ...checks(), security: { ok: false, reason: '1 open CRITICAL finding' } }, qa, 'security: 1 open CRITICAL finding'],
    ['a failed extra checklist item', checks(), { ...qa, extra_checks: [{ item: 'no debug flags', status: 'fail' as const, evidence: 'DEBUG=1 in .env' }] }, 'checklist: no debug flags — DEBUG=1 in .env'],
  ])('is HOLD with %s', (_what, runtime, report, reason) => {
    const verdict = releaseVerdict(runtime, report);
    expect(verdict.verdict).toBe('HOLD');
    expect(verdict.reasons.join('\n')).toContain(reason);
  });

  it('does not hold for a criterion the Verifier could not exercise (it says why and what to check by hand)', () => {
    const manual: ReportQaInput = { ...qa, qa: [...qa.qa, { criterion: 'works on a phone', result: 'not_verifiable', evidence: 'no device here; open it on a phone' }] };
    expect(releaseVerdict(checks(), manual)).toEqual({ verdict: 'SHIP', reasons: [] });
  });

  it('says coverage could not be measured without holding for it', () => {
    const unmeasured = checks({ coverage: { kind: 'not-measured', reason: 'no coverage script', threshold: 80 } });
    expect(runtimeHoldReasons(unmeasured)).toEqual([]);
  });

  it('needs every checklist item and at least one criterion', () => {
    expect(reportQaInputSchema.safeParse({ ...qa, checklist: { readme: pass } }).success).toBe(false);
    expect(reportQaInputSchema.safeParse({ ...qa, qa: [] }).success).toBe(false);
  });
});

describe('what a SHIP says was checked', () => {
  it('names the commit, coverage, the task evidence, the security gate, the QA counts with each not-verifiable item, and the checklist', () => {
    const manual: ReportQaInput = {
      ...qa,
      qa: [...qa.qa, { criterion: 'works on a phone', result: 'not_verifiable', evidence: 'no device here' }, { criterion: 'prints a receipt', result: 'not_verifiable', evidence: 'no printer' }],
      extra_checks: [{ item: 'no debug flags', status: 'pass', evidence: 'none set' }],
    };
    const runtime: ReleaseChecks = {
      ...checks({ coverage: { kind: 'not-measured', reason: 'no coverage script', threshold: 80 } }),
      clean: { ...checks().clean, branch: 'codesleuth-build', coverage: { kind: 'not-measured', reason: 'no coverage script', threshold: 80 } },
      tasks: { ok: true, done: ['TASK-001: DONE, 1 passing receipt'], excused: ['TASK-002: skipped by the person'], problems: [] },
    };
    expect(whatWasChecked(manual, runtime)).toEqual([
      'gate commands `npm test` passed in a clean worktree of commit abcdef123456 (the tip of codesleuth-build)',
      'coverage not measured (no coverage script); it did not count against SHIP',
      'tasks: 1 DONE, each with passing gate receipts and a commit; 1 excused by you: TASK-002: skipped by the person (acceptance criteria are covered per task by those receipts, not checked one by one)',
      'security: no open finding',
      'QA pass: 1 of 3 acceptance criteria passed; 2 not verifiable, which did not count against SHIP — check by hand: "works on a phone", "prints a receipt"',
      'release checklist: 6 items passed (README, How to run, Version, Licence, Changelog, no debug flags)',
    ]);
    const markdown = renderReleaseMarkdown(releaseVerdict(runtime, manual), manual, runtime);
    expect(markdown).toContain('## What was checked\n\n- gate commands `npm test` passed');
    expect(markdown).toContain('- QA pass: 1 of 3 acceptance criteria passed; 2 not verifiable');
    expect(markdown).not.toContain('Every runtime check, acceptance criterion and checklist item passed');
  });
});

describe("the checklist against the runtime's look at the clean checkout", () => {
  const files: ReleaseFiles = { readme: 'README.md', licence: 'LICENSE', changelog: 'CHANGELOG.md', manifest: 'package.json', version: '0.1.0' };
  const withFiles = (overrides: Partial<ReleaseFiles>): ReleaseChecks => {
    const base = checks();
    return { ...base, clean: { ...base.clean, files: { ...files, ...overrides } } };
  };

  it('agrees when every file the checklist passes is there', () => {
    expect(checklistContradictions(qa, withFiles({}))).toEqual([]);
  });

  it('names each item marked pass that the committed project does not have', () => {
    expect(checklistContradictions(qa, withFiles({ licence: null, changelog: null, version: null }))).toEqual([
      "checklist.licence says pass, but the clean checkout of abcdef123456 has no licence file (LICENSE, LICENCE or COPYING) at the project's top",
      "checklist.changelog says pass, but the clean checkout of abcdef123456 has no changelog (CHANGELOG, CHANGES, HISTORY or NEWS) at the project's top",
      'checklist.version says pass, but package.json in the clean checkout of abcdef123456 sets no version',
    ]);
  });

  it('accepts a fail for a missing file, does not check a version without a manifest, and checks nothing for older checks', () => {
    const failing = { ...qa, checklist: { ...qa.checklist, readme: { status: 'fail' as const, evidence: 'no README' } } };
    expect(checklistContradictions(failing, withFiles({ readme: null }))).toEqual([]);
    expect(checklistContradictions(qa, withFiles({ manifest: null, version: null }))).toEqual([]);
    expect(checklistContradictions(qa, checks())).toEqual([]);
    expect(checklistContradictions(qa, undefined)).toEqual([]);
  });
});

describe('coverage', () => {
  it('uses the coverage script, or node --test with coverage, and says why not otherwise', () => {
    expect(coveragePlanFor({ scripts: { coverage: 'c8 npm test', test: 'node --test' } })).toEqual({ kind: 'command', command: 'npm run coverage' });
    expect(coveragePlanFor({ scripts: { test: 'node --test test/' } })).toEqual({ kind: 'command', command: 'node --test --experimental-test-coverage test/' });
    expect(coveragePlanFor({ scripts: { test: 'jest' } }).kind).toBe('unsupported');
  });

  it('reads the "all files" line of node and istanbul reports', () => {
    expect(parseCoveragePercent('# all files | 87.50 |  75.00 | 100.00 |')).toBe(87.5);
    expect(parseCoveragePercent('All files |   66.6 |    50 |')).toBe(66.6);
    expect(parseCoveragePercent('tests 3 pass 3')).toBeUndefined();
  });
});

describe('task evidence', () => {
  const task = (id: string) => ({ id, title: id, description: 'd', acceptance_criteria: ['c'], output_files: ['f'], depends_on: [], size: 'S' as const, status: 'DONE' as const });
  const receipt = { gate: 'test', command: 'npm test', exitCode: 0, timedOut: false, durationMs: 1, outputSha256: 'x', outputTail: '', at: 't' };
  const record = (id: string, status: 'DONE' | 'BLOCKED' | 'SKIPPED', receipts = [receipt]) => ({ id, status, attempts: 1, concerns: [], receipts, changedFiles: [], inputTokens: 0, outputTokens: 0, costUsd: 0, reviewRounds: 0 });
  it('accepts DONE with receipts and skipped tasks; names the rest, a BLOCKED one included', () => {
    const graph = { tasks: [task('TASK-001'), task('TASK-002'), task('TASK-003'), task('TASK-004'), task('TASK-005')] };
    const evidence = checkTaskEvidence(graph, [record('TASK-001', 'DONE'), record('TASK-002', 'DONE', []), record('TASK-003', 'SKIPPED'), record('TASK-004', 'BLOCKED')]);
    expect(evidence.ok).toBe(false);
    expect(evidence.problems).toEqual(['TASK-002 is DONE but has no receipts', 'TASK-004 is BLOCKED', 'TASK-005 (TASK-005) was never built: no record in HANDOFF.json']);
    expect(evidence.excused).toEqual(['TASK-003: skipped by the person']);
  });
});

describe('the review commands', () => {
  const registry = createBuiltinRegistry();
  const run = (line: string, stage: 'critique' | 'security' | 'verification' | 'maintenance') => {
    const parsed = parseInput(line, registry, { kind: 'project', stage, paused: false });
    if (parsed.kind !== 'command') return parsed;
    return parsed.definition.run({ args: parsed.args, registry, project: { position: { stage, paused: false } } } as unknown as CommandContext);
  };
  it.each([
    ['!critic fix', 'critique', { kind: 'review', action: { kind: 'critic-fix' } }],
    ['!security fix', 'security', { kind: 'review', action: { kind: 'security-fix' } }],
    ['!security accept AGENT-001 only used offline', 'security', { kind: 'review', action: { kind: 'security-accept', findingId: 'AGENT-001', reason: 'only used offline' } }],
    ['!verify', 'security', { kind: 'gate', gate: 'verify' }],
    ['!verify', 'maintenance', { kind: 'review', action: { kind: 'reverify' } }],
    ['!security', 'critique', { kind: 'gate', gate: 'security' }],
    ['!security fix', 'maintenance', { kind: 'review', action: { kind: 'security-fix' } }],
    ['!security accept AGENT-001 only used offline', 'maintenance', { kind: 'review', action: { kind: 'security-accept', findingId: 'AGENT-001', reason: 'only used offline' } }],
  ] as const)('%s in %s', (line, stage, expected) => {
    expect(run(line, stage)).toEqual(expected);
  });

  it('refuses an acceptance without a reason, and unknown words', () => {
    expect(JSON.stringify(run('!security accept AGENT-001', 'security'))).toContain('needs a written reason');
    expect(run('!critic now', 'critique')).toMatchObject({ kind: 'message', failed: true });
  });

  it('in Maintenance, a bare !security says that !verify scans again and what fix and accept do', () => {
    expect(JSON.stringify(run('!security', 'maintenance'))).toContain('In Maintenance the scanners run again with !verify');
  });
});
