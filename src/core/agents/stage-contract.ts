import { STAGE_INFO, STAGES } from '../pipeline/stages.js';
import type { KnownToolName, StructuredToolName } from './tool-names.js';

/**
 * What the runtime demands of the agent in each stage, whatever its file says. An edited or
 * overriding agent file can change the prompt, the model and the budget; it cannot take away
 * the tool a stage ends with, nor give file-writing tools to an agent that must not change code.
 */

/** The orchestrator (agent 0) plus the seven working stages, in agent-id order. */
export const AGENT_STAGES = ['orchestrator', ...STAGES] as const;

export type AgentStage = (typeof AGENT_STAGES)[number];

/** The fixed facts about one stage's agent. */
export interface StageContract {
  readonly id: number;
  /** The file the install ships for this stage; used in hints. */
  readonly fileName: string;
  /** Structured tools the agent must have: the ways its work reaches the runtime. */
  readonly requiredTools: readonly StructuredToolName[];
  /** Tools the agent must never be given, and why (shown to the person). */
  readonly forbiddenTools: readonly KnownToolName[];
  readonly forbiddenReason: string;
}

const CHANGES_CODE: readonly KnownToolName[] = ['write_file', 'edit_file'];
const ONLY_BUILDER = 'only the Builder changes files; other stages report through their structured tools';

export const STAGE_CONTRACTS: Readonly<Record<AgentStage, StageContract>> = {
  orchestrator: {
    id: 0,
    fileName: '00-orchestrator.md',
    requiredTools: ['report_status'],
    forbiddenTools: [...CHANGES_CODE, 'bash'],
    forbiddenReason: 'the Orchestrator coordinates and never writes code or runs commands',
  },
  discovery: {
    id: STAGE_INFO.discovery.agentId,
    fileName: '01-discovery.md',
    requiredTools: ['write_feature_spec'],
    forbiddenTools: [...CHANGES_CODE, 'bash'],
    forbiddenReason: 'Discovery writes the feature spec only through write_feature_spec',
  },
  planning: {
    id: STAGE_INFO.planning.agentId,
    fileName: '02-planner.md',
    requiredTools: ['write_design', 'write_task_graph'],
    forbiddenTools: [...CHANGES_CODE, 'bash'],
    forbiddenReason: 'the Planner writes its documents only through write_design and write_task_graph',
  },
  building: {
    id: STAGE_INFO.building.agentId,
    fileName: '03-builder.md',
    requiredTools: ['report_status'],
    forbiddenTools: [],
    forbiddenReason: '',
  },
  critique: {
    id: STAGE_INFO.critique.agentId,
    fileName: '04-critic.md',
    requiredTools: ['report_review', 'report_scores'],
    forbiddenTools: CHANGES_CODE,
    forbiddenReason: ONLY_BUILDER,
  },
  security: {
    id: STAGE_INFO.security.agentId,
    fileName: '05-security.md',
    requiredTools: ['report_security_findings'],
    forbiddenTools: CHANGES_CODE,
    forbiddenReason: ONLY_BUILDER,
  },
  verification: {
    id: STAGE_INFO.verification.agentId,
    fileName: '06-verifier.md',
    requiredTools: ['report_qa'],
    forbiddenTools: CHANGES_CODE,
    forbiddenReason: ONLY_BUILDER,
  },
  maintenance: {
    id: STAGE_INFO.maintenance.agentId,
    fileName: '07-maintenance.md',
    requiredTools: ['propose_tasks'],
    forbiddenTools: CHANGES_CODE,
    forbiddenReason: 'Maintenance proposes tasks for the Builder; it does not change files itself',
  },
};

/** A breach of the stage contract, ready to become a problem on one field. */
export interface ContractBreach {
  readonly field: 'id' | 'tools';
  readonly message: string;
  readonly expected: string;
  readonly hint: string;
}

/** Every way an agent's id and tools break its stage's contract; empty when they keep it. */
export function checkStageContract(agent: {
  readonly id: number;
  readonly stage: AgentStage;
  readonly tools: readonly KnownToolName[];
}): ContractBreach[] {
  const contract = STAGE_CONTRACTS[agent.stage];
  const breaches: ContractBreach[] = [];
  if (agent.id !== contract.id) {
    breaches.push({
      field: 'id',
      message: `id ${agent.id} does not belong to stage \`${agent.stage}\``,
      expected: `${contract.id} for stage \`${agent.stage}\``,
      hint: `set \`id: ${contract.id}\`, or change \`stage\` to the stage of agent ${agent.id}`,
    });
  }
  for (const tool of contract.requiredTools) {
    if (!agent.tools.includes(tool)) {
      breaches.push({
        field: 'tools',
        message: `the ${agent.stage} agent is missing its structured tool \`${tool}\``,
        expected: `the list to include ${contract.requiredTools.map((t) => `\`${t}\``).join(' and ')}`,
        hint: `add \`${tool}\` to \`tools\`; without it the agent has no way to hand its work to the runtime`,
      });
    }
  }
  for (const tool of contract.forbiddenTools) {
    if (agent.tools.includes(tool)) {
      breaches.push({
        field: 'tools',
        message: `the ${agent.stage} agent may not have \`${tool}\``,
        expected: `no ${contract.forbiddenTools.map((t) => `\`${t}\``).join(', ')}`,
        hint: `remove \`${tool}\` from \`tools\`: ${contract.forbiddenReason}`,
      });
    }
  }
  return breaches;
}

export function isAgentStage(value: unknown): value is AgentStage {
  return typeof value === 'string' && (AGENT_STAGES as readonly string[]).includes(value);
}
