import type { BudgetView } from '../budget/budget-view.js';
import type { CommandRegistry } from '../commands/registry.js';
import type { CommandContext, OpenProjectView } from '../commands/types.js';
import type { BuildController } from './build-controller.js';
import type { GateKeeper } from './gate-keeper.js';
import type { OpenProject } from './open-project.js';
import type { SessionPorts } from './ports.js';
import type { StageAgents } from './stage-agents.js';

/** Where a command's view of the session comes from. */
export interface CommandSources {
  readonly ports: SessionPorts;
  readonly registry: CommandRegistry;
  readonly project: OpenProject | undefined;
  readonly agents: Pick<StageAgents, 'state' | 'contextUse'>;
  readonly gates: Pick<GateKeeper, 'stale'>;
  readonly builder: Pick<BuildController, 'skipMarks'>;
  /** Asked last, once the project view is read. */
  readonly waitingFor: () => string | undefined;
}

/**
 * What the command `name` sees when it runs: the open project, what the session waits for, and
 * spending. Spending is read for !budget only, as it asks the agent runtime for context use;
 * the skip marks for !status only.
 */
export async function commandContext(name: string, args: string, sources: CommandSources): Promise<CommandContext> {
  const view = await projectView(sources, name === 'status');
  const budget = name === 'budget' ? await budgetView(sources) : undefined;
  const waitingFor = sources.waitingFor();
  return { args, registry: sources.registry, ...(view ? { project: view } : {}), ...(budget ? { budget } : {}), ...(waitingFor ? { waitingFor } : {}) };
}

/** `withMarks`: the tasks built without a skipped one, which only !status shows (reading them may read TASK-GRAPH.md). */
async function projectView({ project, ports, gates, agents, builder }: CommandSources, withMarks: boolean): Promise<OpenProjectView | undefined> {
  if (!project) return undefined;
  const marked = withMarks ? await builder.skipMarks(project) : undefined;
  return {
    handoff: project.handoff,
    position: project.position(),
    stale: await gates.stale(project),
    agentState: agents.state(),
    handoffPath: ports.projects.handoffPath(project.id),
    ...(marked ? { marked } : {}),
  };
}

async function budgetView({ ports, project, agents }: CommandSources): Promise<BudgetView | undefined> {
  const budget = ports.budget;
  if (!budget) return undefined;
  const contextUse = await agents.contextUse();
  const spending = project ? await budget.projectSpending(project.id) : undefined;
  return { summary: budget.spending.finish(), ledger: budget.ledger.snapshot(), ...(contextUse ? { contextUse } : {}), ...(spending ? { project: spending } : {}) };
}
