import type { ProjectInfo } from '../handoff/handoff.schema.js';
import type { Stage } from '../pipeline/stages.js';

/** The artifacts each stage's agent works from, read fresh before every run. */
export const STAGE_INPUTS: Readonly<Record<Stage, readonly string[]>> = {
  discovery: ['feature-spec.md'],
  planning: ['feature-spec.md', 'TDD.md', 'INTERFACES.md', 'SCHEMA.md', 'TASK-GRAPH.md'],
  building: ['feature-spec.md', 'TDD.md', 'INTERFACES.md', 'SCHEMA.md', 'TASK-GRAPH.md'],
  critique: ['feature-spec.md', 'TASK-GRAPH.md', 'BUILD_REPORT.md'],
  security: ['feature-spec.md', 'BUILD_REPORT.md', 'CRITICISM.md'],
  verification: ['feature-spec.md', 'TASK-GRAPH.md', 'BUILD_REPORT.md', 'CRITICISM.md', 'SECURITY_REPORT.md'],
  maintenance: ['feature-spec.md', 'TDD.md', 'INTERFACES.md', 'TASK-GRAPH.md'],
};

/**
 * The runtime's first message to a stage's agent: what just happened and what is wanted. The
 * artifacts themselves travel in the agent's context, not in this text.
 */
export function kickoffMessage(stage: Stage, project: ProjectInfo): string {
  const about = `Project "${project.name}" (${project.platform}), in ${project.path}.`;
  switch (stage) {
    case 'discovery':
      return `${about}\nThe person describes it as: ${project.brief}\nStart the interview: ask your first question.`;
    case 'planning':
      return `${about}\nThe person approved feature-spec.md with !plan. Design the system and write the task graph.`;
    case 'building':
      return `${about}\nThe person approved the plan with !build. Build the tasks in the task graph.`;
    case 'critique':
      return `${about}\nThe build is complete and the person typed !critic. Review the product against the spec and score it.`;
    case 'security':
      return `${about}\nThe person typed !security. Review the project across the twenty security domains.`;
    case 'verification':
      return `${about}\nThe person typed !verify. Do the QA pass and the release checklist.`;
    case 'maintenance':
      return `${about}\nThe project has shipped. Ask the person which bug or small change to work on.`;
  }
}
