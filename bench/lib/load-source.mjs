// Benches run with plain node: this bundles the TypeScript modules a bench needs from src/
// with esbuild into one temporary ES module and imports it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `exportLines`: e.g. "export { parseTaskGraph } from './src/core/task-graph/parse-task-graph.ts';" */
export async function loadSource(name, exportLines) {
  const result = await build({
    stdin: { contents: exportLines.join('\n'), resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  const dir = mkdtempSync(path.join(tmpdir(), `codesleuth-bench-${name}-`));
  try {
    const file = path.join(dir, `${name}.mjs`);
    writeFileSync(file, result.outputFiles[0].text);
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
