import path from 'node:path';
import { contextFileSchema, type ContextFile } from '../core/context/context.schema.js';
import { UserError } from '../core/errors.js';
import { platformsFileSchema } from '../core/platforms/platform.schema.js';
import type { ConfigPort } from '../core/session/ports.js';
import { formatProblems } from '../core/validation.js';
import { writeFileAtomic } from './atomic-write.js';
import { withFileLock } from './project-lock.js';
import { readJsonFile } from './read-json.js';

/** Where config files are: the home's config/ first, the install's for shipped defaults. */
export interface ConfigLocations {
  readonly homeDir: string;
  readonly installDir: string;
}

export function contextFilePath(homeDir: string): string {
  return path.join(homeDir, 'config', 'context.json');
}

/** config/context.json and config/platforms.json on disk. */
export function createConfigStore(locations: ConfigLocations): ConfigPort {
  const contextFile = contextFilePath(locations.homeDir);
  const customHome = path.resolve(locations.homeDir) === path.resolve(locations.installDir) ? undefined : path.resolve(locations.homeDir);
  // In the install folder a relative name reads well; a home elsewhere is named in full.
  const shown = (file: string) => (customHome ? file : path.relative(locations.homeDir, file) || file);

  async function updateUnlocked(change: (context: ContextFile) => ContextFile): Promise<void> {
    const current = await readJsonFile(contextFile, contextFileSchema, shown(contextFile));
    if (current.kind !== 'ok') {
      const why = current.kind === 'invalid' ? formatProblems(current.problems) : current.kind === 'missing' ? 'it is missing' : current.message;
      throw new UserError(`${current.file} cannot be updated: ${why}`, { hint: 'Fix the file or run bash SETUP.sh.' });
    }
    const next = contextFileSchema.parse(change(current.value));
    await writeFileAtomic(contextFile, `${JSON.stringify(next, null, 2)}\n`);
  }

  return {
    ...(customHome ? { customHome } : {}),
    readContext: () => readJsonFile(contextFile, contextFileSchema, shown(contextFile)),

    // Two REPLs on one home each update their own project's entry: the lock keeps one
    // read-modify-write from overwriting the other.
    updateContext: (change: (context: ContextFile) => ContextFile) => withFileLock(`${contextFile}.lock`, () => updateUnlocked(change)),

    async readPlatforms() {
      const homeFile = path.join(locations.homeDir, 'config', 'platforms.json');
      const installFile = path.join(locations.installDir, 'config', 'platforms.json');
      const fromHome = await readJsonFile(homeFile, platformsFileSchema, shown(homeFile));
      const read = fromHome.kind === 'missing' ? await readJsonFile(installFile, platformsFileSchema, installFile) : fromHome;
      return read.kind === 'ok' ? { ...read, value: read.value.platforms } : read;
    },
  };
}
