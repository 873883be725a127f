import { toInputJsonSchema, type StructuredToolSpec } from '../core/agent/structured-tools.js';
import { criticDimensionsOf, securityDomainsOf, type RuleDefinition } from '../core/agents/rule-schema.js';
import type { Stage } from '../core/pipeline/stages.js';
import { reportQaTool } from '../core/release/release-report.js';
import { reportSecurityFindingsTool } from '../core/security/security-tool.js';
import { ARTIFACT_WRITERS, SESSION_FINISHING_TOOLS, STAGE_FINISHING_TOOL, type ArtifactWriter } from '../core/session/artifact-writers.js';
import type { ProjectStorePort } from '../core/session/ports.js';
import { okResult, type ToolDefinition } from '../core/tools/types.js';
import { reportScoresTool } from '../core/verdicts/critic-tool.js';
import type { FileIndex } from '../core/verdicts/evidence.js';
import { createFileIndex } from '../scanners/file-index.js';

/** What the artifact tools of one run need to know besides the store. */
export interface ArtifactToolContext {
  readonly projectId: string;
  /** The project directory: cited file:line locations are checked against it. */
  readonly projectPath: string;
  /** The loaded rules: dimension names and N/A targets, security domain names. */
  readonly rules?: ReadonlyMap<string, RuleDefinition>;
  /** Replaces the real project index (tests). */
  readonly fileIndex?: FileIndex;
  readonly now?: () => Date;
}

/** An artifact writer the run goes on after: validated by runTool, rendered and saved at once. */
function immediateTool(writer: ArtifactWriter, store: ProjectStorePort, projectId: string): ToolDefinition {
  return {
    name: writer.spec.name,
    description: writer.spec.description.replace(/ and end your run/g, ''),
    schema: writer.spec.schema,
    jsonSchema: toInputJsonSchema(writer.spec.schema),
    async execute(input) {
      const files = writer.render(input);
      for (const file of files) await store.writeArtifact(projectId, file.name, file.text);
      const names = files.map((f) => f.name).join(', ');
      return okResult(`Saved ${names}. Go on with the next step.`, `wrote ${names}`);
    },
  };
}

/**
 * The review stages' report tools: immediate tools that check the model's citations against
 * the project and compute the verdict in code; a rejected report is an error result the
 * model fixes and sends again. The run then ends with report_status.
 */
function reviewTool(name: string, store: ProjectStorePort, context: ArtifactToolContext, fileIndex: () => FileIndex): ToolDefinition | undefined {
  const base = { store, projectId: context.projectId };
  switch (name) {
    case 'report_scores': {
      const dimensions = context.rules ? criticDimensionsOf(context.rules) : undefined;
      return reportScoresTool({
        ...base,
        fileIndex: fileIndex(),
        platform: async () => {
          const handoff = await store.loadHandoff(context.projectId);
          // HANDOFF keeps the platform's name (Web, macOS); the rule's na_platforms use its id (web, macos).
          return handoff.kind === 'ok' ? handoff.value.project.platform.toLowerCase() : undefined;
        },
        ...(dimensions ? { dimensions } : {}),
      }) as ToolDefinition;
    }
    case 'report_security_findings': {
      const domains = context.rules ? securityDomainsOf(context.rules) : undefined;
      return reportSecurityFindingsTool({ ...base, fileIndex: fileIndex(), ...(domains ? { domains } : {}) }) as ToolDefinition;
    }
    case 'report_qa':
      return reportQaTool({ ...base, now: context.now ?? (() => new Date()) }) as ToolDefinition;
    default:
      return undefined;
  }
}

/**
 * Splits an agent's artifact tools into the one that finishes its stage (a structured tool the
 * loop ends on; the runtime writes its files from the outcome, or the session acts on it) and
 * the others (plain tools that write at once, and the review stages' checked report tools).
 */
export function artifactToolsFor(
  stage: Stage,
  toolNames: readonly string[],
  store: ProjectStorePort,
  context: ArtifactToolContext,
): { readonly tools: ToolDefinition[]; readonly finishing: StructuredToolSpec[] } {
  const tools: ToolDefinition[] = [];
  const finishing: StructuredToolSpec[] = [];
  let index: FileIndex | undefined = context.fileIndex;
  const fileIndex = () => (index ??= createFileIndex(context.projectPath));
  for (const name of toolNames) {
    const session = SESSION_FINISHING_TOOLS.get(name);
    if (session) {
      if (STAGE_FINISHING_TOOL[stage] === name) finishing.push(session);
      continue;
    }
    const writer = ARTIFACT_WRITERS.get(name);
    if (!writer) {
      const review = reviewTool(name, store, context, fileIndex);
      if (review) tools.push(review);
      continue;
    }
    if (STAGE_FINISHING_TOOL[stage] === name) finishing.push({ ...writer.spec, finishing: true });
    else tools.push(immediateTool(writer, store, context.projectId));
  }
  return { tools, finishing };
}

/** Writes the artifacts of a finishing artifact tool; returns their names (none for other tools). */
export async function writeFinishedArtifacts(tool: string, input: unknown, store: ProjectStorePort, projectId: string): Promise<string[]> {
  const writer = ARTIFACT_WRITERS.get(tool);
  if (!writer) return [];
  const files = writer.render(input);
  for (const file of files) await store.writeArtifact(projectId, file.name, file.text);
  return files.map((f) => f.name);
}
