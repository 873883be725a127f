import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { artifactToolsFor } from '../../../src/app/artifact-tools.js';
import type { AgentOutcome } from '../../../src/core/agent/agent-types.js';
import { emptyBuildSection, type Milestone } from '../../../src/core/build/build-record.js';
import type { ArtifactEvidence } from '../../../src/core/pipeline/artifacts.js';
import { checkGate, type Gate } from '../../../src/core/pipeline/gates.js';
import { SECURITY_DOMAIN_IDS, type SecurityFinding } from '../../../src/core/security/finding.js';
import type { OpenProject } from '../../../src/core/session/open-project.js';
import type { AgentRunRequest, AgentRuntimePort, SessionPorts } from '../../../src/core/session/ports.js';
import { openNewProject, resumeProject } from '../../../src/core/session/project-lifecycle.js';
import type { CleanRun } from '../../../src/core/release/release-checks.js';
import { latestReleaseCheck } from '../../../src/core/release/release-history.js';
import { StageAgents } from '../../../src/core/session/stage-agents.js';
import { renderTaskGraph } from '../../../src/core/task-graph/render-task-graph.js';
import { checkTaskGraphText } from '../../../src/core/task-graph/check-task-graph.js';
import { createWorkspace } from '../../../src/git/workspace.js';
import { createConfigStore } from '../../../src/store/config-store.js';
import { createProjectStore } from '../../../src/store/project-store.js';
import { finishedWithReport } from '../../support/agent-outcomes.js';
import { FEATURE_SPEC, INSTALL_DIR, makeTempHome, type TempHome } from '../../support/temp-home.js';
import { report as scores } from '../verdicts/critic-fixtures.js';

let home: TempHome | undefined;
afterEach(async () => home?.cleanup());

const CRITICAL: SecurityFinding = {
  id: 'secrets:aws-access-key-id:src/app.ts:1',
  severity: 'CRITICAL',
  domain: 'S7',
  title: 'AWS access key id in the code',
  file: 'src/app.ts',
  line: 1,
  evidence: 'AKIA… (redacted)',
  source: 'scanner:secrets',
  status: 'open',
};

const passingRun: CleanRun = {
  commit: 'abcdef1234567890',
  worktree: { ok: true, message: 'checked out; removed afterwards' },
  gates: { source: 'detected', commands: [{ name: 'test', command: 'npm test' }], receipts: [{ gate: 'test', command: 'npm test', exitCode: 0, timedOut: false, durationMs: 5, outputSha256: 'x', outputTail: 'ok', at: 't' }] },
  coverage: { kind: 'measured', command: 'npm run coverage', percent: 91, threshold: 80 },
};

/** A model stand-in: in each review stage it calls the stage's real report tool, then report_status. */
function scriptedRuntime(ports: () => SessionPorts, calls: AgentRunRequest[]): AgentRuntimePort {
  return {
    check: async () => ({}),
    contextUse: async () => undefined,
    modelPrice: async () => undefined,
    async run(request): Promise<AgentOutcome> {
      calls.push(request);
      const tools = (names: string[]) => artifactToolsFor(request.stage, names, ports().projects, { projectId: request.projectId, projectPath: request.projectPath }).tools;
      const call = async (name: string, input: unknown) => {
        const result = await tools([name])[0]!.execute(input, { projectRoot: request.projectPath, approve: async () => 'yes' });
        if (result.isError) throw new Error(result.llmContent);
      };
      switch (request.stage) {
        case 'critique':
          await call('report_scores', scores([4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3], { findings: [{ title: 'No empty state', detail: 'The list is blank at first.', evidence: [{ file: 'src/app.ts', line: 2 }] }] }));
          break;
        case 'security':
          await call('report_security_findings', { domains: Object.fromEntries(SECURITY_DOMAIN_IDS.map((id) => [id, { status: 'checked', summary: 'looked' }])), findings: [] });
          break;
        case 'verification':
          await call('report_qa', {
            checklist: Object.fromEntries(['readme', 'how_to_run', 'version', 'licence', 'changelog'].map((k) => [k, { status: 'pass', evidence: 'seen' }])),
            qa: [{ criterion: 'a list can be created', result: 'passed', evidence: 'created one' }],
          });
          break;
        case 'maintenance': {
          const input = {
            tasks: [{ id: 'TASK-002', title: 'Handle negative totals', description: 'Fix the sum for negatives.', acceptance_criteria: ['sum(-1, -1) is -2'], output_files: ['src/app.ts'], depends_on: [], size: 'S' }],
            evidence: 'node -e "..." printed 2',
          };
          return {
            kind: 'finished',
            tool: 'propose_tasks',
            toolUseId: 'pt1',
            input,
            messages: [
              ...request.messages,
              { role: 'assistant', content: [{ type: 'tool_use', id: 'pt1', name: 'propose_tasks', input }] },
              { role: 'user', content: [{ type: 'tool_result', toolUseId: 'pt1', content: 'propose_tasks accepted.', isError: false }] },
            ],
          };
        }
        default:
          break;
      }
      return finishedWithReport(request.messages, { summary: `${request.stage} done` });
    },
  };
}

async function setUp() {
  home = await makeTempHome();
  const calls: AgentRunRequest[] = [];
  const scans: string[] = [];
  /** What the scanners find from now on. */
  const found: SecurityFinding[] = [CRITICAL];
  /** The build branch each clean run was asked to verify. */
  const cleanRuns: (string | undefined)[] = [];
  const projectDir = path.join(home.scratch, 'tidy');
  await mkdir(path.join(projectDir, 'src'), { recursive: true });
  await writeFile(path.join(projectDir, 'src', 'app.ts'), 'export const key = 1;\nexport const list = [];\nexport const total = 0;\n');
  let ports: SessionPorts;
  ports = {
    config: createConfigStore({ homeDir: home.home, installDir: INSTALL_DIR }),
    projects: createProjectStore(home.home),
    workspace: createWorkspace(home.scratch),
    env: { homeDir: home.home, installDir: INSTALL_DIR, now: () => new Date('2026-01-02T03:04:05Z') },
    agents: { ...scriptedRuntime(() => ports, calls), releaseBlocking: async () => ({ severities: ['CRITICAL', 'HIGH'] as const }) },
    release: {
      scan: async (dir) => {
        scans.push(dir);
        return { findings: [...found], notes: [{ scanner: 'deps', ran: false, message: 'no lockfile' }] };
      },
      cleanRun: async (request) => {
        cleanRuns.push(request.branch);
        return passingRun;
      },
    },
  };
  const platforms = await ports.config.readPlatforms();
  if (platforms.kind !== 'ok') throw new Error('no platforms');
  const opened = await openNewProject(ports, { brief: 'A to-do list', platform: platforms.value.find((p) => p.id === 'web')!, directory: projectDir });
  const project = opened.project!;
  const texts: string[] = [];
  const milestones: Milestone[] = [];
  const agents = new StageAgents(ports, {
    emit: (input) => texts.push(input.text),
    live: () => undefined,
    project: () => project,
    pause: async () => undefined,
    milestone: async (m, label) => {
      milestones.push(m);
      await project.reachMilestone(m, label);
    },
  });
  const artifacts = path.join(home.home, 'artifacts', project.id);
  return { ports, project, agents, texts, text: () => texts.join('\n'), milestones, calls, scans, found, cleanRuns, artifacts, projectDir };
}

const valid = (...names: string[]): ArtifactEvidence[] => names.map((name) => ({ name, status: 'valid', sha256: 'f'.repeat(64) }));

/** Moves the machine through the gates before the review stages with stand-in evidence. */
async function toCritique(project: OpenProject): Promise<void> {
  const steps: [Gate, string[]][] = [
    ['plan', ['feature-spec.md']],
    ['build', ['TDD.md', 'INTERFACES.md', 'TASK-GRAPH.md']],
    ['critic', ['BUILD_REPORT.md']],
  ];
  // A finished build, as HANDOFF.json would say it after BUILD_REPORT.md was written.
  const build = { completedAt: 't', unfinished: [] };
  for (const [gate, names] of steps) expect((await project.send({ type: 'GATE', gate, evidence: valid(...names), build }, `!${gate}`)).moved).toBe(true);
}

async function passGate(project: OpenProject, gate: Gate) {
  const evidence = await project.gatherEvidence(gate);
  return { check: checkGate(gate, evidence), outcome: await project.send({ type: 'GATE', gate, evidence }, `!${gate}`) };
}

describe('the review stages in a session', () => {
  it('run Critic → Security → Verifier to SHIP, with verdicts computed by code, the CRITICAL blocking !verify until accepted, then Maintenance', async () => {
    const s = await setUp();
    await writeFile(path.join(s.artifacts, 'feature-spec.md'), FEATURE_SPEC);
    const graph = { tasks: [{ id: 'TASK-001', title: 'List', description: 'Make lists.', acceptance_criteria: ['a list can be created'], output_files: ['src/app.ts'], depends_on: [], size: 'S' as const, status: 'DONE' as const }] };
    await writeFile(path.join(s.artifacts, 'TASK-GRAPH.md'), renderTaskGraph(graph));
    await s.project.update((h) => ({ ...h, tasks: [{ id: 'TASK-001', status: 'DONE', attempts: 1, concerns: [], receipts: [{ ...passingRun.gates.receipts[0]! }], changedFiles: [], inputTokens: 0, outputTokens: 0, costUsd: 0, reviewRounds: 0, sha: 'abcdef1' }] }));
    await toCritique(s.project);

    // Critic: the scores' verdict (mean 3.33) is CONDITIONAL, computed by the runtime.
    await s.agents.kickoff('critique');
    expect(s.text()).toContain('Critic verdict: CONDITIONAL (mean 3.33), computed from the scores:');
    expect(s.text()).toContain(path.join(s.artifacts, 'CRITICISM.md'));
    expect(s.text()).toContain('!critic fix to turn the findings into fix tasks');
    expect(s.milestones).toEqual(['critiqued']);
    expect(s.project.handoff.milestone).toBe('critiqued');

    // Security: the scanners run before the agent; their CRITICAL shuts !verify in the machine itself.
    expect((await passGate(s.project, 'security')).outcome.moved).toBe(true);
    await s.agents.kickoff('security');
    expect(s.scans).toEqual([s.projectDir]);
    expect(s.calls.at(-1)!.context.find((c) => c.name === 'scanner-findings')?.text).toContain(CRITICAL.id);
    expect(s.text()).toContain('Release gate: REFUSED');
    expect(s.milestones).toEqual(['critiqued']);
    const refused = await passGate(s.project, 'verify');
    expect(refused.outcome.moved).toBe(false);
    expect(refused.check.open).toBe(false);
    expect(JSON.stringify(refused.check)).toContain(`!security accept ${CRITICAL.id} <reason>`);

    await s.agents.review({ kind: 'security-accept', findingId: CRITICAL.id, reason: 'a test fixture, not a real key' });
    expect(s.text()).toContain('The release gate now passes');
    expect(s.milestones).toEqual(['critiqued', 'secured']);
    expect(s.project.handoff.history.map((h) => h.event)).toContain(`!security accept ${CRITICAL.id}: a test fixture, not a real key`);
    expect((await passGate(s.project, 'verify')).outcome.moved).toBe(true);

    // Verifier: runtime checks first (on the tip of the build's branch), then report_qa; everything passes → SHIP → shipped.
    await s.project.update((h) => ({ ...h, build: { ...emptyBuildSection(), branch: 'codesleuth-build' } }), 'build on codesleuth-build');
    await s.agents.kickoff('verification');
    expect(s.cleanRuns).toEqual(['codesleuth-build']);
    expect(s.text()).toContain("Checking out the tip of the build's branch codesleuth-build into a clean worktree");
    expect(s.calls.at(-1)!.context.find((c) => c.name === 'runtime-checks')?.text).toContain('gate test (`npm test`, from package.json): passed');
    expect(s.text()).toContain('Release verdict: SHIP, computed from what was checked:');
    expect(s.text()).toContain("  • gate commands `npm test` passed in a clean worktree of commit abcdef123456");
    expect(s.text()).toContain('  • tasks: 1 DONE, each with passing gate receipts and a commit (acceptance criteria are covered per task by those receipts, not checked one by one)');
    expect(s.text()).toContain('  • QA pass: 1 of 1 acceptance criterion passed');
    expect(s.text()).toContain('just describe it: Maintenance (agent 7)');
    expect(s.milestones).toEqual(['critiqued', 'secured', 'shipped']);
    expect(await readFile(path.join(s.artifacts, 'RELEASE.md'), 'utf8')).toContain('Verdict: **SHIP**');

    // The next plain words route to Maintenance; its proposal continues the numbering and is approved.
    await s.agents.say('verification', 'Totals are wrong for negative numbers');
    expect(s.project.position().stage).toBe('maintenance');
    const maintenanceCall = s.calls.at(-1)!;
    expect(maintenanceCall.stage).toBe('maintenance');
    expect(JSON.stringify(maintenanceCall.messages)).toContain('Totals are wrong for negative numbers');
    expect(s.text()).toContain('Maintenance added TASK-002');
    expect(s.text()).toContain('Type !build');
    const plan = checkTaskGraphText(await readFile(path.join(s.artifacts, 'TASK-GRAPH.md'), 'utf8'));
    expect(plan.ok && plan.graph.tasks.map((t) => [t.id, t.status, t.depends_on])).toEqual([
      ['TASK-001', 'DONE', []],
      ['TASK-002', 'PENDING', ['TASK-001']],
    ]);
    expect(s.project.handoff.approvals.at(-1)?.gate).toBe('build');
    expect(s.project.handoff.history.at(-1)?.event).toBe('maintenance tasks');

    // !verify in Maintenance re-runs the checks and the Verifier, the pipeline staying in Maintenance.
    const before = s.calls.length;
    expect(await s.agents.review({ kind: 'reverify' })).toEqual({});
    expect(s.calls.slice(before).map((c) => c.stage)).toEqual(['verification']);
    expect(s.project.position().stage).toBe('maintenance');
    expect(s.text()).toContain('TASK-002 (Handle negative totals) was never built');
    expect(s.text()).toContain('Release verdict: HOLD');
    // The milestone stays shipped; the latest release check is the HOLD.
    expect(s.project.handoff.milestone).toBe('shipped');
    expect(latestReleaseCheck(s.project.handoff)).toBe('HOLD');
    // The scanners ran again first: the accepted CRITICAL, found again, stays accepted.
    expect(s.scans).toHaveLength(2);
    expect(s.text()).toContain('Security report updated from the new scan: no new open finding; release gate PASS');
    const sast = async () => Object.fromEntries((await readFile(path.join(s.artifacts, 'SAST_FINDINGS.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as SecurityFinding).map((f) => [f.id, f.status]));
    expect(await sast()).toEqual({ [CRITICAL.id]: 'accepted' });

    // New code with a new CRITICAL (on a line that moved, the old one still accepted): the release is refused before the checks.
    s.found.splice(0, 1, { ...CRITICAL, line: 2, id: 'secrets:aws-access-key-id:src/app.ts:2' }, { ...CRITICAL, id: 'patterns:eval-on-input:src/app.ts:3', title: 'eval on request input', domain: 'S4', line: 3, evidence: 'eval(req.body.code)', source: 'scanner:patterns' });
    const beforeRefusal = s.calls.length;
    await s.agents.review({ kind: 'reverify' });
    expect(s.calls.length).toBe(beforeRefusal);
    expect(s.text()).toContain('!verify refused: the new scan leaves 1 open CRITICAL or HIGH finding: patterns:eval-on-input:src/app.ts:3 (src/app.ts:3)');
    expect(s.text()).toContain('CRITICAL patterns:eval-on-input:src/app.ts:3: eval on request input at src/app.ts:3 (new)');
    expect(await sast()).toEqual({ [CRITICAL.id]: 'accepted', 'patterns:eval-on-input:src/app.ts:3': 'open' });
    expect(s.project.handoff.milestone).toBe('shipped');
  });

  it('!critic fix appends the findings as tasks, approves them and returns their ids for the Builder', async () => {
    const s = await setUp();
    await writeFile(path.join(s.artifacts, 'TASK-GRAPH.md'), renderTaskGraph({ tasks: [{ id: 'TASK-001', title: 'List', description: 'Make lists.', acceptance_criteria: ['works'], output_files: ['src/app.ts'], depends_on: [], size: 'S', status: 'DONE' }] }));
    await toCritique(s.project);
    expect(await s.agents.review({ kind: 'critic-fix' })).toEqual({});
    expect(s.text()).toContain('There is no Critic verdict yet');
    await s.agents.kickoff('critique');
    const result = await s.agents.review({ kind: 'critic-fix' });
    expect(result).toEqual({ build: ['TASK-002'] });
    expect(s.text()).toContain('!critic fix: added TASK-002');
    expect(s.project.handoff.history.at(-1)?.event).toBe('critic fix tasks');
    // Twice does not add the same task again.
    expect(await s.agents.review({ kind: 'critic-fix' })).toEqual({});
  });

  it('routes a shipped project resumed from the menu to Maintenance', async () => {
    const s = await setUp();
    await toCritique(s.project);
    expect((await s.project.send({ type: 'GATE', gate: 'security', evidence: valid('CRITICISM.md') }, '!security')).moved).toBe(true);
    expect((await s.project.send({ type: 'GATE', gate: 'verify', evidence: valid('SECURITY_REPORT.md', 'SAST_FINDINGS.jsonl') }, '!verify')).moved).toBe(true);
    await s.project.reachMilestone('shipped', 'release verdict SHIP');
    await s.project.register();
    await s.project.close();
    const context = await s.ports.config.readContext();
    if (context.kind !== 'ok') throw new Error('no context');
    const registered = context.value.registered_projects[0]!;
    expect(registered.stage).toBe('shipped');
    const resumed = await resumeProject(s.ports, registered);
    expect(resumed.project?.position().stage).toBe('maintenance');
    expect(resumed.entries.map((e) => e.text).join('\n')).toContain('Describe a bug or a small change');
    await resumed.project?.close();
  });
});
