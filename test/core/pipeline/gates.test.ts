import { describe, expect, it } from 'vitest';
import { ARTIFACTS } from '../../../src/core/pipeline/artifacts.js';
import { checkGate, gateForStage } from '../../../src/core/pipeline/gates.js';
import { buildEvidence } from '../../../src/core/pipeline/build-evidence.js';
import type { TaskRecord } from '../../../src/core/build/build-record.js';
import { FEATURE_SPEC } from '../../support/temp-home.js';

const SHA = 'b'.repeat(64);

describe('checkGate', () => {
  it('opens when every artifact is valid', () => {
    expect(checkGate('plan', [{ name: 'feature-spec.md', status: 'valid', sha256: SHA }])).toEqual({ open: true });
  });

  it('names each missing artifact and who produces it', () => {
    const check = checkGate('build', [{ name: 'TDD.md', status: 'valid', sha256: SHA }]);
    expect(check.open).toBe(false);
    if (check.open) return;
    expect(check.refusals.map((r) => r.artifact)).toEqual(['INTERFACES.md', 'TASK-GRAPH.md']);
    expect(check.refusals[0]?.reason).toBe('INTERFACES.md does not exist yet');
    expect(check.refusals[0]?.remedy).toContain('agent 2 (Planner)');
  });

  it('passes on the problems of an invalid artifact, with line numbers', () => {
    const check = checkGate('plan', [
      { name: 'feature-spec.md', status: 'invalid', sha256: SHA, problems: [{ line: 3, message: 'bad table' }, { message: 'missing Users' }] },
    ]);
    expect(check.open).toBe(false);
    if (check.open) return;
    expect(check.refusals[0]?.reason).toBe('feature-spec.md does not validate: line 3: bad table; missing Users');
  });

  it('names what to deal with, not a file to rewrite, when a valid file holds what shuts the gate', () => {
    const open = { id: 'secrets:aws-access-key-id:src/config.js:3', severity: 'CRITICAL', domain: 'S7', title: 'AWS access key id', file: 'src/config.js', line: 3, evidence: 'AKIA… (redacted)', source: 'scanner:secrets', status: 'open' };
    const problems = ARTIFACTS['SAST_FINDINGS.jsonl']!.validate(`${JSON.stringify(open)}\n`);
    const check = checkGate('verify', [
      { name: 'SECURITY_REPORT.md', status: 'valid', sha256: SHA },
      { name: 'SAST_FINDINGS.jsonl', status: 'invalid', sha256: SHA, problems },
    ]);
    expect(check.open).toBe(false);
    if (check.open) return;
    expect(check.refusals).toEqual([
      {
        artifact: 'SAST_FINDINGS.jsonl',
        reason:
          `SAST_FINDINGS.jsonl holds what !verify may not pass: line 1: open CRITICAL finding ${open.id}: AWS access key id at src/config.js:3. ` +
          `Type !security fix to turn it into a fix task, or !security accept ${open.id} <reason> to accept the risk in writing`,
        remedy: 'deal with each as it says, then type !verify again',
      },
    ]);
    // A line that is not a finding is still a broken file, whoever wrote it.
    const broken = checkGate('verify', [
      { name: 'SECURITY_REPORT.md', status: 'valid', sha256: SHA },
      { name: 'SAST_FINDINGS.jsonl', status: 'invalid', sha256: SHA, problems: ARTIFACTS['SAST_FINDINGS.jsonl']!.validate('{not json\n') },
    ]);
    expect(!broken.open && broken.refusals[0]!.reason).toMatch(/^SAST_FINDINGS\.jsonl does not validate: line 1: /);
    expect(!broken.open && broken.refusals[0]!.remedy).toContain('agent 5 (Security)');
  });

  it('maps stages to the gate that leaves them', () => {
    expect(gateForStage('discovery')?.command).toBe('!plan');
    expect(gateForStage('security')?.command).toBe('!verify');
    expect(gateForStage('maintenance')).toBeUndefined();
  });
});

describe('artifact validators', () => {
  it('accept a feature spec with its sections and report the missing ones', () => {
    const validate = ARTIFACTS['feature-spec.md']!.validate;
    expect(validate(FEATURE_SPEC)).toEqual([]);
    const messages = validate('# Spec\n## Summary\nx\n').map((p) => p.message);
    expect(messages.join('\n')).toContain('## Users');
    expect(messages.join('\n')).toContain('## Features');
    expect(validate('   ').length).toBeGreaterThan(0);
  });

  it('refuse a TASK-GRAPH.md without tasks', () => {
    expect(ARTIFACTS['TASK-GRAPH.md']!.validate('# Tasks\nnone').length).toBeGreaterThan(0);
  });
});

describe('optional artifacts', () => {
  const valid = (name: string) => ({ name, status: 'valid' as const, sha256: SHA });
  it('let !build pass without SCHEMA.md but not with a broken one', () => {
    const required = ['TDD.md', 'INTERFACES.md', 'TASK-GRAPH.md'].map(valid);
    expect(checkGate('build', required)).toEqual({ open: true });
    expect(checkGate('build', [...required, { name: 'SCHEMA.md', status: 'missing' }])).toEqual({ open: true });
    const broken = checkGate('build', [...required, { name: 'SCHEMA.md', status: 'invalid', sha256: SHA, problems: [{ line: 4, message: 'bad field row' }] }]);
    expect(broken.open).toBe(false);
  });
});

describe('the !critic guard reads the build, not only its report', () => {
  const report = [{ name: 'BUILD_REPORT.md', status: 'valid', sha256: SHA }] as const;
  const record = (id: string, status: TaskRecord['status']): TaskRecord => ({ id, status, attempts: 1, concerns: [], receipts: [], changedFiles: [], inputTokens: 0, outputTokens: 0, costUsd: 0, reviewRounds: 0 });
  const task = (id: string) => ({ id, title: id, description: 'd', acceptance_criteria: ['a'], output_files: [`${id}.js`], depends_on: [], size: 'S' as const, status: 'PENDING' as const });
  const graph = { tasks: [task('TASK-001'), task('TASK-002'), task('TASK-003'), task('TASK-004')] };

  it('opens when the build completed with every task DONE or skipped', () => {
    const build = buildEvidence([record('TASK-001', 'DONE'), record('TASK-002', 'SKIPPED'), record('TASK-003', 'DONE'), record('TASK-004', 'DONE')], 'then', graph);
    expect(build).toEqual({ completedAt: 'then', unfinished: [] });
    expect(checkGate('critic', report, build)).toEqual({ open: true });
  });

  it('refuses a report on disk when tasks are not finished, naming them and what to type', () => {
    // TASK-004 has no record yet: the Builder has not reached it.
    const build = buildEvidence([record('TASK-001', 'DONE'), record('TASK-002', 'BLOCKED'), record('TASK-003', 'NEEDS_CONTEXT')], 'earlier', graph);
    expect(build.unfinished).toEqual([{ id: 'TASK-002', status: 'BLOCKED' }, { id: 'TASK-003', status: 'NEEDS_CONTEXT' }, { id: 'TASK-004', status: 'PENDING' }]);
    const check = checkGate('critic', report, build);
    expect(check.open).toBe(false);
    if (check.open) return;
    expect(check.refusals).toEqual([
      {
        artifact: 'HANDOFF.json',
        reason: 'the build is not finished: TASK-002 BLOCKED, TASK-003 NEEDS_CONTEXT, TASK-004 PENDING',
        remedy: 'type !continue to go on with the build, !retry TASK-002 to run it again, !skip TASK-002 to build without it or !decide <id> <answer> for TASK-003 (!status lists the questions)',
      },
    ]);
  });

  it('refuses a build whose tasks are done but which never completed, and a guard without the build evidence', () => {
    const notCompleted = checkGate('critic', report, buildEvidence([record('TASK-001', 'DONE')], undefined, undefined));
    expect(notCompleted.open ? [] : notCompleted.refusals.map((r) => `${r.reason} — ${r.remedy}`)).toEqual([
      'the build has not completed (HANDOFF.json has no completion time) — type !continue to finish it and write BUILD_REPORT.md',
    ]);
    expect(checkGate('critic', report).open).toBe(false);
  });

  it('is asked only by !critic', () => {
    expect(checkGate('plan', [{ name: 'feature-spec.md', status: 'valid', sha256: SHA }])).toEqual({ open: true });
  });
});
