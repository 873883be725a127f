/**
 * The environment a sandboxed command sees. Pure, so it is tested on its own.
 *
 * Dropped: any variable whose name contains one of the words below (case-insensitive),
 * which catches ANTHROPIC_API_KEY, OPENAI_API_KEY, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY,
 * PGPASSWORD, npm_config_//registry.npmjs.org/:_authToken, SSH_AUTH_SOCK and friends;
 * and any variable whose value is a URL with a password in it (DATABASE_URL=postgres://u:p@h).
 * Kept: everything else, so PATH, HOME, LANG, TERM, TMPDIR, NODE_*, npm_config_* (other
 * than tokens), CI and the like still work. A deny-list rather than an allow-list because
 * build tools read many harmless variables we cannot enumerate.
 */

const SENSITIVE_WORDS = ['KEY', 'TOKEN', 'SECRET', 'PASSWORD', 'PASSWD', 'PASSPHRASE', 'CREDENTIAL', 'AUTH', 'PRIVATE', 'COOKIE', 'ASKPASS'];

const SENSITIVE_NAME = new RegExp(SENSITIVE_WORDS.join('|'), 'i');

/** scheme://user:password@host */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

/**
 * Set for every sandboxed command: nothing may stop to ask for a password or open a
 * pager, because no one can type into it.
 */
export const SANDBOX_ENV_DEFAULTS: Readonly<Record<string, string>> = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_PAGER: 'cat',
  PAGER: 'cat',
};

/** True when a variable with this name must not reach a sandboxed command. */
export function isSensitiveEnvName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

/** A copy of `env` without credentials (see the module comment). Never mutates its input. */
export function scrubEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (isSensitiveEnvName(name)) continue;
    if (URL_WITH_PASSWORD.test(value)) continue;
    clean[name] = value;
  }
  return clean;
}

/**
 * The full environment for a sandboxed command: the scrubbed base, the sandbox defaults,
 * then the caller's extras (scrubbed too: a token is not let through by passing it
 * explicitly).
 */
export function sandboxEnv(
  base: Readonly<Record<string, string | undefined>>,
  extra: Readonly<Record<string, string | undefined>> = {},
): Record<string, string> {
  return { ...scrubEnv(base), ...SANDBOX_ENV_DEFAULTS, ...scrubEnv(extra) };
}
