/**
 * Anthropic keys start `sk-ant-` (`sk-ant-api03-…`, `sk-ant-admin01-…`, `sk-ant-oat01-…`).
 * The character class is wide on purpose: better to cut a little extra than leave a tail.
 */
const ANTHROPIC_KEY = /sk-ant-[A-Za-z0-9_\-]*/gi;

/** What stands in for a removed key in anything written to disk. */
export const REDACTED = '[REDACTED]';

/** Secrets shorter than this are not matched literally: they would redact ordinary words. */
const MIN_SECRET_LENGTH = 12;

/** Whether a text still holds anything that looks like an Anthropic key or one of `secrets`. */
export function containsSecret(text: string, secrets: readonly string[] = []): boolean {
  ANTHROPIC_KEY.lastIndex = 0;
  if (ANTHROPIC_KEY.test(text)) return true;
  return secrets.some((secret) => secret.length >= MIN_SECRET_LENGTH && text.includes(secret));
}

/**
 * Replaces every Anthropic-style key, and every literal occurrence of a known secret (the
 * configured API key, which may come from a proxy and not look like one), with [REDACTED].
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(ANTHROPIC_KEY, REDACTED);
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
  }
  return out;
}
