import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** End-to-end tests run the built CLI; `npm test` builds first, a bare `vitest` builds here once. */
export default function setup(): void {
  if (!existsSync(`${root}/dist/cli.js`)) {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  }
}
