// !reset after a shipped run, through the built CLI against the fake server: the pipeline
// starts over in Discovery (no tasks, no build, no milestone), the old run's reports move into
// backups/, and a later session resumes in Discovery rather than Maintenance.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  answersTo,
  buildLines,
  firstTask,
  gitSubjects,
  projectFiles,
  releaseCleanup,
  releaseHome,
  runRelease,
  RESUME_LINES,
  shipTurns,
  startReleaseModel,
} from '../helpers/release-fixture.js';

afterEach(releaseCleanup);

describe('!reset after shipping', () => {
  it('starts the pipeline over in Discovery, keeps the old run in backups/, and a resume stays in Discovery', async () => {
    const task = firstTask();
    const server = await startReleaseModel('reset after ship', shipTurns([task]));
    const { h, dir } = releaseHome();

    const run = await runRelease(server, h, [...buildLines(dir), '!critic', '!security', '!verify', '!reset', 'yes', '!status']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Release verdict: SHIP');
    const prompt = answersTo(run.stdout, '!reset')[0]!;
    expect(prompt).toContain('1 task record');
    expect(prompt).toContain('the "shipped" milestone are cleared from HANDOFF.json');
    const f = projectFiles(h, dir);
    const said = answersTo(run.stdout, 'yes').at(-1)!;
    expect(said).toContain('Reset to Discovery. The previous state is backed up at');
    expect(said).toMatch(/The old run's reports moved to \S+: BUILD_REPORT\.md, CRITICISM\.md, CRITICISM\.json, SCANNER_FINDINGS\.json, SECURITY_REPORT\.md, SAST_FINDINGS\.jsonl, SECURITY_DOMAINS\.json, RELEASE_CHECKS\.json, RELEASE\.md, RELEASE\.json\./);
    expect(said).toContain('Every task in TASK-GRAPH.md is PENDING again.');

    const status = answersTo(run.stdout, '!status').at(-1)!;
    expect(status).toContain('Stage:    Discovery');
    expect(status).not.toContain('shipped');
    expect(status).not.toContain('Tasks:');

    expect(f.handoff()).toMatchObject({ stage: 'discovery', tasks: [] });
    expect(f.handoff().milestone).toBeUndefined();
    expect(f.stage()).toBe('discovery');
    expect(existsSync(path.join(f.artifacts, 'RELEASE.md'))).toBe(false);
    const runDir = readdirSync(path.join(f.artifacts, 'backups')).find((name) => name.startsWith('run-'))!;
    expect(readdirSync(path.join(f.artifacts, 'backups', runDir))).toContain('RELEASE.md');
    expect(f.read('TASK-GRAPH.md')).toContain(`${task.id} [PENDING]`);
    expect(f.read('feature-spec.md')).toContain('## Features');
    // The project's own history is the person's: the task commit stays.
    expect(gitSubjects(dir).at(-1)).toBe(`${task.id}: ${task.title}`);

    const again = await runRelease(server, h, [...RESUME_LINES, '!status']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Resumed till in Discovery');
    expect(again.stdout).not.toContain('Maintenance');
    expect(answersTo(again.stdout, '!status')[0]).toContain('Stage:    Discovery');
    expect(f.stage()).toBe('discovery');
  }, 120_000);
});
