import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  definitionDirs,
  findInstallRoot,
  formatProblems,
  loadAgents,
  loadRules,
  readProjectInstructions,
} from '../../src/agents/agent-loader.js';
import { AGENT_STAGES, STAGE_CONTRACTS } from '../../src/core/agents/stage-contract.js';
import { agentFile, ruleFile } from '../core/agents/agent-fixtures.js';

let root: string;
let home: string;
let install: string;

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
}

/** An install with a valid agent for every stage, each naming gate-rules. */
async function writeInstall(): Promise<void> {
  for (const stage of AGENT_STAGES) {
    await put(join(install, 'agents', STAGE_CONTRACTS[stage].fileName), agentFile(stage, { rules: '[gate-rules]' }, `Installed ${stage}.`));
  }
  await put(join(install, 'rules', 'gate-rules.md'), ruleFile('gate-rules', 'Installed gates.'));
}

function load() {
  const { agentDirs, ruleDirs } = definitionDirs([home, install]);
  return loadAgents({ dirs: agentDirs, ruleDirs });
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'codesleuth-agents-'));
  home = join(root, 'home', '.codesleuth');
  install = join(root, 'install');
  await writeInstall();
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loadAgents', () => {
  it('loads one agent per stage with its rules when nothing is wrong, without a home folder', async () => {
    const result = await load();
    expect(result.problems).toEqual([]);
    expect([...result.agents.keys()].sort()).toEqual([...AGENT_STAGES].sort());
    expect(result.rules.get('gate-rules')?.body).toBe('Installed gates.');
  });

  it('reports each broken file with its field while every other file still loads', async () => {
    const agents = join(install, 'agents');
    await put(join(agents, '01-discovery.md'), '---\nname: discovery\ntools: [read_file\n---\nPrompt');
    await put(join(agents, '02-planner.md'), agentFile('planning', { description: undefined }));
    await put(join(agents, '03-builder.md'), agentFile('building', { tools: 'read_file, rm_rf, report_status' }));
    await put(join(agents, '04-critic.md'), agentFile('critique', { max_turns: '[1, 2]' }));

    const result = await load();
    const byFile = (name: string) => result.problems.filter((p) => p.file === join(agents, name));
    expect(byFile('01-discovery.md')).toEqual([expect.objectContaining({ field: '(file)', message: expect.stringMatching(/^invalid YAML/) })]);
    expect(byFile('02-planner.md')).toEqual([expect.objectContaining({ field: 'description', message: 'required field is missing' })]);
    expect(byFile('03-builder.md')).toEqual([expect.objectContaining({ field: 'tools[1]', message: 'unknown tool `rm_rf`' })]);
    expect(byFile('04-critic.md')).toEqual([expect.objectContaining({ field: 'max_turns', message: 'has the wrong type (got a list)' })]);

    expect([...result.agents.keys()].sort()).toEqual(['maintenance', 'orchestrator', 'security', 'verification']);
    const missing = result.problems.filter((p) => p.message.startsWith('no valid agent for stage')).map((p) => p.message);
    expect(missing).toEqual([
      'no valid agent for stage `discovery` (agent 1)',
      'no valid agent for stage `planning` (agent 2)',
      'no valid agent for stage `building` (agent 3)',
      'no valid agent for stage `critique` (agent 4)',
    ]);
  });

  it('formats problems as the REPL shows them, with paths relative to the working folder', async () => {
    await put(join(install, 'agents', '03-builder.md'), agentFile('building', { tools: 'read_file, rm_rf, report_status' }));
    const result = await load();
    const text = formatProblems(result.problems.filter((p) => p.field === 'tools[1]'), { cwd: install, home: '/nowhere' });
    expect(text).toMatch(/^agents\/03-builder\.md:5: field `tools\[1\]`: unknown tool `rm_rf` — expected one of read_file, .*; fix the file or remove the tool$/);
    const fromHome = formatProblems(result.problems.filter((p) => p.field === 'tools[1]'), { cwd: '/elsewhere', home: root });
    expect(fromHome.startsWith('~/install/agents/03-builder.md:5:')).toBe(true);
  });

  it('lets a home file replace the installed file of the same name', async () => {
    await put(join(home, 'agents', '03-builder.md'), agentFile('building', { model: 'claude-opus-4-1', rules: '[gate-rules]' }, 'Home builder.'));
    await put(join(home, 'rules', 'gate-rules.md'), ruleFile('gate-rules', 'Home gates.'));
    const result = await load();
    expect(result.problems).toEqual([]);
    const builder = result.agents.get('building');
    expect(builder).toMatchObject({ body: 'Home builder.', model: 'claude-opus-4-1', file: join(home, 'agents', '03-builder.md') });
    expect(builder?.overrides).toBe(join(install, 'agents', '03-builder.md'));
    expect(result.agents.get('planning')?.body).toBe('Installed planning.');
    expect(result.rules.get('gate-rules')).toMatchObject({ body: 'Home gates.', overrides: join(install, 'rules', 'gate-rules.md') });
  });

  it('falls back to the installed file when the home copy is broken, and says so', async () => {
    await put(join(home, 'agents', '03-builder.md'), agentFile('building', { budget_share: '1.5' }));
    const result = await load();
    expect(result.agents.get('building')?.file).toBe(join(install, 'agents', '03-builder.md'));
    expect(result.problems).toEqual([
      expect.objectContaining({ file: join(home, 'agents', '03-builder.md'), field: 'budget_share', hint: expect.stringContaining('meanwhile the installed copy is used') }),
    ]);
  });

  it('prefers a home agent over an installed one of the same stage under another name', async () => {
    await put(join(home, 'agents', 'my-builder.md'), agentFile('building', {}, 'Mine.'));
    const result = await load();
    expect(result.agents.get('building')?.body).toBe('Mine.');
    expect(result.problems).toEqual([expect.objectContaining({ file: join(install, 'agents', '03-builder.md'), field: 'stage' })]);
  });

  it('reports a rule an agent names that does not exist, and one whose file is broken', async () => {
    await put(join(install, 'agents', '04-critic.md'), agentFile('critique', { rules: '[gate-rules, critic-dimensions, review-protocol]' }));
    await put(join(install, 'rules', 'critic-dimensions.md'), ruleFile('critic-dimensions'));
    const result = await load();
    const critic = result.problems.filter((p) => p.file === join(install, 'agents', '04-critic.md'));
    expect(critic).toEqual([
      expect.objectContaining({ field: 'rules[1]', message: 'rule `critic-dimensions` has problems (listed separately) and was not loaded' }),
      expect.objectContaining({ field: 'rules[2]', message: 'rule `review-protocol` does not exist' }),
    ]);
    expect(result.problems).toContainEqual(expect.objectContaining({ file: join(install, 'rules', 'critic-dimensions.md'), field: 'data' }));
    expect(result.agents.has('critique')).toBe(true);
  });

  it('ignores README.md and reports every stage missing when the folder is empty', async () => {
    await rm(join(install, 'agents'), { recursive: true });
    await put(join(install, 'agents', 'README.md'), '# About these files');
    const result = await load();
    expect(result.agents.size).toBe(0);
    expect(result.problems).toHaveLength(AGENT_STAGES.length);
    expect(result.problems[0]?.file).toBe(join(install, 'agents'));
  });

  it('reports a file it cannot read (a dangling link) and still loads the rest', async () => {
    const path = join(install, 'agents', '08-extra.md');
    await symlink(join(root, 'gone.md'), path);
    const result = await load();
    expect(result.problems).toEqual([expect.objectContaining({ file: path, field: '(file)', message: expect.stringMatching(/^cannot be read: /) })]);
    expect(result.agents.size).toBe(AGENT_STAGES.length);
  });
});

describe('loadRules', () => {
  it('collects every broken rule and keeps the good ones', async () => {
    const rules = join(install, 'rules');
    await put(join(rules, 'bad-name.md'), ruleFile('other-name'));
    await put(join(rules, 'no-front.md'), 'Just text');
    const result = await loadRules({ dirs: [rules] });
    expect([...result.rules.keys()]).toEqual(['gate-rules']);
    expect([...result.brokenRules].sort()).toEqual(['bad-name', 'no-front']);
    expect(result.problems.map((p) => p.file).sort()).toEqual([join(rules, 'bad-name.md'), join(rules, 'no-front.md')]);
  });
});

describe('readProjectInstructions', () => {
  it('prefers AGENTS.md, falls back to CLAUDE.md, and returns nothing when neither has content', async () => {
    const project = join(root, 'project');
    await mkdir(project, { recursive: true });
    expect(await readProjectInstructions(project)).toBeUndefined();

    await writeFile(join(project, 'CLAUDE.md'), 'Claude rules');
    expect(await readProjectInstructions(project)).toEqual({ source: 'CLAUDE.md', text: 'Claude rules' });

    await writeFile(join(project, 'AGENTS.md'), '   \n');
    expect(await readProjectInstructions(project)).toEqual({ source: 'CLAUDE.md', text: 'Claude rules' });

    await writeFile(join(project, 'AGENTS.md'), 'Agents rules');
    expect(await readProjectInstructions(project)).toEqual({ source: 'AGENTS.md', text: 'Agents rules' });
  });

  it('returns nothing for a folder that does not exist', async () => {
    expect(await readProjectInstructions(join(root, 'missing'))).toBeUndefined();
  });
});

describe('findInstallRoot', () => {
  it('finds the package root from inside the source tree', () => {
    const repo = fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');
    expect(findInstallRoot(fileURLToPath(new URL('.', import.meta.url)))).toBe(repo);
    expect(findInstallRoot(tmpdir())).toBeUndefined();
  });
});
