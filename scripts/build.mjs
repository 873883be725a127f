// Bundles the CLI with esbuild: one ESM entry plus lazily loaded chunks, so the first prompt
// does not pay for module resolution across hundreds of files.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';

const root = new URL('..', import.meta.url);
const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));

await rm(new URL('dist', root), { recursive: true, force: true });
await build({
  absWorkingDir: new URL('.', root).pathname,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  define: {
    CODESLEUTH_VERSION: JSON.stringify(pkg.version),
    'process.env.NODE_ENV': '"production"',
    'process.env.DEV': '"false"',
  },
  // Native, WASM or optional modules stay outside the bundle and load from node_modules.
  external: ['tiktoken', 'node-pty', 'react-devtools-core', '@anthropic-ai/sdk'],
  banner: {
    // Bundled CommonJS dependencies still call require().
    js: "import { createRequire as __csCreateRequire } from 'node:module'; const require = __csCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
console.log('built dist/cli.js');
