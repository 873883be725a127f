import { hasGlobMagic, matchGlob } from '../tools/glob-match.js';
import type { SecretFilePolicy } from './types.js';

/**
 * Files that commonly hold credentials. A pattern without '/' matches the file name in
 * any folder; a pattern with '/' matches that tail at any depth (so `.ssh/**` also
 * catches `/home/me/.ssh/id_rsa` named in a shell command).
 */
export const DEFAULT_SECRET_PATTERNS: readonly string[] = [
  '.env',
  '.env.*',
  '*.pem',
  '*.key',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '.npmrc',
  '.netrc',
  '_netrc',
  '.pypirc',
  '.git-credentials',
  '.htpasswd',
  '*.p12',
  '*.pfx',
  '*.keystore',
  '*.jks',
  '*.kdbx',
  'credentials.json',
  'client_secret*.json',
  '.aws/credentials',
  '.ssh/**',
  '.gnupg/**',
  '.docker/config.json',
  '.kube/config',
  '.config/gh/hosts.yml',
];

/** Look-alikes meant to be committed: templates of `.env`. */
export const DEFAULT_SECRET_EXCEPTIONS: readonly string[] = ['.env.example', '.env.sample', '.env.template'];

/**
 * Names a shell wildcard might expand to; used to tell whether `cat .env*` or
 * `cat keys/*.pem` could reach a secret (we cannot list the disk from here).
 */
const SECRET_SAMPLES = [
  '.env',
  '.env.local',
  '.env.production',
  'id_rsa',
  'id_ed25519',
  'server.pem',
  'server.key',
  '.npmrc',
  '.netrc',
  'credentials.json',
  'keystore.p12',
];

/**
 * Returns the pattern that makes `relativePath` a secret, or undefined.
 * `relativePath` is '/'-separated; a leading '/' or '~/' is ignored.
 */
export function matchSecret(relativePath: string, policy: SecretFilePolicy): string | undefined {
  const clean = relativePath.replace(/^~?\/+/, '').replace(/^(\.\/)+/, '');
  if (clean === '') return undefined;
  const segments = clean.split('/');
  const name = segments[segments.length - 1] ?? '';
  if (policy.exceptions.some((exception) => matchGlob(exception, name))) return undefined;
  for (const pattern of policy.patterns) {
    if (!pattern.includes('/')) {
      if (matchGlob(pattern, name)) return pattern;
      continue;
    }
    const anchored = pattern.replace(/^\/+/, '');
    if (matchGlob(anchored, clean) || matchGlob(`**/${anchored}`, clean)) return pattern;
  }
  return undefined;
}

/**
 * Like `matchSecret`, for a word from a shell command that may hold wildcards. A wildcard
 * word counts as secret when, with shell rules (a leading '.' must be spelled out), it
 * could expand to a typical secret file name in the same folder.
 */
export function matchSecretWord(word: string, policy: SecretFilePolicy): string | undefined {
  if (!hasGlobMagic(word)) return matchSecret(word, policy);
  const slash = word.lastIndexOf('/');
  const dir = slash === -1 ? '' : word.slice(0, slash + 1);
  const base = word.slice(slash + 1);
  for (const sample of SECRET_SAMPLES) {
    if (matchGlob(base, sample, { dot: false })) {
      const hit = matchSecret(`${hasGlobMagic(dir) ? '' : dir}${sample}`, policy);
      if (hit) return hit;
    }
  }
  return undefined;
}
