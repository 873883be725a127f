import type { CommandRegistry } from '../commands/registry.js';
import type { ContextFile, RegisteredProject } from '../context/context.schema.js';
import { STAGES, STAGE_INFO } from '../pipeline/stages.js';
import type { Platform } from '../platforms/platform.schema.js';
import { BANNER, TAGLINE } from '../render/banner.js';
import { renderTable } from '../render/table.js';
import { entry, type EntryInput } from '../transcript.js';

/** Printed when set-up has not run: the only thing the Orchestrator says then. */
export function setupBlock(reason: string, customHome?: string): EntryInput {
  // A home other than the install folder is where set-up must write, so the commands name it.
  const unix = customHome ? `CODESLEUTH_HOME=${shellQuote(customHome)} bash SETUP.sh` : 'bash SETUP.sh';
  const windows = customHome ? `$env:CODESLEUTH_HOME='${customHome.replaceAll("'", "''")}'; .\\SETUP.ps1` : '.\\SETUP.ps1';
  return entry.error(
    [
      `Setup required before starting the pipeline (${reason}).`,
      'Run, in the CodeSleuth folder:',
      `  ${unix.padEnd(16)}  (Linux / macOS)`,
      `  ${windows.padEnd(16)}  (Windows)`,
      'then type `Start agent 0` again.',
    ].join('\n'),
  );
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** The numbered list of registered projects to resume. */
export function resumeMenu(projects: readonly RegisteredProject[]): EntryInput {
  const rows = projects.map((p, i) => [String(i + 1), p.name, p.stage, p.last_active_agent, p.path]);
  const table = renderTable(
    [{ header: '#' }, { header: 'Project', maxWidth: 20 }, { header: 'Stage' }, { header: 'Last agent' }, { header: 'Path', maxWidth: 34 }],
    rows,
    'Registered projects:',
  );
  return entry.info(`${table}\nType a number to resume that project, or N to start a new one.`);
}

/** The banner and the info table, filled from config/context.json and the registry. */
export function bannerBlocks(context: ContextFile, registry: CommandRegistry): EntryInput[] {
  const stages = STAGES.map((s) => STAGE_INFO[s].label).join(' → ');
  const backends = context.context_backends;
  const contract = context.design_contract;
  const commands = registry
    .all()
    .map((c) => `!${c.name}`)
    .join(' ');
  const info = renderTable(
    [{ header: 'CodeSleuth' }, { header: 'Now', maxWidth: 58 }],
    [
      ['Pipeline stages', stages],
      [
        'Context backends',
        `coordination: ${backends.coordination}\nsemantic search: ${backends.semantic_search}\nagent memory: ${backends.agent_memory}\nexternal registry: ${backends.external_registry}`,
      ],
      ['Design contract', `${contract.status}${contract.reason ? ` — ${contract.reason}` : ' (activated for Web targets)'}`],
      ['Commands', `${commands}\n!help CMD explains one`],
    ],
  );
  return [entry.banner(`${BANNER}${TAGLINE}`), entry.info(info)];
}

/** The build-targets table, straight from config/platforms.json. */
export function buildTargetsBlock(platforms: readonly Platform[]): EntryInput {
  const rows = platforms.map((p) => [p.name, p.toolchain, p.signing]);
  return entry.info(
    renderTable([{ header: 'Target' }, { header: 'Toolchain', maxWidth: 28 }, { header: 'Signing / release', maxWidth: 36 }], rows, 'CodeSleuth Build Targets'),
  );
}

export const WELCOME_QUESTIONS = {
  brief: 'Welcome. Tell me about your project, one answer at a time.\n1/3 What does the project do?',
  platform: (platforms: readonly Platform[]) =>
    `2/3 Which platform is it for? (${platforms.map((p) => p.name).join(', ')})`,
  directory: '3/3 Which directory should the project live in? It must be outside the CodeSleuth install and home; a missing one is created.',
} as const;
