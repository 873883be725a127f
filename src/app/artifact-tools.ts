import { toInputJsonSchema, type StructuredToolSpec } from '../core/agent/structured-tools.js';
import type { Stage } from '../core/pipeline/stages.js';
import { ARTIFACT_WRITERS, STAGE_FINISHING_TOOL, type ArtifactWriter } from '../core/session/artifact-writers.js';
import type { ProjectStorePort } from '../core/session/ports.js';
import { okResult, type ToolDefinition } from '../core/tools/types.js';

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
 * Splits an agent's artifact tools into the one that finishes its stage (a structured tool the
 * loop ends on; the runtime writes its files from the outcome) and the others (plain tools that
 * write at once).
 */
export function artifactToolsFor(
  stage: Stage,
  toolNames: readonly string[],
  store: ProjectStorePort,
  projectId: string,
): { readonly tools: ToolDefinition[]; readonly finishing: StructuredToolSpec[] } {
  const tools: ToolDefinition[] = [];
  const finishing: StructuredToolSpec[] = [];
  for (const name of toolNames) {
    const writer = ARTIFACT_WRITERS.get(name);
    if (!writer) continue;
    if (STAGE_FINISHING_TOOL[stage] === name) finishing.push({ ...writer.spec, finishing: true });
    else tools.push(immediateTool(writer, store, projectId));
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
