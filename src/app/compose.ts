import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { BudgetLedger } from '../core/budget/ledger.js';
import { SummaryBuilder } from '../core/budget/summary.js';
import { createBuiltinRegistry } from '../core/commands/defs/index.js';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../core/config/settings.schema.js';
import { UserError } from '../core/errors.js';
import { Session } from '../core/session/session.js';
import { formatProblems } from '../core/validation.js';
import { createBuildEnvironment } from '../build/build-environment.js';
import { createGitPort } from '../git/git-port.js';
import { createReleaseChecks } from '../release/release-checks-adapter.js';
import { createWorkspace } from '../git/workspace.js';
import { createConfigStore } from '../store/config-store.js';
import { createProjectStore } from '../store/project-store.js';
import { readJsonFile } from '../store/read-json.js';
import { createAgentRuntime, type ModelAccess } from './agent-runtime.js';
import type { ModelProvider } from '../core/provider/types.js';

/** Where this run keeps its state and where CodeSleuth is installed. */
export interface AppPaths {
  readonly homeDir: string;
  readonly installDir: string;
  readonly cwd: string;
}

/** What the outside world lends the session besides files: environment and clock. */
export interface ComposeOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => Date;
  /** Set by --demo: the local fake server to talk to instead of the real API. */
  readonly demo?: { readonly baseURL: string; readonly notice?: string };
  /** Replaces the Anthropic provider (tests). */
  readonly provider?: () => Promise<ModelProvider>;
}

export const MISSING_KEY =
  'ANTHROPIC_API_KEY is not set, so no agent can call Claude. Set it (export ANTHROPIC_API_KEY=...) and start CodeSleuth again — or run `codesleuth --demo` to try the whole pipeline offline against a scripted model.';

/** config/settings.json from the home, else the install's, else the defaults; a bad file stops start-up. */
export async function loadSettings(paths: Pick<AppPaths, 'homeDir' | 'installDir'>): Promise<Settings> {
  for (const dir of [paths.homeDir, paths.installDir]) {
    const file = path.join(dir, 'config', 'settings.json');
    const read = await readJsonFile(file, settingsSchema);
    if (read.kind === 'ok') return read.value;
    if (read.kind === 'invalid') {
      throw new UserError(`${file} is not valid:\n${formatProblems(read.problems)}`, { hint: 'Fix the field (see config/settings.json in the install for the defaults), then start again.', exitCode: 2 });
    }
    if (read.kind === 'unreadable') throw new UserError(`Cannot read ${file}: ${read.message}`, { exitCode: 2 });
  }
  return DEFAULT_SETTINGS;
}

/** The one place that wires the pure core to its adapters. */
export async function composeSession(paths: AppPaths, options: ComposeOptions = {}): Promise<Session> {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const settings = await loadSettings(paths);
  const projects = createProjectStore(paths.homeDir, now);
  const ledger = new BudgetLedger({ budgetUsd: settings.budget_usd });
  const spending = new SummaryBuilder();
  const access: ModelAccess = options.demo
    ? { apiKey: 'demo-key-not-secret', baseURL: options.demo.baseURL, modelOverride: undefined, missingKey: MISSING_KEY, ...(options.demo.notice ? { notice: options.demo.notice } : {}) }
    : { apiKey: env.ANTHROPIC_API_KEY?.trim() || undefined, baseURL: env.ANTHROPIC_BASE_URL?.trim() || undefined, modelOverride: env.CODESLEUTH_MODEL, missingKey: MISSING_KEY };
  const agents = createAgentRuntime({
    installDir: paths.installDir,
    homeDir: paths.homeDir,
    settings,
    access,
    ledger,
    spending,
    projects,
    sessionId: randomUUID(),
    now,
    ...(options.provider ? { provider: options.provider } : {}),
  });
  return new Session(
    {
      config: createConfigStore(paths),
      projects,
      workspace: createWorkspace(paths.cwd),
      env: { installDir: paths.installDir, homeDir: paths.homeDir, now },
      agents,
      build: createBuildEnvironment({ homeDir: paths.homeDir, installDir: paths.installDir, settings, runtime: agents, git: createGitPort({ now }), now }),
      release: createReleaseChecks({ git: createGitPort({ now }), coverageThreshold: settings.coverage_threshold, now }),
      budget: {
        ledger,
        spending,
        async projectSpending(projectId) {
          const { summariseLog } = await import('../telemetry/summarise-log.js');
          const file = path.join(paths.homeDir, 'artifacts', projectId, 'telemetry', 'token_log.jsonl');
          const result = await summariseLog(file);
          return result.kind === 'ok' ? { summary: result.summary, invalidLines: result.invalidLines, file } : undefined;
        },
      },
    },
    createBuiltinRegistry(),
  );
}
