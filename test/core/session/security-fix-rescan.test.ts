import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { artifactToolsFor } from '../../../src/app/artifact-tools.js';
import type { AgentOutcome } from '../../../src/core/agent/agent-types.js';
import { createBuiltinRegistry } from '../../../src/core/commands/defs/index.js';
import type { ArtifactEvidence } from '../../../src/core/pipeline/artifacts.js';
import { SECURITY_DOMAIN_IDS, type SecurityFinding } from '../../../src/core/security/finding.js';
import { readSastFindings } from '../../../src/core/security/security-tool.js';
import type { AgentRuntimePort, SessionPorts } from '../../../src/core/session/ports.js';
import { Session } from '../../../src/core/session/session.js';
import { StageAgents } from '../../../src/core/session/stage-agents.js';
import type { Task } from '../../../src/core/task-graph/task.js';
import { finishedWithReport } from '../../support/agent-outcomes.js';
import { builds, cleanUp, setUp } from './build-controller-fixtures.js';

/*
 * `!security fix` in a session: the fix build may stop on the way (here per_task autonomy),
 * and whenever it completes — in the same call or after !continue — Security scans again and
 * the findings the fixes removed become resolved. A second `!security fix` builds the fix
 * tasks still unfinished instead of skipping their findings.
 */

afterEach(cleanUp);

const high = (file: string): SecurityFinding => ({
  id: `patterns:eval-on-input:${file}:1`,
  severity: 'HIGH',
  domain: 'S4',
  title: 'eval on request input',
  file,
  line: 1,
  evidence: 'eval(req.body.code)',
  source: 'scanner:patterns',
  status: 'open',
});

/** The Security agent's stand-in: reports every domain checked and no finding of its own. */
function securityRuntime(ports: () => SessionPorts): AgentRuntimePort {
  return {
    check: async () => ({}),
    contextUse: async () => undefined,
    modelPrice: async () => undefined,
    releaseBlocking: async () => ({ severities: ['CRITICAL', 'HIGH'] }),
    async run(request): Promise<AgentOutcome> {
      if (request.stage === 'security') {
        const [tool] = artifactToolsFor('security', ['report_security_findings'], ports().projects, { projectId: request.projectId, projectPath: request.projectPath }).tools;
        const input = { domains: Object.fromEntries(SECURITY_DOMAIN_IDS.map((id) => [id, { status: 'checked', summary: 'looked' }])), findings: [] };
        const result = await tool!.execute(input, { projectRoot: request.projectPath, approve: async () => 'yes' });
        if (result.isError) throw new Error(result.llmContent);
      }
      return finishedWithReport(request.messages, { summary: `${request.stage} done` });
    },
  };
}

const DONE_TASK: Task = { id: 'TASK-001', title: 'Server', description: 'Serve.', acceptance_criteria: ['serves'], output_files: ['src/a.js', 'src/b.js'], depends_on: [], size: 'S', status: 'PENDING' };
const valid = (...names: string[]): ArtifactEvidence[] => names.map((name) => ({ name, status: 'valid', sha256: 'f'.repeat(64) }));

/** A project in Security with two open HIGH scanner findings, built with per_task autonomy, resumed in a session. */
async function inSecurity() {
  const h = await setUp({ tasks: [DONE_TASK], steps: { 'TASK-001': [builds] } });
  await mkdir(path.join(h.projectDir, 'src'), { recursive: true });
  await writeFile(path.join(h.projectDir, 'src', 'a.js'), 'eval(req.body.code);\n');
  await writeFile(path.join(h.projectDir, 'src', 'b.js'), 'eval(req.body.code);\n');
  await h.controller.start(h.project);
  expect(h.project.handoff.tasks.map((t) => t.status)).toEqual(['DONE']);

  let found = [high('src/a.js'), high('src/b.js')];
  const scans: string[] = [];
  let ports!: SessionPorts;
  ports = {
    ...h.ports,
    agents: securityRuntime(() => ports),
    release: {
      scan: async (dir) => {
        scans.push(dir);
        return { findings: found, notes: [] };
      },
      cleanRun: async () => {
        throw new Error('not in this test');
      },
    },
  };
  for (const [gate, names] of [
    ['critic', ['BUILD_REPORT.md']],
    ['security', ['CRITICISM.md']],
  ] as const) {
    // The build the harness ran is complete: the !critic guard reads that from HANDOFF.json beside the report.
    const build = { completedAt: 't', unfinished: [] };
    expect((await h.project.send({ type: 'GATE', gate, evidence: valid(...names), build }, `!${gate}`)).moved).toBe(true);
  }
  const agents = new StageAgents(ports, { emit: () => undefined, live: () => undefined, project: () => h.project, pause: async () => undefined, milestone: async () => undefined });
  await agents.kickoff('security');
  await h.project.update((handoff) => ({ ...handoff, build: { ...handoff.build!, autonomy: 'per_task' } }), '!autonomy per_task');
  await h.project.register();
  await h.project.close();

  const texts: string[] = [];
  const open = async () => {
    const session = new Session(ports, createBuiltinRegistry());
    session.subscribe((event) => event.type === 'entry' && texts.push(event.entry.text));
    await session.submit('Start agent 0');
    await session.submit('1');
    return session;
  };
  return {
    h,
    ports,
    session: await open(),
    /** A new session (the REPL started again) resuming the project. */
    open,
    scans,
    text: () => texts.join('\n'),
    fixAll: () => {
      found = [];
    },
    findings: async () => {
      const sast = await readSastFindings(ports.projects, h.project.id);
      if (!sast.ok) throw new Error(sast.message);
      return Object.fromEntries(sast.findings.map((f) => [f.file, f.status]));
    },
  };
}

describe('!security fix', () => {
  it('scans again when the fix build completes after stopping once, and the fixed findings are resolved', async () => {
    const s = await inSecurity();
    expect(s.scans).toHaveLength(1);
    expect(await s.findings()).toEqual({ 'src/a.js': 'open', 'src/b.js': 'open' });
    s.h.steps['TASK-002'] = [builds];
    s.h.steps['TASK-003'] = [
      (request, h) => {
        s.fixAll();
        return builds(request, h);
      },
    ];

    await s.session.submit('!security fix');
    expect(s.text()).toContain('!security fix: added TASK-002, TASK-003');
    expect(s.text()).toContain('TASK-002 is DONE (per_task autonomy)');
    // Stopped: no scan yet, and the findings are still open.
    expect(s.scans).toHaveLength(1);
    expect(await s.findings()).toEqual({ 'src/a.js': 'open', 'src/b.js': 'open' });

    await s.session.submit('!continue');
    expect(s.text()).toContain('Build complete');
    expect(s.scans).toHaveLength(2);
    expect(await s.findings()).toEqual({ 'src/a.js': 'resolved', 'src/b.js': 'resolved' });
    expect(s.text()).toContain('Release gate: PASS');
    await s.session.shutdown();
  });

  it('a second !security fix builds the fix tasks left unfinished and says what it does with each, then the scan runs', async () => {
    const s = await inSecurity();
    s.h.steps['TASK-002'] = [builds];
    s.h.steps['TASK-003'] = [
      (request, h) => {
        s.fixAll();
        return builds(request, h);
      },
    ];
    s.h.advance(60_000); // the fixes finish after the scan that found the findings
    await s.session.submit('!security fix');
    expect(s.text()).toContain('TASK-002 is DONE (per_task autonomy)');
    // The person leaves instead of typing !continue; TASK-003 never started.
    await s.session.shutdown();

    const again = await s.open();
    await again.submit('!security fix');
    const said = s.text();
    expect(said).toContain('!security fix: no new fix task; building the unfinished ones (TASK-003); Security scans again once the build completes.');
    expect(said).toContain(`${high('src/a.js').id}: its fix task TASK-002 is DONE and not scanned yet: Security scans again once the build completes`);
    expect(said).toContain(`${high('src/b.js').id}: its fix task TASK-003 (added earlier) is not finished; building it now`);
    expect(said).not.toContain('already has a fix task');
    expect(said).toContain('Build complete');
    expect(s.scans).toHaveLength(2);
    expect(await s.findings()).toEqual({ 'src/a.js': 'resolved', 'src/b.js': 'resolved' });

    // Nothing left to fix: a third !security fix says so.
    await again.submit('!security fix');
    expect(s.text()).toContain('No open finding needs a new fix task.');
    await again.shutdown();
  });
});
