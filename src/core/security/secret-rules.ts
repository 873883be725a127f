import type { FindingSeverity } from './finding.js';

/**
 * Patterns for credentials committed to a project. Pure: lines in, matches out; the
 * adapters in src/scanners feed them the working tree and the added lines of every commit.
 * No example credential appears in this file, so scanning CodeSleuth itself stays quiet.
 */

/** One kind of secret. `value` picks the secret out of the match (whole match when absent). */
export interface SecretRule {
  readonly id: string;
  readonly title: string;
  readonly severity: FindingSeverity;
  readonly pattern: RegExp;
  readonly valueGroup?: number;
  /** Limits the rule to some files (by '/'-separated relative path); all files when absent. */
  readonly appliesTo?: (file: string) => boolean;
  /** Drops obvious placeholders (`${DB_PASSWORD}`, `changeme-later`...). */
  readonly isPlaceholder?: (value: string) => boolean;
}

const CONFIG_EXTENSIONS = /\.(?:ini|cfg|conf|config|properties|ya?ml|toml|json|xml|env)$/i;
const CONFIG_NAMES = new Set(['.npmrc', '.pypirc', '.netrc', '_netrc', 'dockerfile', 'docker-compose.yml']);
const MANIFESTS = new Set(['package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'composer.lock', 'yarn.lock', 'pnpm-lock.yaml']);
const TEMPLATE_ENV = /^\.env\.(?:example|sample|template|dist)$/i;

/** Configuration files, where `password = ...` is a stored credential rather than code. */
export function isConfigFile(file: string): boolean {
  const name = (file.split('/').pop() ?? file).toLowerCase();
  if (MANIFESTS.has(name) || TEMPLATE_ENV.test(name)) return false;
  if (/^\.env(?:\..+)?$/.test(name)) return true;
  if (CONFIG_NAMES.has(name)) return true;
  if (/\.config\.[cm]?[jt]s$/.test(name)) return true;
  return CONFIG_EXTENSIONS.test(name);
}

const PLACEHOLDER_WORDS = /^(?:null|none|nil|true|false|undefined|empty|required|optional|example|placeholder|changeme|secret|password|passwd|your[-_a-z]*|xxx+|\*+|\.+|-+)$/i;

/** Values that only point at a secret kept elsewhere, or stand for one. */
export function looksLikePlaceholder(value: string): boolean {
  return /^(?:\$|%|<|\{|\(|!|process\.env|os\.environ|env\(|ENV\[)/i.test(value) || PLACEHOLDER_WORDS.test(value) || /^(.)\1+$/.test(value);
}

export const SECRET_RULES: readonly SecretRule[] = [
  {
    id: 'aws-access-key-id',
    title: 'AWS access key id',
    severity: 'CRITICAL',
    pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key in configuration',
    severity: 'CRITICAL',
    pattern: /aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    valueGroup: 1,
  },
  {
    id: 'github-token',
    title: 'GitHub token',
    severity: 'CRITICAL',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/g,
  },
  {
    id: 'slack-token',
    title: 'Slack token',
    severity: 'HIGH',
    pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  },
  {
    id: 'stripe-live-key',
    title: 'Stripe live secret key',
    severity: 'CRITICAL',
    pattern: /\b(?:sk|rk)_live_[0-9A-Za-z]{16,}/g,
  },
  {
    id: 'google-api-key',
    title: 'Google API key',
    severity: 'HIGH',
    pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
  },
  {
    id: 'private-key',
    title: 'Private key (PEM)',
    severity: 'CRITICAL',
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g,
  },
  {
    id: 'anthropic-api-key',
    title: 'Anthropic API key',
    severity: 'CRITICAL',
    pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/g,
  },
  {
    id: 'jwt',
    title: 'JSON Web Token',
    severity: 'MEDIUM',
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  },
  {
    id: 'config-password',
    title: 'Password or secret in a configuration file',
    severity: 'HIGH',
    pattern: /(?:^|[^A-Za-z0-9])(?:password|passwd|pwd|pass|secret)["']?\s*[:=]\s*["']?([^\s"'`,;#}]{4,})/gi,
    valueGroup: 1,
    appliesTo: isConfigFile,
    isPlaceholder: looksLikePlaceholder,
  },
];

/** A secret found on one line; `column` is 1-based. */
export interface SecretMatch {
  readonly rule: SecretRule;
  readonly column: number;
  readonly value: string;
}

/** At most this many matches per line: a data blob full of look-alikes would otherwise flood the report. */
const MAX_MATCHES_PER_LINE = 5;

/** Every secret on one line of `file`. */
export function findSecretsInLine(file: string, line: string, rules: readonly SecretRule[] = SECRET_RULES): SecretMatch[] {
  const matches: SecretMatch[] = [];
  for (const rule of rules) {
    if (rule.appliesTo !== undefined && !rule.appliesTo(file)) continue;
    rule.pattern.lastIndex = 0;
    for (const match of line.matchAll(rule.pattern)) {
      const value = rule.valueGroup === undefined ? match[0] : match[rule.valueGroup];
      if (value === undefined || rule.isPlaceholder?.(value)) continue;
      const offset = rule.valueGroup === undefined ? 0 : match[0].indexOf(value);
      matches.push({ rule, column: (match.index ?? 0) + offset + 1, value });
      if (matches.length >= MAX_MATCHES_PER_LINE) return matches;
    }
  }
  return matches;
}

/** What a report may show of a secret: its first four characters and its length. */
export function redactSecret(value: string): string {
  return `${value.slice(0, 4)}… (${value.length} characters, redacted)`;
}
