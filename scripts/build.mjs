// Bundles the CLI with esbuild: one ESM entry plus lazily loaded chunks, so the first prompt
// does not pay for module resolution across hundreds of files.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';

const root = new URL('..', import.meta.url);

// Yoga's Emscripten loader fetches its inline wasm through `fetch` when one exists. In Node
// that first touch of `fetch` loads undici (~25 ms before the first frame) only to read a
// data: URL; the loader's own fallback decodes the same bytes directly.
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/].*\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const patched = source.replaceAll('"function"!=typeof fetch', 'true');
      if (patched === source) throw new Error('yoga-without-fetch: the loader changed; review scripts/build.mjs');
      return { contents: patched, loader: 'js' };
    });
  },
};
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
  plugins: [yogaWithoutFetch],
  logLevel: 'warning',
});
console.log('built dist/cli.js');
