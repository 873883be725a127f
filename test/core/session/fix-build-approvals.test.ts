import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BuildEnding } from '../../../src/core/build/build-ending.js';
import { staleApprovals } from '../../../src/core/pipeline/approvals.js';
import type { Stage } from '../../../src/core/pipeline/stages.js';
import { endingMessage } from '../../../src/core/session/build-messages.js';
import type { OpenProject } from '../../../src/core/session/open-project.js';
import { openNewProject } from '../../../src/core/session/project-lifecycle.js';
import { createWorkspace } from '../../../src/git/workspace.js';
import { createConfigStore } from '../../../src/store/config-store.js';
import { createProjectStore } from '../../../src/store/project-store.js';
import { INSTALL_DIR, makeTempHome, type TempHome } from '../../support/temp-home.js';

/*
 * Tasks added after !critic (by !critic fix, !security fix or Maintenance) are approved as they
 * are added; building them rewrites BUILD_REPORT.md, which !critic approved. The report's
 * approval is renewed with them, so the next gate (!security, !verify) does not refuse over a
 * report the person's own approval produced — and the person is told the right next step.
 */

let home: TempHome | undefined;
afterEach(async () => home?.cleanup());

const REPORT = '# Build report\n\n## Tasks\n\n| TASK-001 | DONE |\n';

async function projectWithCriticApproval() {
  home = await makeTempHome();
  const ports = {
    config: createConfigStore({ homeDir: home.home, installDir: INSTALL_DIR }),
    projects: createProjectStore(home.home),
    workspace: createWorkspace(home.scratch),
    env: { homeDir: home.home, installDir: INSTALL_DIR, now: () => new Date('2026-01-02T03:04:05Z') },
  };
  const platforms = await ports.config.readPlatforms();
  if (platforms.kind !== 'ok') throw new Error('no platforms');
  const opened = await openNewProject(ports, { brief: 'A till', platform: platforms.value.find((p) => p.id === 'web')!, directory: path.join(home.scratch, 'till') });
  const project = opened.project!;
  const report = path.join(home.home, 'artifacts', project.id, 'BUILD_REPORT.md');
  await writeFile(report, REPORT);
  await project.renewApproval('critic', '!critic');
  const stale = async () => {
    const current = await ports.projects.readArtifact(project.id, 'BUILD_REPORT.md');
    return staleApprovals(project.handoff.approvals, new Map([['BUILD_REPORT.md', current.kind === 'ok' ? current.sha256 : undefined]]));
  };
  return { project, report, stale };
}

describe('renewApproval', () => {
  it('records the artifacts as they are now, so an approval the runtime follows up no longer reads as stale', async () => {
    const { project, report, stale } = await projectWithCriticApproval();
    expect(await stale()).toEqual([]);
    await writeFile(report, `${REPORT}| TASK-002 | DONE |\n`);
    expect((await stale()).map((s) => [s.gate, s.artifact])).toEqual([['critic', 'BUILD_REPORT.md']]);

    const version = project.handoff.version;
    await project.renewApproval('critic', 'BUILD_REPORT.md renewed with the approved tasks');
    expect(await stale()).toEqual([]);
    expect(project.handoff.version).toBe(version + 1);
    expect(project.handoff.approvals.at(-1)).toMatchObject({ gate: 'critic', artifacts: [{ name: 'BUILD_REPORT.md' }] });
    expect(project.handoff.history.at(-1)).toMatchObject({ event: 'BUILD_REPORT.md renewed with the approved tasks', from: 'discovery', to: 'discovery' });
    await project.close();
  });
});

describe('the message when a build completes', () => {
  const complete: BuildEnding = { kind: 'complete' };
  const at = (stage: Stage) => ({ handoff: { tasks: [{ status: 'DONE' }, { status: 'DONE' }] }, position: () => ({ stage, paused: false }) }) as unknown as OpenProject;

  it.each([
    ['building', 'Review it; when you agree, type !critic.'],
    ['critique', "The report's !critic approval is renewed with these tasks. Critic reviews the fixes next."],
    ['security', "The report's !critic approval is renewed with these tasks. Security reviews the fixes next."],
    ['maintenance', "The report's !critic approval is renewed with these tasks. Type !verify to verify the project again."],
    ['verification', "The report's !critic approval is renewed with these tasks. Type !verify to verify the project again."],
  ] as const)('in %s ends with: %s', (stage, next) => {
    const text = endingMessage(complete, at(stage), '/a/BUILD_REPORT.md', '$0.10').text;
    expect(text).toBe(`Build complete: 2 tasks DONE, one commit each; the build spent $0.10.\nReport: /a/BUILD_REPORT.md\n${next}`);
  });
});
