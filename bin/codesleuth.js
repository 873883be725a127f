#!/usr/bin/env node
// Kept tiny: the real entry is the bundle, built by `npm run build` (or bash SETUP.sh).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('codesleuth: the CLI is not built yet. Run `bash SETUP.sh` (or `npm run build`) in the CodeSleuth folder.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
