import path from 'node:path';
import { driveAgent, runAgent } from '../core/agent/agent-loop.js';
import type { AgentOutcome, BudgetGuard } from '../core/agent/agent-types.js';
import { ASK_USER_TOOL, REPORT_STATUS_TOOL, toInputJsonSchema, type StructuredToolSpec } from '../core/agent/structured-tools.js';
import { contextUseOf } from '../core/budget/budget-view.js';
import type { AgentDefinition } from '../core/agents/agent-schema.js';
import { composeSystemPrompt } from '../core/agents/compose-prompt.js';
import { securityDomainsOf, type RuleDefinition } from '../core/agents/rule-schema.js';
import type { CallTicket } from '../core/budget/ledger.js';
import { REPORT_REVIEW_TOOL } from '../core/build/review-report.js';
import type { BudgetLedger } from '../core/budget/ledger.js';
import { lookupPrice, type PricingFile } from '../core/budget/pricing.js';
import type { SummaryBuilder } from '../core/budget/summary.js';
import { toTelemetryRecord } from '../core/budget/telemetry-record.js';
import { resolveModel, type Settings } from '../core/config/settings.schema.js';
import { errorMessage } from '../core/errors.js';
import type { Stage } from '../core/pipeline/stages.js';
import { blockingFromRule } from '../core/security/gate.js';
import type { ModelProvider } from '../core/provider/types.js';
import type { AgentReadiness, AgentRunRequest, AgentRuntimePort, ProjectStorePort } from '../core/session/ports.js';
import { isFileToolName, type FileToolName } from '../core/tools/names.js';
import type { ToolDefinition } from '../core/tools/types.js';
import { formatProblems, loadAgents, readProjectInstructions } from '../agents/agent-loader.js';
import { appendTelemetry } from '../telemetry/append-telemetry.js';
import { loadPricing } from '../telemetry/load-pricing.js';
import { createProjectTools } from '../tools/project-tools.js';
import { artifactToolsFor, writeFinishedArtifacts } from './artifact-tools.js';

/** Where the model lives and who pays: the key, an optional proxy or local server. */
export interface ModelAccess {
  readonly apiKey: string | undefined;
  readonly baseURL: string | undefined;
  /** CODESLEUTH_MODEL: one model for every agent. */
  readonly modelOverride: string | undefined;
  /** Said when no key is set; names the variable and what to do. */
  readonly missingKey: string;
  /** Said once when the Orchestrator starts, e.g. that the model is the scripted one of --demo. */
  readonly notice?: string;
}

export interface AgentRuntimeDeps {
  readonly installDir: string;
  readonly homeDir: string;
  readonly settings: Settings;
  readonly access: ModelAccess;
  readonly ledger: BudgetLedger;
  readonly spending: SummaryBuilder;
  readonly projects: ProjectStorePort;
  readonly sessionId: string;
  readonly now: () => Date;
  /** Builds the provider; the default loads the Anthropic SDK on first use. */
  readonly provider?: () => Promise<ModelProvider>;
}

interface Definitions {
  readonly agents: Map<string, AgentDefinition>;
  readonly rules: Map<string, RuleDefinition>;
  readonly problems?: string;
  readonly pricing?: PricingFile;
  readonly pricingProblem?: string;
}

function failed(request: AgentRunRequest, message: string, hint?: string): AgentOutcome {
  return { kind: 'failed', error: { kind: 'internal', message, ...(hint ? { hint } : {}) }, messages: request.messages };
}

/** The stage whose agent reviews a Builder task (purpose 'task-review'): the Critic. */
const TASK_REVIEW_AGENT_STAGE: Stage = 'critique';

/*
 * A task reviewer reads and never writes: it runs between the runtime's gate run and the
 * task's commit, so a change it made would be committed without a receipt. No bash either,
 * for the same reason (the gates' receipts already say what the commands did).
 */
const TASK_REVIEW_FILE_TOOLS: ReadonlySet<FileToolName> = new Set<FileToolName>(['read_file', 'list_files', 'glob', 'grep']);

const TASK_REVIEW_NOTE =
  'Mode: task review. You review one task of the build while it is being built, not the finished product: ' +
  'the user message names the task and the review stage. You can read the project but not change it or run commands. ' +
  'Do not score the product (report_scores is not available here); end your run by calling report_review once.';

function contextBlock(request: Pick<AgentRunRequest, 'stage' | 'projectPath' | 'context' | 'purpose'>): string {
  const parts = [`Stage: ${request.stage}. Project directory: ${request.projectPath}.`];
  if (request.purpose === 'task-review') parts.push(TASK_REVIEW_NOTE);
  for (const artifact of request.context) parts.push(`<artifact name="${artifact.name}">\n${artifact.text.trim()}\n</artifact>`);
  return parts.join('\n\n');
}

/**
 * The agents as the session uses them: definitions from agents/ and rules/ (home first), the
 * model provider, the sandboxed and artifact tools, and the budget guard over the ledger with
 * a telemetry line per call.
 */
export function createAgentRuntime(deps: AgentRuntimeDeps): AgentRuntimePort {
  let definitions: Promise<Definitions> | undefined;
  let provider: Promise<ModelProvider> | undefined;

  const load = () =>
    (definitions ??= (async (): Promise<Definitions> => {
      const roots = deps.homeDir === deps.installDir ? [deps.installDir] : [deps.homeDir, deps.installDir];
      const loaded = await loadAgents({ dirs: roots.map((r) => path.join(r, 'agents')), ruleDirs: roots.map((r) => path.join(r, 'rules')) });
      const pricing = await loadPricing({ homeDir: deps.homeDir, installDir: deps.installDir });
      return {
        agents: loaded.agents as Map<string, AgentDefinition>,
        rules: loaded.rules,
        ...(loaded.problems.length > 0 ? { problems: formatProblems(loaded.problems) } : {}),
        ...(pricing.kind === 'ok'
          ? { pricing: pricing.value }
          : { pricingProblem: `${pricing.file}: ${pricing.kind === 'invalid' ? pricing.problems.map((p) => `${p.field}: ${p.message}`).join('; ') : pricing.kind}` }),
      };
    })());

  const getProvider = () =>
    (provider ??=
      deps.provider?.() ??
      import('../providers/anthropic/index.js').then(({ createAnthropicProvider }) =>
        createAnthropicProvider({
          apiKey: deps.access.apiKey,
          baseURL: deps.access.baseURL,
          retry: { maxAttempts: deps.settings.retry.max_attempts, baseDelayMs: deps.settings.retry.base_delay_ms, maxDelayMs: deps.settings.retry.max_delay_ms },
        }),
      ));

  /** Everything a run of the stage's agent needs, or why it cannot run. */
  async function prepare(request: Pick<AgentRunRequest, 'stage' | 'projectPath' | 'projectId' | 'context' | 'purpose'>) {
    const loaded = await load();
    const review = request.purpose === 'task-review';
    const agentStage = review ? TASK_REVIEW_AGENT_STAGE : request.stage;
    const agent = loaded.agents.get(agentStage);
    if (!agent) {
      return { kind: 'failed' as const, message: `There is no valid agent file for the ${agentStage} stage.`, hint: 'Fix the file named in the problems shown at start, then try again.' };
    }
    if (!loaded.pricing) return { kind: 'failed' as const, message: `The price table could not be loaded (${loaded.pricingProblem}).`, hint: 'Restore config/pricing.json.' };
    const model = resolveModel(agent.name, agent.model, deps.settings, deps.access.modelOverride);
    const lookup = lookupPrice(loaded.pricing, model);
    if (lookup.kind !== 'ok') return { kind: 'failed' as const, message: lookup.message, hint: undefined };
    const instructions = await readProjectInstructions(request.projectPath);
    const prompt = composeSystemPrompt({
      agent,
      rules: loaded.rules,
      ...(instructions ? { projectInstructions: instructions } : {}),
      context: contextBlock(request),
    });
    const fileTools = createProjectTools({ only: agent.tools.filter((t): t is FileToolName => isFileToolName(t) && (!review || TASK_REVIEW_FILE_TOOLS.has(t))) });
    const artifacts = artifactToolsFor(request.stage, agent.tools, deps.projects, { projectId: request.projectId, projectPath: request.projectPath, rules: loaded.rules, now: deps.now });
    // A task review writes no artifact and ends only with report_review, whatever the stage's own finishing tool is.
    const tools: ToolDefinition[] = review ? fileTools : [...fileTools, ...artifacts.tools];
    const structured: StructuredToolSpec[] = review
      ? [REPORT_REVIEW_TOOL]
      : [REPORT_STATUS_TOOL, ...(agent.tools.includes('ask_user') ? [ASK_USER_TOOL] : []), ...artifacts.finishing];
    return { kind: 'ready' as const, agent, model, price: lookup.price, prompt, tools, structured };
  }

  return {
    async check(): Promise<AgentReadiness> {
      const loaded = await load();
      const problems = [loaded.problems, loaded.pricingProblem].filter(Boolean).join('\n');
      return {
        ...(problems ? { problems } : {}),
        ...(deps.access.apiKey ? {} : { unavailable: deps.access.missingKey }),
        ...(deps.access.notice ? { notice: deps.access.notice } : {}),
      };
    },

    async modelPrice(stage) {
      const loaded = await load();
      const agent = loaded.agents.get(stage);
      if (!agent || !loaded.pricing) return undefined;
      const model = resolveModel(agent.name, agent.model, deps.settings, deps.access.modelOverride);
      const lookup = lookupPrice(loaded.pricing, model);
      if (lookup.kind !== 'ok') return undefined;
      return { model, inputPerMTok: lookup.price.usdPerMillionTokens.input, outputPerMTok: lookup.price.usdPerMillionTokens.output };
    },

    async releaseBlocking() {
      const loaded = await load();
      return blockingFromRule(securityDomainsOf(loaded.rules));
    },

    async contextUse(request) {
      const prepared = await prepare({ ...request, projectId: '' });
      if (prepared.kind === 'failed') return undefined;
      const { estimateContextTokens } = await import('../telemetry/context-tokens.js');
      const texts = [
        ...prepared.prompt.blocks.map((b) => b.text),
        JSON.stringify([...prepared.tools.map((t) => t.jsonSchema), ...prepared.structured.map((s) => toInputJsonSchema(s.schema))]),
        JSON.stringify(request.messages),
      ];
      return contextUseOf(prepared.agent.name, prepared.model, await estimateContextTokens(texts), prepared.price);
    },

    async run(request) {
      const prepared = await prepare(request);
      if (prepared.kind === 'failed') return failed(request, prepared.message, prepared.hint);
      const { agent, model, price, prompt, tools, structured } = prepared;

      const telemetryFile = path.join(deps.homeDir, 'artifacts', request.projectId, 'telemetry', 'token_log.jsonl');
      const budget: BudgetGuard<CallTicket> = {
        beforeCall(call) {
          const check = deps.ledger.checkBeforeCall({ projectedInputTokens: call.projectedInputTokens, maxOutputTokens: call.maxOutputTokens, model: call.model, price });
          return check.kind === 'allow' ? { kind: 'allow', hold: check.ticket } : { kind: 'refuse', message: check.message };
        },
        async afterCall(call) {
          const spent = deps.ledger.record({ agent: agent.name, stage: request.stage, usage: call.usage, price }, call.hold);
          const record = toTelemetryRecord({
            at: deps.now(),
            session: deps.sessionId,
            stage: request.stage,
            agent: agent.name,
            ...(call.task === undefined ? {} : { task: call.task }),
            model: call.model,
            usage: call.usage,
            costUsd: spent.costUsd,
            durationMs: call.durationMs,
            stopReason: call.stopReason,
            tier: spent.tier,
          });
          deps.spending.addRecord(record);
          await appendTelemetry(telemetryFile, record, { secrets: deps.access.apiKey ? [deps.access.apiKey] : [] });
        },
        releaseCall(call) {
          if (call.hold) deps.ledger.release(call.hold);
        },
      };

      try {
        const outcome = await driveAgent(
          runAgent({
            provider: await getProvider(),
            agent: { id: agent.name, model, maxTokens: deps.settings.max_tokens, maxTurns: agent.maxTurns, system: prompt.blocks },
            ...(request.task === undefined ? {} : { task: request.task }),
            tools,
            structuredTools: structured,
            messages: request.messages,
            toolContext: { projectRoot: request.projectPath, signal: request.signal, approve: request.approve },
            budget,
            signal: request.signal,
          }),
          request.onEvent,
        );
        // A task review's report is the task runner's to read; it never becomes an artifact file.
        if (outcome.kind === 'finished' && request.purpose !== 'task-review') await writeFinishedArtifacts(outcome.tool, outcome.input, deps.projects, request.projectId);
        return outcome;
      } catch (error) {
        return failed(request, `The agent run failed: ${errorMessage(error)}`);
      }
    },
  };
}
