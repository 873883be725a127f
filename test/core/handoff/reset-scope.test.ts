import { describe, expect, it } from 'vitest';
import { CRITICISM_JSON_FILE } from '../../../src/core/verdicts/critic-tool.js';
import { RELEASE_JSON_FILE } from '../../../src/core/release/release-report.js';
import { RELEASE_CHECKS_FILE } from '../../../src/core/release/release-checks.js';
import { SECURITY_DOMAINS_FILE } from '../../../src/core/security/security-tool.js';
import { SCANNER_FINDINGS_FILE } from '../../../src/core/security/scanner-file.js';
import { RUN_OUTPUTS, clearRun, resetClears, resetPrompt } from '../../../src/core/handoff/reset-scope.js';
import type { Handoff } from '../../../src/core/handoff/handoff.schema.js';

const handoff: Handoff = {
  schemaVersion: 1,
  version: 5,
  project: { id: 'p1', name: 'cafe', path: '/work/cafe', platform: 'Web', brief: 'A shared list', createdAt: 'then' },
  stage: 'maintenance',
  machine: {},
  approvals: [{ gate: 'plan', at: 'then', artifacts: [] }, { gate: 'build', at: 'then', artifacts: [] }],
  tasks: [{ id: 'TASK-001', status: 'DONE', attempts: 1, concerns: [], receipts: [], changedFiles: [], inputTokens: 0, outputTokens: 0, costUsd: 0, reviewRounds: 2 }],
  build: { autonomy: 'end_only', decisions: [], completedAt: '2026-01-01T00:00:00Z', branch: 'main' },
  milestone: 'shipped',
  history: [{ at: 'then', event: 'create', from: 'none', to: 'discovery' }],
  updatedAt: 'then',
};

describe('what !reset clears', () => {
  it('names every run output the writers use', () => {
    for (const name of [CRITICISM_JSON_FILE, RELEASE_JSON_FILE, RELEASE_CHECKS_FILE, SECURITY_DOMAINS_FILE, SCANNER_FINDINGS_FILE]) expect(RUN_OUTPUTS).toContain(name);
  });

  it('clears approvals, tasks, the build and the milestone, and keeps the project and its history', () => {
    const cleared = clearRun(handoff);
    expect(cleared).toMatchObject({ approvals: [], tasks: [], project: handoff.project, history: handoff.history, version: 5 });
    expect('build' in cleared).toBe(false);
    expect('milestone' in cleared).toBe(false);
  });

  it('says in the prompt what goes and where the old state is kept', () => {
    expect(resetClears(handoff)).toEqual(['the approvals (!plan, !build)', '1 task record', "the build's state (completed 2026-01-01T00:00:00Z, branch main)", 'the "shipped" milestone']);
    const prompt = resetPrompt(handoff, '/home/artifacts/p1/HANDOFF.json');
    expect(prompt).toContain('Reset cafe to Discovery? The pipeline starts over');
    expect(prompt).toContain('move to /home/artifacts/p1/backups');
    expect(prompt).toContain('BUILD_REPORT.md');
    expect(prompt).toContain('with every task in TASK-GRAPH.md PENDING again');
    expect(prompt).toContain('Type yes to reset, anything else to keep going.');
  });
});
