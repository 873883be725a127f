import type { z } from 'zod';
import { formatZodIssues } from '../tools/run-tool.js';
import type { ProjectStorePort } from './ports.js';

/**
 * The runtime's own JSON artifacts (CRITICISM.json, SCANNER_FINDINGS.json, RELEASE_CHECKS.json,
 * ...) are still outside input when read back: a person may have edited them. Each is parsed
 * with its schema and a broken one is said, with the file and the field, never trusted.
 */

/** The store as the review tools and stages use it. */
export type ArtifactStore = Pick<ProjectStorePort, 'readArtifact' | 'writeArtifact' | 'artifactPath'>;

export type JsonArtifact<T> =
  | { readonly kind: 'missing'; readonly name: string }
  | { readonly kind: 'invalid'; readonly name: string; readonly message: string }
  | { readonly kind: 'ok'; readonly name: string; readonly value: T };

/** Reads and validates one JSON artifact. */
export async function readJsonArtifact<T>(store: ArtifactStore, projectId: string, name: string, schema: z.ZodType<T>): Promise<JsonArtifact<T>> {
  const read = await store.readArtifact(projectId, name);
  if (read.kind === 'missing') return { kind: 'missing', name };
  let raw: unknown;
  try {
    raw = JSON.parse(read.text);
  } catch {
    return { kind: 'invalid', name, message: `${name} is not valid JSON; delete it and run the stage again` };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { kind: 'invalid', name, message: `${name} is not what the runtime wrote:\n${formatZodIssues(parsed.error)}\nDelete it and run the stage again.` };
  return { kind: 'ok', name, value: parsed.data };
}

/** Writes a JSON artifact the way the runtime always does: two-space indent, final newline. */
export async function writeJsonArtifact(store: ArtifactStore, projectId: string, name: string, value: unknown): Promise<void> {
  await store.writeArtifact(projectId, name, `${JSON.stringify(value, null, 2)}\n`);
}
