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
  maintenance: ['feature-spec.md', 'TDD.md', 'INTERFACES.md', 'TASK-GRAPH.md', 'RELEASE.md'],
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
      return `${about}\nThe build is complete. Review the product against the spec and score it: call report_scores, then end with report_status.`;
    case 'security':
      return `${about}\nThe runtime's scanners have run (their findings are in your context). Review the project across the twenty security domains: call report_security_findings, then end with report_status.`;
    case 'verification':
      return `${about}\nThe runtime has checked the build's HEAD in a clean worktree (its results are in your context). Do the QA pass and the release checklist: call report_qa, then end with report_status.`;
    case 'maintenance':
      return `${about}\nThe project has shipped. Ask the person which bug or small change to work on.`;
  }
}

/** Maintenance's first message when the person's words start it (after shipping, or on resume). */
export function maintenanceRequest(project: ProjectInfo, request: string): string {
  return `Project "${project.name}" (${project.platform}), in ${project.path}. The project has shipped.\nThe person asks for this bug fix or small change:\n${request}\nInvestigate it and end with propose_tasks.`;
}

/** The Verifier's message when the person asks to verify again (after maintenance tasks or a HOLD). */
export const REVERIFY_MESSAGE =
  'The project changed since your last report and the person typed !verify. The runtime has run its clean-worktree checks again ' +
  '(the new results are in your context). Do the QA pass and the release checklist again: call report_qa, then end with report_status.';
