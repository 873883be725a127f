import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentRuntime } from '../../src/app/agent-runtime.js';
import { BudgetLedger } from '../../src/core/budget/ledger.js';
import { SummaryBuilder } from '../../src/core/budget/summary.js';
import { DEFAULT_SETTINGS } from '../../src/core/config/settings.schema.js';
import { checkGate } from '../../src/core/pipeline/gates.js';
import type { SecurityFinding } from '../../src/core/security/finding.js';
import { writeSecurityFiles } from '../../src/core/security/security-tool.js';
import type { SessionPorts } from '../../src/core/session/ports.js';
import { openNewProject } from '../../src/core/session/project-lifecycle.js';
import { createWorkspace } from '../../src/git/workspace.js';
import { createConfigStore } from '../../src/store/config-store.js';
import { createProjectStore } from '../../src/store/project-store.js';
import { INSTALL_DIR, makeTempHome, type TempHome } from '../support/temp-home.js';

/*
 * The severities that keep !verify shut come from rules/security-domains.md as loaded at run
 * time (the home's copy over the shipped one), through the real agent runtime and the gate's
 * own evidence check. No model is called.
 */

let home: TempHome | undefined;
afterEach(async () => home?.cleanup());

const HIGH: SecurityFinding = {
  id: 'AGENT-001',
  severity: 'HIGH',
  domain: 'S1',
  title: 'Passwords hashed with MD5',
  file: 'src/auth.js',
  line: 4,
  evidence: 'md5(password)',
  source: 'agent',
  status: 'open',
};

/** A project whose security report holds one open HIGH finding; `homeRule` is the home's rules/security-domains.md, if any. */
async function verifyGateWith(homeRule?: (shipped: string) => string) {
  home = await makeTempHome();
  if (homeRule) {
    const shipped = await readFile(path.join(INSTALL_DIR, 'rules', 'security-domains.md'), 'utf8');
    await mkdir(path.join(home.home, 'rules'), { recursive: true });
    await writeFile(path.join(home.home, 'rules', 'security-domains.md'), homeRule(shipped));
  }
  const projects = createProjectStore(home.home);
  const agents = createAgentRuntime({
    installDir: INSTALL_DIR,
    homeDir: home.home,
    settings: DEFAULT_SETTINGS,
    access: { apiKey: undefined, baseURL: undefined, modelOverride: undefined, missingKey: 'no key' },
    ledger: new BudgetLedger(),
    spending: new SummaryBuilder(),
    projects,
    sessionId: 's',
    now: () => new Date('2026-01-02T03:04:05Z'),
  });
  const ports: SessionPorts = {
    config: createConfigStore({ homeDir: home.home, installDir: INSTALL_DIR }),
    projects,
    workspace: createWorkspace(home.scratch),
    env: { homeDir: home.home, installDir: INSTALL_DIR, now: () => new Date('2026-01-02T03:04:05Z') },
    agents,
  };
  const platforms = await ports.config.readPlatforms();
  if (platforms.kind !== 'ok') throw new Error('no platforms');
  const project = (await openNewProject(ports, { brief: 'A login page', platform: platforms.value.find((p) => p.id === 'web')!, directory: path.join(home.scratch, 'login') })).project!;
  const blocking = await agents.releaseBlocking!();
  await writeSecurityFiles(projects, project.id, [HIGH], { blocking: blocking.severities, notes: [] });
  const check = checkGate('verify', await project.gatherEvidence('verify'));
  await project.close();
  return { blocking, check, problems: (await agents.check()).problems ?? '' };
}

describe('the blocking severities of rules/security-domains.md, read at run time', () => {
  it('the shipped rule (critical, high) keeps !verify shut on an open HIGH finding', async () => {
    const { blocking, check } = await verifyGateWith();
    expect(blocking).toEqual({ severities: ['CRITICAL', 'HIGH'] });
    expect(check.open).toBe(false);
    expect(JSON.stringify(check)).toContain('open HIGH finding AGENT-001');
  });

  it('a home rule with blocking: [critical] lets the HIGH finding through', async () => {
    const { blocking, check } = await verifyGateWith((shipped) => shipped.replace('blocking: [critical, high]', 'blocking: [critical]'));
    expect(blocking).toEqual({ severities: ['CRITICAL'] });
    expect(check.open).toBe(true);
  });

  it('a broken home copy is reported and the shipped rule applies (the loader keeps the first valid copy)', async () => {
    const { blocking, check, problems } = await verifyGateWith(() => '---\nname: security-domains\n---\nnot the data\n');
    expect(problems).toContain('security-domains.md');
    expect(blocking).toEqual({ severities: ['CRITICAL', 'HIGH'] });
    expect(check.open).toBe(false);
  });
});
