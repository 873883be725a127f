import { z } from 'zod';
import { DEFAULT_SECRET_EXCEPTIONS, DEFAULT_SECRET_PATTERNS } from './secrets.js';
import type { SandboxPolicy } from './types.js';

/**
 * Commands allowed without asking, beyond the built-in read-only ones (ls, cat, grep,
 * git status, ...). These run project code (a test script can do anything), which is the
 * point of a Builder; a project that wants a person to see every run sets
 * `commands.allow` to [] in its config.
 */
export const DEFAULT_ALLOWED_COMMANDS: readonly string[] = [
  'npm test',
  'npm run test',
  'npm run build',
  'npm run lint',
  'npm run typecheck',
  'npx vitest',
  'npx tsc',
  'npx eslint',
  'npx prettier --check',
  'node --version',
  'npm --version',
];

/** The policy used when the config says nothing. */
export const DEFAULT_POLICY: SandboxPolicy = {
  secretFiles: {
    patterns: [...DEFAULT_SECRET_PATTERNS],
    exceptions: [...DEFAULT_SECRET_EXCEPTIONS],
    read: 'deny',
    write: 'ask',
  },
  askBeforeWriting: ['.github/workflows/**', '.husky/**', '.githooks/**'],
  commands: {
    allow: [...DEFAULT_ALLOWED_COMMANDS],
    ask: [],
    deny: [],
    unknown: 'ask',
  },
};

/**
 * What a config file may say about the sandbox. Lists are added to the defaults
 * (`extraPatterns`, `allow`, ...) so that a project cannot silently drop a built-in
 * secret pattern by restating the list; `allowOnly` replaces the allow list.
 */
export const policyOverridesSchema = z.strictObject({
  secretFiles: z
    .strictObject({
      extraPatterns: z.array(z.string().min(1)).optional(),
      exceptions: z.array(z.string().min(1)).optional(),
      read: z.enum(['deny', 'ask']).optional(),
      write: z.enum(['deny', 'ask']).optional(),
    })
    .optional(),
  askBeforeWriting: z.array(z.string().min(1)).optional(),
  commands: z
    .strictObject({
      allow: z.array(z.string().min(1)).optional(),
      allowOnly: z.array(z.string().min(1)).optional(),
      ask: z.array(z.string().min(1)).optional(),
      deny: z.array(z.string().min(1)).optional(),
      unknown: z.enum(['allow', 'ask']).optional(),
    })
    .optional(),
});

/** Validated overrides from config. */
export type PolicyOverrides = z.infer<typeof policyOverridesSchema>;

/** Default policy plus overrides. Pure. */
export function resolvePolicy(overrides: PolicyOverrides = {}, base: SandboxPolicy = DEFAULT_POLICY): SandboxPolicy {
  const secret = overrides.secretFiles ?? {};
  const commands = overrides.commands ?? {};
  return {
    secretFiles: {
      patterns: [...base.secretFiles.patterns, ...(secret.extraPatterns ?? [])],
      exceptions: [...base.secretFiles.exceptions, ...(secret.exceptions ?? [])],
      read: secret.read ?? base.secretFiles.read,
      write: secret.write ?? base.secretFiles.write,
    },
    askBeforeWriting: [...base.askBeforeWriting, ...(overrides.askBeforeWriting ?? [])],
    commands: {
      allow: commands.allowOnly ?? [...base.commands.allow, ...(commands.allow ?? [])],
      ask: [...base.commands.ask, ...(commands.ask ?? [])],
      deny: [...base.commands.deny, ...(commands.deny ?? [])],
      unknown: commands.unknown ?? base.commands.unknown,
    },
  };
}

/**
 * Validates raw config (already parsed from JSON/YAML) and resolves it, collecting every
 * problem as "source: field: message" rather than stopping at the first.
 */
export function parsePolicyConfig(
  raw: unknown,
  source: string,
): { ok: true; policy: SandboxPolicy } | { ok: false; errors: string[] } {
  const parsed = policyOverridesSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => {
        const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
        return `${source}: sandbox.${field}: ${issue.message}`;
      }),
    };
  }
  return { ok: true, policy: resolvePolicy(parsed.data) };
}
