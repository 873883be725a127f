import path from 'node:path';
import { lookupPrice, type PricingFile } from '../core/budget/pricing.js';
import { costOf } from '../core/budget/cost.js';
import { runTask } from '../core/build/task-runner.js';
import type { Settings } from '../core/config/settings.schema.js';
import type { GitPort } from '../core/git/ports.js';
import type { BuildEnvironmentPort } from '../core/session/build-ports.js';
import type { AgentRuntimePort } from '../core/session/ports.js';
import { loadPricing } from '../telemetry/load-pricing.js';
import { loadGateCommands, loadGateScripts, loadPackageScripts } from './load-gate-commands.js';
import { reviewPortsFor } from './reviewer-adapter.js';
import { builderFromRuntime, gatesFromCommands } from './task-runner-adapter.js';

/** What the Builder's environment is made of. */
export interface BuildEnvironmentDeps {
  readonly homeDir: string;
  readonly installDir: string;
  readonly settings: Settings;
  readonly runtime: Pick<AgentRuntimePort, 'run'>;
  readonly git: GitPort;
  readonly now: () => Date;
}

/**
 * The Builder over the real parts: runTask with the agent runtime as the Builder, the
 * project's own gate commands (read from its package.json every time the Builder reports,
 * unless the person fixed them), and the git port; task worktrees under the project's
 * artifacts, outside the person's repository.
 */
export function createBuildEnvironment(deps: BuildEnvironmentDeps): BuildEnvironmentPort {
  // Read when the first task starts, not at start-up: most sessions never build.
  let pricing: Promise<PricingFile | undefined> | undefined;
  let prices: PricingFile | undefined;
  return {
    git: deps.git,
    maxWorkers: deps.settings.max_workers,
    patrol: { taskTimeLimitMs: deps.settings.task_time_limit_minutes * 60_000 },
    worktreeRoot: (projectId) => path.join(deps.homeDir, 'artifacts', projectId, 'worktrees'),
    gateScripts: loadGateScripts,
    detectGates: loadGateCommands,
    every(ms, fn) {
      const timer = setInterval(fn, ms);
      timer.unref();
      return () => clearInterval(timer);
    },
    costOf(event) {
      const price = prices ? lookupPrice(prices, event.model) : undefined;
      return price?.kind === 'ok' ? costOf(event.usage, price.price) : 0;
    },
    async execute(request) {
      pricing ??= loadPricing(deps).then((read) => (read.kind === 'ok' ? read.value : undefined));
      prices = await pricing;
      const builder = builderFromRuntime(deps.runtime, {
        projectId: request.projectId,
        projectPath: request.dir,
        context: request.context,
        signal: request.signal,
        approve: request.approve,
      });
      const gates = {
        ...gatesFromCommands(request.dir, request.gateCommands ?? (async () => (await loadGateCommands(request.dir)).commands), {
          timeoutMs: deps.settings.gate_timeout_seconds * 1000,
          signal: request.signal,
          now: deps.now,
        }),
        // What the task's package.json says the gate scripts are now, against the recorded bodies.
        scripts: () => loadPackageScripts(request.dir),
      };
      // The review gate: agent 4 reads the task's files in its work dir (spec compliance, then quality).
      const review = reviewPortsFor(deps.runtime, { projectId: request.projectId, projectPath: request.dir, context: request.context, signal: request.signal, approve: request.approve });
      return runTask(request.task, { builder, gates, git: deps.git, clock: { now: deps.now }, ...review }, {
        projectDir: request.dir,
        signal: request.signal,
        onEvent: request.onEvent,
        onReviewEvent: request.onReviewEvent,
        onPhase: request.onPhase,
        onReceipts: request.onReceipts,
        ...(request.gateScripts ? { gateScripts: request.gateScripts } : {}),
      });
    },
  };
}
