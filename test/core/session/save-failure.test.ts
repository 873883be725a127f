import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/core/commands/defs/index.js';
import { Session } from '../../../src/core/session/session.js';
import type { ProjectStorePort } from '../../../src/core/session/ports.js';
import { createWorkspace } from '../../../src/git/workspace.js';
import { createConfigStore } from '../../../src/store/config-store.js';
import { createProjectStore } from '../../../src/store/project-store.js';
import { FEATURE_SPEC, INSTALL_DIR, makeTempHome, submitAll, type TempHome } from '../../support/temp-home.js';

let home: TempHome;
afterEach(async () => home?.cleanup());

describe('a transition whose save fails', () => {
  it('is reported, and the pipeline stays where it was', async () => {
    home = await makeTempHome();
    const real = createProjectStore(home.home);
    let failSaves = false;
    const projects: ProjectStorePort = {
      ...real,
      saveHandoff: async (id, handoff) => {
        if (failSaves) throw new Error('ENOSPC: no space left on device');
        return real.saveHandoff(id, handoff);
      },
    };
    const session = new Session(
      {
        config: createConfigStore({ homeDir: home.home, installDir: INSTALL_DIR }),
        projects,
        workspace: createWorkspace(home.scratch),
        env: { homeDir: home.home, installDir: INSTALL_DIR, now: () => new Date() },
      },
      createBuiltinRegistry(),
    );
    const texts: string[] = [];
    session.subscribe((e) => e.type === 'entry' && texts.push(e.entry.text));
    await submitAll(session, ['Start agent 0', 'An app', 'web', path.join(home.scratch, 'app'), 'yes']);
    const id = texts.join('\n').match(/\[(app-[0-9a-f]+)\]/)![1]!;
    await writeFile(path.join(home.home, 'artifacts', id, 'feature-spec.md'), FEATURE_SPEC);

    failSaves = true;
    const outcome = await session.submit('!plan');
    expect(outcome.ok).toBe(false);
    expect(texts.join('\n')).toContain('ENOSPC');
    expect(session.status().stage).toBe('discovery');

    failSaves = false;
    expect((await session.submit('!plan')).ok).toBe(true);
    expect(session.status().stage).toBe('planning');
    await session.shutdown();
  });
});
