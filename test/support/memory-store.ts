import { createHash } from 'node:crypto';
import type { ArtifactStore } from '../../src/core/session/json-artifact.js';

/** An artifact store in memory, for the review tools' unit tests. */
export function memoryStore(files: Record<string, string> = {}): ArtifactStore & { readonly files: Map<string, string> } {
  const map = new Map(Object.entries(files));
  return {
    files: map,
    artifactPath: (projectId, name) => `/artifacts/${projectId}/${name}`,
    async readArtifact(_projectId, name) {
      const text = map.get(name);
      return text === undefined ? { kind: 'missing' } : { kind: 'ok', text, sha256: createHash('sha256').update(text).digest('hex') };
    },
    async writeArtifact(_projectId, name, text) {
      map.set(name, text);
    },
  };
}
