import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { AgentDefinition } from '../core/agents/agent-schema.js';
import type { ProjectInstructions } from '../core/agents/compose-prompt.js';
import { checkAgentSet, parseAgentFile, parseRuleFile, ruleNameOf } from '../core/agents/parse-definitions.js';
import { formatDefinitionProblems, type DefinitionProblem } from '../core/agents/problems.js';
import type { RuleDefinition } from '../core/agents/rule-schema.js';
import type { AgentStage } from '../core/agents/stage-contract.js';
import { errorMessage, UserError } from '../core/errors.js';
import { collectLayeredFiles, displayPath, loadFirstValid, primaryDir } from './definition-files.js';

/**
 * Loads agent and rule definitions from disk. Every file is validated and every problem is
 * collected, so one broken file never hides the others; the caller shows `problems` to the
 * person and decides what to refuse (a stage without a valid agent cannot run).
 */

export interface LoadRulesOptions {
  /** Rule folders, the person's home folder first, then the install. */
  readonly dirs: readonly string[];
}

export interface RuleLoadResult {
  readonly rules: Map<string, RuleDefinition>;
  readonly problems: DefinitionProblem[];
  /** Rule names whose every copy failed to load. */
  readonly brokenRules: Set<string>;
}

export interface LoadAgentsOptions {
  /** Agent folders, the person's home folder first, then the install. */
  readonly dirs: readonly string[];
  /** Rule folders in the same order; defaults to a `rules` folder beside each agent folder. */
  readonly ruleDirs?: readonly string[];
}

export interface AgentLoadResult {
  readonly agents: Map<AgentStage, AgentDefinition>;
  readonly rules: Map<string, RuleDefinition>;
  readonly problems: DefinitionProblem[];
}

export async function loadRules(options: LoadRulesOptions): Promise<RuleLoadResult> {
  const { files, problems } = await collectLayeredFiles(options.dirs);
  const rules = new Map<string, RuleDefinition>();
  const brokenRules = new Set<string>();
  for (const file of files) {
    const loaded = await loadFirstValid(file, (path, text, overrides) => {
      const parsed = parseRuleFile(path, text, overrides);
      return { value: parsed.rule, problems: parsed.problems };
    });
    problems.push(...loaded.problems);
    if (loaded.value) rules.set(loaded.value.name, loaded.value);
    else brokenRules.add(ruleNameOf(file.fileName));
  }
  return { rules, problems, brokenRules };
}

export async function loadAgents(options: LoadAgentsOptions): Promise<AgentLoadResult> {
  const ruleDirs = options.ruleDirs ?? options.dirs.map((dir) => join(dirname(resolve(dir)), 'rules'));
  const ruleLoad = await loadRules({ dirs: ruleDirs });
  const { files, problems: folderProblems } = await collectLayeredFiles(options.dirs);

  const problems: DefinitionProblem[] = [...ruleLoad.problems, ...folderProblems];
  const valid: AgentDefinition[] = [];
  for (const file of files) {
    const loaded = await loadFirstValid(file, (path, text, overrides) => {
      const parsed = parseAgentFile(path, text, overrides);
      return { value: parsed.agent, problems: parsed.problems };
    });
    problems.push(...loaded.problems);
    if (loaded.value) valid.push(loaded.value);
  }

  // Home files come first in precedence, so a home agent for a stage beats an installed one
  // with a different file name; the sort keeps that order stable.
  const dirs = options.dirs.map((dir) => resolve(dir));
  const order = (agent: AgentDefinition): number => dirs.indexOf(dirname(agent.file));
  valid.sort((a, b) => order(a) - order(b));

  const set = checkAgentSet({
    agents: valid,
    rules: ruleLoad.rules,
    brokenRules: ruleLoad.brokenRules,
    location: await primaryDir(options.dirs),
  });
  problems.push(...set.problems);
  return { agents: set.agents, rules: ruleLoad.rules, problems };
}

/** Instruction files a target project may carry, in the order we prefer them. */
export const PROJECT_INSTRUCTION_FILES = ['AGENTS.md', 'CLAUDE.md'] as const;

/** The project's AGENTS.md (else CLAUDE.md) when present and not empty. */
export async function readProjectInstructions(projectDir: string): Promise<ProjectInstructions | undefined> {
  for (const source of PROJECT_INSTRUCTION_FILES) {
    const path = join(projectDir, source);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') continue;
      throw new UserError(`cannot read ${path}: ${errorMessage(error)}`, {
        hint: `check the permissions of ${source}, or remove it`,
        cause: error,
      });
    }
    if (text.trim() !== '') return { source, text };
  }
  return undefined;
}

/** The problems as the REPL shows them, one per line, with short paths. */
export function formatProblems(problems: readonly DefinitionProblem[], where: { cwd?: string; home?: string } = {}): string {
  return formatDefinitionProblems(problems, (file) => displayPath(file, where));
}

/** Agent and rule folders under each root (`<root>/agents`, `<root>/rules`), roots home first. */
export function definitionDirs(roots: readonly string[]): { agentDirs: string[]; ruleDirs: string[] } {
  return {
    agentDirs: roots.map((root) => join(root, 'agents')),
    ruleDirs: roots.map((root) => join(root, 'rules')),
  };
}

/**
 * The installed package's root: the nearest folder above `startDir` whose package.json is
 * ours. Works from `src/agents` in development and from `dist` once bundled.
 */
export function findInstallRoot(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
        if (typeof parsed === 'object' && parsed !== null && (parsed as { name?: unknown }).name === 'codesleuth') {
          return dir;
        }
      } catch {
        // An unreadable package.json belongs to something else; keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
