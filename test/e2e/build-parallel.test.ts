// Parallel tasks end to end (max_workers 2): each task in its own git worktree on its own
// branch, landing on the working branch through the merge queue, and a conflict between two
// of them: re-run once on the new base, then BLOCKED with the task's commit kept for the person.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '../helpers/pty-cli.js';
import { bodyOf, closeFakeModels, systemText } from '../helpers/fake-model.js';
import { buildsFiles, commitSubjects, filesOf, git, laneCalls, leftovers, moduleWithTest, readHandoff, reviewPasses, setUpBuild, taskRecord, toBuildLines, BUILD_TEST } from '../helpers/build-fixture.js';
import type { RecordedRequest } from '../../src/fake-server/index.js';

afterEach(async () => {
  await cleanup();
  await closeFakeModels();
});

/** The directory the Builder was told to work in (its worktree when the task runs in one). */
const workDirOf = (request: RecordedRequest) => /Project directory: (\S+)\./.exec(systemText(bodyOf(request)))?.[1];

describe('parallel tasks in worktrees', BUILD_TEST, () => {
  it('runs two independent tasks at once, each in its worktree, and lands both cleanly', async () => {
    const b = await setUpBuild({
      settings: { max_workers: 2 },
      tasks: [
        { id: 'TASK-001', title: 'Double helper', files: moduleWithTest('double', 'return n * 2;', 'assert.equal(double(2), 4);') },
        { id: 'TASK-002', title: 'Square helper', files: moduleWithTest('square', 'return n * n;', 'assert.equal(square(3), 9);') },
      ],
    });
    const run = await b.run([...toBuildLines(b.dir), '!build', 'yes']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Builder (agent 3) is building 2 tasks with up to 2 at once.');
    expect(run.stdout).toContain('Build complete: 2 tasks DONE, one commit each');

    const artifacts = b.artifacts();
    for (const id of ['TASK-001', 'TASK-002']) {
      expect(workDirOf(laneCalls(b.server, 'builder', id)[0]!)).toBe(path.join(artifacts, 'worktrees', `${id}-1`));
    }
    const [one, two] = [taskRecord(artifacts, 'TASK-001'), taskRecord(artifacts, 'TASK-002')];
    // They ran at the same time: each started before the other finished.
    const { tasks } = readHandoff(artifacts) as unknown as { tasks: Array<{ startedAt: string; finishedAt: string }> };
    expect(tasks[0]!.startedAt < tasks[1]!.finishedAt && tasks[1]!.startedAt < tasks[0]!.finishedAt).toBe(true);

    // One commit per task on the working branch, each with only its own files; nothing left behind.
    for (const record of [one, two]) {
      expect(record.status).toBe('DONE');
      expect(git(b.dir, 'merge-base', '--is-ancestor', record.sha!, 'HEAD')).toBe('');
      expect(filesOf(b.dir, record.sha!)).toEqual(record.changedFiles);
    }
    expect(commitSubjects(b.dir).filter((s) => s.startsWith('TASK-')).sort()).toEqual(['TASK-001: Double helper', 'TASK-002: Square helper']);
    expect(git(b.dir, 'branch', '--show-current')).toBe('main');
    expect(git(b.dir, 'ls-files', 'src')).toBe('src/double.js\nsrc/square.js\nsrc/sum.js');
    expect(leftovers(b.dir)).toEqual({ branches: [], worktrees: [] });
    expect(git(b.dir, 'status', '--porcelain')).toBe('');
  });

  it('re-runs a task whose landing conflicts once on the new base, then BLOCKS it on a second conflict, its commit kept', async () => {
    // All three tasks also write src/index.js, which no output_files names. The order is made
    // causal, not timed: a task's test polls until an earlier step has happened. TASK-002's first
    // run lands after TASK-001; TASK-003 lands only once TASK-002's re-run has its worktree;
    // that re-run lands only after TASK-003, and so conflicts again.
    const waitingModule = (name: string, condition: string) => ({
      [`src/${name}.js`]: `export function ${name}(n) {\n  return n;\n}\n`,
      [`test/${name}.test.js`]: [
        "import assert from 'node:assert/strict';",
        "import { existsSync, readdirSync } from 'node:fs';",
        "import { setTimeout as sleep } from 'node:timers/promises';",
        "import { test } from 'node:test';",
        `import { ${name} } from '../src/${name}.js';`,
        '',
        `test('${name} works', async () => {`,
        `  for (let i = 0; i < 400 && !(${condition}); i++) await sleep(50);`,
        `  assert.equal(${name}(1), 1);`,
        '});',
        '',
      ].join('\n'),
    });
    const index = (...names: string[]) => ({ 'src/index.js': names.map((n) => `export * from './${n}.js';\n`).join('') });
    const outputs = (name: string) => [`src/${name}.js`, `test/${name}.test.js`];
    const b = await setUpBuild(({ home, dir }) => {
      const landed = (file: string) => `existsSync(${JSON.stringify(path.join(dir, file))})`;
      const artifacts = JSON.stringify(path.join(home, 'artifacts'));
      const rerunStarted = `readdirSync(${artifacts}).some((p) => existsSync(${artifacts} + '/' + p + '/worktrees/TASK-002-2'))`;
      return {
        settings: { max_workers: 2 },
        tasks: [
          { id: 'TASK-001', title: 'Alpha helper', files: { ...moduleWithTest('alpha', 'return n;', 'assert.equal(alpha(1), 1);'), ...index('alpha') }, outputFiles: outputs('alpha') },
          { id: 'TASK-002', title: 'Beta helper', files: {}, outputFiles: outputs('beta') },
          { id: 'TASK-003', title: 'Gamma helper', files: { ...waitingModule('gamma', rerunStarted), ...index('alpha', 'gamma') }, outputFiles: outputs('gamma') },
        ],
        builder: {
          'TASK-002': [
            buildsFiles('TASK-002', { ...waitingModule('beta', landed('src/alpha.js')), ...index('beta') }),
            buildsFiles('TASK-002', { ...waitingModule('beta', landed('src/gamma.js')), ...index('alpha', 'beta') }),
          ],
        },
        critic: { 'TASK-002': [...reviewPasses('TASK-002'), ...reviewPasses('TASK-002')] },
      };
    });
    const run = await b.run([...toBuildLines(b.dir), '!build', 'yes']);
    expect(run.stderr).toBe('');

    const artifacts = b.artifacts();
    const id = path.basename(artifacts);
    expect(run.stdout).toContain('TASK-002 conflicts with work landed meanwhile (src/index.js); running it once more on the new base.');
    const reruns = laneCalls(b.server, 'builder', 'TASK-002');
    expect(reruns.map(workDirOf)).toEqual([path.join(artifacts, 'worktrees', 'TASK-002-1'), path.join(artifacts, 'worktrees', 'TASK-002-2')]);

    const blocked = taskRecord(artifacts, 'TASK-002');
    expect(blocked).toMatchObject({ status: 'BLOCKED', attempts: 2 });
    expect(blocked.reason).toMatch(new RegExp(`^its work conflicts with tasks landed before it \\(src/index\\.js\\), twice\\. Its commit [0-9a-f]{12} is kept on branch codesleuth/${id}/task-002-2`));
    expect(run.stdout).toContain(`TASK-002 BLOCKED: ${blocked.reason!}`);
    expect(taskRecord(artifacts, 'TASK-001').status).toBe('DONE');
    expect(taskRecord(artifacts, 'TASK-003').status).toBe('DONE');
    expect(commitSubjects(b.dir)).toEqual(['Initial sample project', 'TASK-001: Alpha helper', 'TASK-003: Gamma helper']);
    expect(git(b.dir, 'show', 'HEAD:src/index.js')).toBe("export * from './alpha.js';\nexport * from './gamma.js';");

    // The re-run's commit waits for the person on its branch; no worktree is left, the tree is clean.
    expect(leftovers(b.dir)).toEqual({ branches: [`codesleuth/${id}/task-002-2`], worktrees: [] });
    expect(git(b.dir, 'log', '-1', '--format=%s', `codesleuth/${id}/task-002-2`)).toBe('TASK-002: Beta helper');
    expect(git(b.dir, 'show', `codesleuth/${id}/task-002-2:src/index.js`)).toBe("export * from './alpha.js';\nexport * from './beta.js';");
    expect(git(b.dir, 'status', '--porcelain')).toBe('');
  });

  it('lands in dispatch order, and a task whose dependency waits behind a slower one starts stacked on its commit', async () => {
    // TASK-001's test holds it at work until TASK-003 has a worktree; TASK-003 needs TASK-002,
    // which is done first but lands only after TASK-001. So TASK-003 can start only stacked.
    const b = await setUpBuild(({ home }) => {
      const artifacts = JSON.stringify(path.join(home, 'artifacts'));
      const thirdStarted = `readdirSync(${artifacts}).some((p) => existsSync(${artifacts} + '/' + p + '/worktrees/TASK-003-1'))`;
      const alpha = {
        'src/alpha.js': 'export function alpha(n) {\n  return n;\n}\n',
        'test/alpha.test.js': [
          "import assert from 'node:assert/strict';",
          "import { existsSync, readdirSync } from 'node:fs';",
          "import { setTimeout as sleep } from 'node:timers/promises';",
          "import { test } from 'node:test';",
          "import { alpha } from '../src/alpha.js';",
          '',
          "test('alpha works', async () => {",
          `  for (let i = 0; i < 400 && !(${thirdStarted}); i++) await sleep(50);`,
          '  assert.equal(alpha(1), 1);',
          '});',
          '',
        ].join('\n'),
      };
      return {
        settings: { max_workers: 2 },
        tasks: [
          { id: 'TASK-001', title: 'Alpha helper', files: alpha },
          { id: 'TASK-002', title: 'Beta helper', files: moduleWithTest('beta', 'return n + 1;', 'assert.equal(beta(1), 2);') },
          { id: 'TASK-003', title: 'Gamma helper', files: moduleWithTest('gamma', 'return n + 2;', 'assert.equal(gamma(1), 3);'), dependsOn: ['TASK-002'] },
        ],
      };
    });
    const run = await b.run([...toBuildLines(b.dir), '!build', 'yes']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Build complete: 3 tasks DONE, one commit each');

    const artifacts = b.artifacts();
    const [one, two, three] = ['TASK-001', 'TASK-002', 'TASK-003'].map((id) => taskRecord(artifacts, id));
    // TASK-003 was built on TASK-002's own commit, before TASK-002 landed.
    expect(git(b.dir, 'rev-parse', `${three!.sha!}^`)).toBe(two!.sha);
    // The landings follow the dispatch order: TASK-001's, then TASK-002's, then TASK-003's.
    const landings = git(b.dir, 'log', '--first-parent', '--reverse', '--format=%s', 'HEAD').split('\n').slice(1);
    expect(landings).toEqual(['TASK-001: Alpha helper', 'Land TASK-002: Beta helper', 'Land TASK-003: Gamma helper']);
    for (const record of [one, two, three]) expect(git(b.dir, 'merge-base', '--is-ancestor', record!.sha!, 'HEAD')).toBe('');
    expect(git(b.dir, 'ls-files', 'src')).toBe('src/alpha.js\nsrc/beta.js\nsrc/gamma.js\nsrc/sum.js');
    expect(leftovers(b.dir)).toEqual({ branches: [], worktrees: [] });
    expect(git(b.dir, 'status', '--porcelain')).toBe('');
  });
});
