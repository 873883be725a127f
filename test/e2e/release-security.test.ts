// Security through the built CLI: the runtime's scanners find what the Builder planted (an
// AWS-style key, eval on the request body) at the right file:line, an open CRITICAL shuts
// !verify, and it opens again once the finding is fixed by a Builder task or accepted in writing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { invalidCalls } from '../helpers/fake-model.js';
import {
  CALC_FIXED_JS,
  PLANTED_AWS_KEY,
  answersTo,
  buildLines,
  buildTaskTurns,
  builderTurns,
  criticTurns,
  firstTask,
  git,
  gitSubjects,
  planTurns,
  projectFiles,
  releaseCleanup,
  releaseHome,
  runRelease,
  securityTurns,
  startReleaseModel,
  taskReviewTurns,
  verifierTurns,
} from '../helpers/release-fixture.js';

afterEach(releaseCleanup);

const KEY_ID = 'secrets:aws-access-key-id:src/config.js:3';
const EVAL_ID = 'patterns:eval-request-input:src/calc.js:3';

describe('the security gate, headless', () => {
  it('finds the planted key and eval at their file:line, refuses !verify while they are open, and ships once both are accepted with a reason', async () => {
    const task = firstTask({ plantKey: true, plantEval: true });
    // Security adds a finding of its own beside the scanners' (MEDIUM: it does not block).
    const own = { domain: 'S14', severity: 'medium', title: 'No limit on the expression', file: 'src/calc.js', line: 2, evidence: 'quickSum reads any length', exploit: 'a huge body ties up the till', fix: 'cap the length' };
    const server = await startReleaseModel('planted key and eval, accepted', [...planTurns([task]), ...buildTaskTurns([task]), ...criticTurns(), ...securityTurns([own]), ...verifierTurns()]);
    const { h, dir } = releaseHome();

    const run = await runRelease(server, h, [
      ...buildLines(dir),
      '!critic',
      '!security',
      '!verify',
      `!security accept ${KEY_ID} the key was rotated; this one is revoked`,
      '!verify',
      `!security accept ${EVAL_ID} only the till's own page can reach it, behind the shop's LAN`,
      '!verify',
    ]);
    expect(run.stderr).toBe('');
    expect(invalidCalls(server)).toEqual([]);
    expect(server.remainingTurns()).toMatchObject({ security: 0, verifier: 0 });

    // The scanners, run by the runtime through the CLI: each finding at its file:line.
    const f = projectFiles(h, dir);
    const scanner = f.json<{ findings: { id: string; file: string; line: number; severity: string }[] }>('SCANNER_FINDINGS.json');
    expect(scanner.findings.map((x) => [x.id, x.severity, x.file, x.line])).toEqual([
      [EVAL_ID, 'CRITICAL', 'src/calc.js', 3],
      [KEY_ID, 'CRITICAL', 'src/config.js', 3],
    ]);
    expect(run.stdout).toContain('Scanners found 2 findings (2 CRITICAL)');
    const sast = f.sast();
    expect(sast.map((x) => [x.id, x.severity, x.file, x.line, x.source])).toEqual([
      [EVAL_ID, 'CRITICAL', 'src/calc.js', 3, 'scanner:patterns'],
      [KEY_ID, 'CRITICAL', 'src/config.js', 3, 'scanner:secrets'],
      ['AGENT-001', 'MEDIUM', 'src/calc.js', 2, 'agent'],
    ]);
    expect(sast.find((x) => x.id === EVAL_ID)!.evidence).toContain('src/calc.js:3:10: return eval(req.body.expression);');
    // The key is reported where it is, with the commit that first added it (TASK-001's), redacted.
    const added = git(dir, 'log', '--format=%H', '--grep', '^TASK-001:').trim();
    expect(sast.find((x) => x.id === KEY_ID)!.evidence).toBe(`AWS access key id at column 29: AKIA… (20 characters, redacted). First committed in ${added.slice(0, 12)}.`);
    const report = f.read('SECURITY_REPORT.md');
    expect(report).toContain(`### CRITICAL: AWS access key id (${KEY_ID})`);
    expect(report).toContain('- Location: `src/config.js:3`');
    expect(report).toContain(`### CRITICAL: eval or new Function on request input (${EVAL_ID})`);
    expect(report).toContain('- Location: `src/calc.js:3`');
    expect(report).toContain('### MEDIUM: No limit on the expression (AGENT-001)');
    // The key itself is in no report, nor in what the person saw.
    for (const text of [report, f.read('SAST_FINDINGS.jsonl'), f.read('SCANNER_FINDINGS.json'), run.stdout]) expect(text).not.toContain(PLANTED_AWS_KEY);

    // !verify is refused while a CRITICAL is open, saying what to do.
    const [first, second, third] = answersTo(run.stdout, '!verify');
    expect(first).toContain('!verify refused');
    expect(first).toContain('SAST_FINDINGS.jsonl holds what !verify may not pass');
    for (const id of [KEY_ID, EVAL_ID]) expect(first).toContain(`Type !security fix to turn it into a fix task, or !security accept ${id} <reason> to accept the risk in writing`);
    expect(first).toContain('deal with each as it says, then type !verify again.');
    expect(first).not.toContain('does not validate');
    expect(run.stdout).toContain(`Accepted ${KEY_ID} (CRITICAL: AWS access key id) with your reason`);
    expect(run.stdout).toContain('The release gate still refuses');
    expect(second).toContain('!verify refused');
    expect(second).toContain(EVAL_ID);
    expect(second).not.toContain(`${KEY_ID} (`);
    expect(run.stdout).toContain('The release gate now passes');
    expect(third).toContain('!verify passed: Security → Verifier');
    expect(third).toContain('Release verdict: SHIP');
    // Two refused lines; everything else went through.
    expect(run.stdout).toContain('2 lines failed.');
    expect(run.code).toBe(1);

    // The reasons are recorded in the findings, the report and HANDOFF.json.
    const accepted = f.sast();
    expect(accepted.find((x) => x.id === KEY_ID)).toMatchObject({ status: 'accepted', acceptedReason: 'the key was rotated; this one is revoked' });
    expect(accepted.find((x) => x.id === EVAL_ID)).toMatchObject({ status: 'accepted', acceptedReason: "only the till's own page can reach it, behind the shop's LAN" });
    expect(f.read('SECURITY_REPORT.md')).toContain('- Status: accepted, reason: the key was rotated; this one is revoked');
    const history = f.handoff().history.map((e) => e.event);
    expect(history).toContain(`!security accept ${KEY_ID}: the key was rotated; this one is revoked`);
    expect(history.indexOf('security gate passes after an acceptance')).toBeGreaterThan(history.indexOf(`!security accept ${EVAL_ID}: only the till's own page can reach it, behind the shop's LAN`));
    expect(f.read('RELEASE.md')).toContain('Verdict: **SHIP**');
    expect(f.stage()).toBe('shipped');
  }, 120_000);

  it('!security fix turns the open CRITICAL into a Builder task; the scan runs again, finds it resolved, and !verify goes through', async () => {
    const task = firstTask({ plantEval: true });
    const fix = { id: 'TASK-002', title: 'fix', description: 'fix', acceptance_criteria: ['fixed'], files: { 'src/calc.js': CALC_FIXED_JS } };
    const server = await startReleaseModel('planted eval, fixed', [
      ...planTurns([task]),
      ...buildTaskTurns([task]),
      ...criticTurns(),
      ...securityTurns(),
      ...builderTurns(fix, 'quickSum parses digits and "+" itself; eval is gone.'),
      ...taskReviewTurns('TASK-002'),
      ...securityTurns(),
      ...verifierTurns(),
    ]);
    const { h, dir } = releaseHome();

    const run = await runRelease(server, h, [...buildLines(dir), '!critic', '!security', '!verify', '!security fix', '!verify']);
    expect(run.stderr).toBe('');
    expect(invalidCalls(server)).toEqual([]);
    expect(server.remainingTurns()).toEqual({ discovery: 0, planner: 0, 'builder@TASK-001': 0, 'critic@TASK-001': 0, critic: 0, security: 0, 'builder@TASK-002': 0, 'critic@TASK-002': 0, verifier: 0 });

    const [refused, accepted] = answersTo(run.stdout, '!verify');
    expect(refused).toContain('!verify refused');
    expect(refused).toContain(EVAL_ID);
    expect(run.stdout).toMatch(/!security fix: added TASK-002 to \S+TASK-GRAPH\.md and approved them for the Builder/);
    expect(run.stdout).toMatch(/TASK-002 DONE — commit [0-9a-f]{12}/);
    // The scanners ran again after the fix, and the report says the finding is resolved.
    expect(run.stdout.match(/Running the security scanners/g)).toHaveLength(2);
    expect(accepted).toContain('!verify passed: Security → Verifier');
    expect(accepted).toContain('Release verdict: SHIP');
    expect(run.stdout).toContain('1 line failed.');

    const f = projectFiles(h, dir);
    expect(f.sast().map((x) => [x.id, x.status])).toEqual([[EVAL_ID, 'resolved']]);
    expect(f.read('TASK-GRAPH.md')).toContain(`Fix CRITICAL ${EVAL_ID}`);
    expect(gitSubjects(dir).slice(-2)).toEqual(['TASK-001: Order totals', expect.stringMatching(/^TASK-002: Fix CRITICAL patterns:eval-request-input/)]);
    expect(readFileSync(path.join(dir, 'src', 'calc.js'), 'utf8')).toBe(CALC_FIXED_JS);
    const handoff = f.handoff();
    expect(handoff.tasks.map((t) => [t.id, t.status, t.receipts.every((r) => r.exitCode === 0)])).toEqual([
      ['TASK-001', 'DONE', true],
      ['TASK-002', 'DONE', true],
    ]);
    expect(handoff.history.map((e) => e.event)).toContain('security fix tasks');
    expect(handoff.milestone).toBe('shipped');
    expect(f.stage()).toBe('shipped');
  }, 120_000);
});
