import type { StructuredToolSpec } from '../agent/structured-tools.js';
import { renderDesign } from '../documents/design.js';
import { WRITE_DESIGN_TOOL } from '../documents/design.schema.js';
import { FEATURE_SPEC_FILE, renderFeatureSpec } from '../documents/feature-spec.js';
import { WRITE_FEATURE_SPEC_TOOL } from '../documents/feature-spec.schema.js';
import type { Stage } from '../pipeline/stages.js';
import { renderTaskGraph } from '../task-graph/render-task-graph.js';
import { WRITE_TASK_GRAPH_TOOL, graphFromPlan } from '../task-graph/write-task-graph.js';
import { PROPOSE_TASKS_TOOL } from './append-tasks.js';

/** A rendered artifact: its file name under artifacts/<project-id>/ and its text. */
export interface RenderedArtifact {
  readonly name: string;
  readonly text: string;
}

/**
 * A structured tool whose validated input the runtime renders into artifacts. The model never
 * writes these files; it sends data, the runtime renders markdown the gates can parse back.
 */
export interface ArtifactWriter {
  readonly spec: StructuredToolSpec;
  render(input: unknown): RenderedArtifact[];
}

function writer<I>(spec: StructuredToolSpec<I>, render: (input: I) => RenderedArtifact[]): ArtifactWriter {
  return { spec: spec as StructuredToolSpec, render: (input) => render(input as I) };
}

export const ARTIFACT_WRITERS: ReadonlyMap<string, ArtifactWriter> = new Map(
  [
    writer(WRITE_FEATURE_SPEC_TOOL, (spec) => [{ name: FEATURE_SPEC_FILE, text: renderFeatureSpec(spec) }]),
    writer(WRITE_DESIGN_TOOL, (design) => renderDesign(design).map((d) => ({ name: d.file, text: d.text }))),
    writer(WRITE_TASK_GRAPH_TOOL, (plan) => [{ name: 'TASK-GRAPH.md', text: renderTaskGraph(graphFromPlan(plan)) }]),
  ].map((w) => [w.spec.name, w]),
);

/**
 * Finishing tools whose input the session acts on itself rather than rendering into files:
 * Maintenance's proposal is appended to the existing TASK-GRAPH.md (StageAgents), which a
 * pure renderer of the input alone could not do.
 */
export const SESSION_FINISHING_TOOLS: ReadonlyMap<string, StructuredToolSpec> = new Map([[PROPOSE_TASKS_TOOL.name, PROPOSE_TASKS_TOOL as StructuredToolSpec]]);

/**
 * The tool that ends each stage's agent run, when it is an artifact writer (or a session
 * finishing tool). The review stages (Critic, Security, Verifier) end with report_status
 * after their immediate report tools (src/app/artifact-tools.ts). Other artifact
 * tools of the agent are written at once and the run goes on (the Planner's design, then its
 * task graph).
 */
export const STAGE_FINISHING_TOOL: Partial<Readonly<Record<Stage, string>>> = {
  discovery: 'write_feature_spec',
  planning: 'write_task_graph',
  maintenance: 'propose_tasks',
};
