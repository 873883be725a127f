import type { ContextFile } from '../context/context.schema.js';
import type { Platform } from '../platforms/platform.schema.js';
import { entry, type EntryInput } from '../transcript.js';
import { formatProblems } from '../validation.js';
import type { SessionPorts } from './ports.js';
import { setupBlock } from './startup-blocks.js';

/** What `Start agent 0` found: a verified setup to go on from, or what the person must fix first. */
export type SetupCheck =
  | { readonly ok: true; readonly context: ContextFile; readonly platforms: readonly Platform[] }
  | { readonly ok: false; readonly block: EntryInput };

/**
 * The startup protocol's first step: config/context.json must exist, validate and say setup is
 * complete, and the build targets must load. Every failure says which file and what to do.
 */
export async function checkSetup(config: SessionPorts['config']): Promise<SetupCheck> {
  const context = await config.readContext();
  switch (context.kind) {
    case 'missing':
      return { ok: false, block: setupBlock(`${context.file} does not exist`, config.customHome) };
    case 'unreadable':
      return { ok: false, block: entry.error(`Cannot read ${context.file}: ${context.message}. Check its permissions, then type \`Start agent 0\` again.`) };
    case 'invalid':
      return {
        ok: false,
        block: entry.error(
          `${context.file} is not valid:\n${formatProblems(context.problems)}\nNothing was changed. Fix the field, or move the file aside and run \`bash SETUP.sh\` to create a fresh one.`,
        ),
      };
    case 'ok':
      break;
  }
  if (!context.value._setup_complete) return { ok: false, block: setupBlock(`${context.file} says _setup_complete is false`, config.customHome) };
  const platforms = await config.readPlatforms();
  if (platforms.kind !== 'ok') {
    const why = platforms.kind === 'invalid' ? formatProblems(platforms.problems) : platforms.kind === 'unreadable' ? platforms.message : 'the file is missing';
    return { ok: false, block: entry.error(`Cannot load the build targets from ${platforms.file}: ${why}\nRestore it from the CodeSleuth install (git checkout config/platforms.json).`) };
  }
  return { ok: true, context: context.value, platforms: platforms.value };
}
