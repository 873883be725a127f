import type { FindingSeverity, SecurityDomainId } from './finding.js';

/**
 * Dangerous code patterns, one line at a time. Pure. These are leads with an exact
 * location, not proofs: a line-based check misses a query built over several lines and
 * cannot see where a variable came from; the Security agent traces the data.
 */

/** One pattern. `match` returns the 1-based column where it starts, or undefined. */
export interface CodeRule {
  readonly id: string;
  readonly title: string;
  readonly severity: FindingSeverity;
  readonly domain: SecurityDomainId;
  readonly fix: string;
  readonly appliesTo: (file: string) => boolean;
  readonly match: (line: string) => number | undefined;
}

const CODE_FILE = /\.(?:[cm]?[jt]sx?|vue|svelte)$/i;

/** JavaScript and TypeScript sources (and components that embed them). */
export function isCodeFile(file: string): boolean {
  return CODE_FILE.test(file);
}

const anyFile = (): boolean => true;

/** Input an HTTP handler receives from the caller. */
const REQUEST_INPUT = /\b(?:req|request|ctx\.request|ctx|event)\.(?:body|query|params|headers|cookies|rawBody)\b/;

function columnOf(line: string, pattern: RegExp): number | undefined {
  const found = pattern.exec(line);
  return found === null ? undefined : found.index + 1;
}

/** `pattern` on the line, with `also` somewhere after it. */
function followedBy(pattern: RegExp, also: RegExp): (line: string) => number | undefined {
  return (line) => {
    const found = pattern.exec(line);
    if (found === null) return undefined;
    return also.test(line.slice(found.index)) ? found.index + 1 : undefined;
  };
}

/** `pattern` on a line that also mentions `context` anywhere. */
function onLineWith(pattern: RegExp, context: RegExp): (line: string) => number | undefined {
  return (line) => (context.test(line) ? columnOf(line, pattern) : undefined);
}

/** A dynamic string argument: a template with `${`, or a concatenation. */
const DYNAMIC_ARGUMENT = String.raw`\s*(?:\x60[^\x60]*\$\{|(["'])[^"'\n]*\1\s*\+|[\w$.\[\]]+\s*\+)`;

/**
 * SQL statements: upper-case keywords as written in most code, or a lower-case statement
 * whose shape is clearly SQL (so "select one option from ..." in a UI string is not one).
 */
const SQL_STATEMENTS: readonly [string, string][] = [
  [String.raw`\b(?:SELECT\b.*\bFROM|INSERT\s+INTO|UPDATE\s+[\w."\x60]+\s+SET|DELETE\s+FROM)\b`, ''],
  [String.raw`\b(?:select\s+(?:distinct\s+)?[\w.*()"\x60]+(?:\s*,\s*[\w.*()"\x60]+)*\s+from|insert\s+into|update\s+[\w."\x60]+\s+set|delete\s+from)\s`, 'i'],
];

/** A statement inside a template with `${...}`, or inside a string followed by `+`. */
const SQL_BUILT = SQL_STATEMENTS.flatMap(([statement, flags]) => [
  new RegExp(String.raw`\x60[^\x60]*` + statement + String.raw`[^\x60]*\$\{`, flags),
  new RegExp(String.raw`(["'])[^"'\n]*` + statement + String.raw`[^"'\n]*\1\s*\+\s*[\w$(]`, flags),
]);

function sqlBuiltFromStrings(line: string): number | undefined {
  for (const pattern of SQL_BUILT) {
    const column = columnOf(line, pattern);
    if (column !== undefined) return column;
  }
  return undefined;
}

const EXEC_BUILT = new RegExp(String.raw`(?:\b(?:child_process|childProcess|cp|shell)\.|(?<![.\w$]))(?:exec|execSync)\s*\(` + DYNAMIC_ARGUMENT);

export const CODE_RULES: readonly CodeRule[] = [
  {
    id: 'eval-request-input',
    title: 'eval or new Function on request input',
    severity: 'CRITICAL',
    domain: 'S4',
    fix: 'Never evaluate caller input as code; parse it (JSON.parse plus a schema) or map it to a fixed set of operations.',
    appliesTo: isCodeFile,
    match: followedBy(/\b(?:eval|new\s+Function|Function|vm\.runIn\w*Context|vm\.Script)\s*\(/, REQUEST_INPUT),
  },
  {
    id: 'exec-dynamic-command',
    title: 'Shell command built from a template or concatenation',
    severity: 'HIGH',
    domain: 'S4',
    fix: 'Run the program with an argument array (execFile/spawn without a shell) and validate each argument.',
    appliesTo: isCodeFile,
    match: (line) => columnOf(line, EXEC_BUILT),
  },
  {
    id: 'sql-concatenation',
    title: 'SQL built by concatenation or template interpolation',
    severity: 'HIGH',
    domain: 'S4',
    fix: 'Use a parameterised query (placeholders with a values array) or the query builder\'s bindings.',
    appliesTo: isCodeFile,
    match: sqlBuiltFromStrings,
  },
  {
    id: 'tls-verification-disabled',
    title: 'TLS certificate verification disabled (rejectUnauthorized)',
    severity: 'HIGH',
    domain: 'S6',
    fix: 'Remove the option; to trust a private CA, pass it with `ca` instead of turning verification off.',
    appliesTo: anyFile,
    match: (line) => columnOf(line, /\brejectUnauthorized["']?\s*:\s*false\b/),
  },
  {
    id: 'tls-verification-disabled-env',
    title: 'TLS certificate verification disabled (NODE_TLS_REJECT_UNAUTHORIZED)',
    severity: 'HIGH',
    domain: 'S6',
    fix: 'Remove the setting; use NODE_EXTRA_CA_CERTS to trust a private CA.',
    appliesTo: anyFile,
    match: (line) => columnOf(line, /\bNODE_TLS_REJECT_UNAUTHORIZED["']?\s*[:=]\s*["']?0\b/),
  },
  {
    id: 'weak-password-hash',
    title: 'MD5 or SHA-1 used on a password',
    severity: 'HIGH',
    domain: 'S6',
    fix: 'Hash passwords with argon2, bcrypt or scrypt (crypto.scrypt with a random salt).',
    appliesTo: isCodeFile,
    match: onLineWith(/\bcreateHash\(\s*["'](?:md5|sha1|sha-1)["']|\b(?:md5|sha1)\s*\(/i, /passw(?:or)?d|passphrase|\bpwd\b/i),
  },
  {
    id: 'insecure-random-token',
    title: 'Math.random used for a token or secret',
    severity: 'MEDIUM',
    domain: 'S6',
    fix: 'Use crypto.randomBytes, crypto.randomUUID or crypto.getRandomValues for anything an attacker must not guess.',
    appliesTo: isCodeFile,
    match: onLineWith(/\bMath\.random\s*\(/, /token|secret|session|nonce|salt|passw|\botp\b|api_?key|csrf|reset|invite|verif/i),
  },
];

/** Lines longer than this are minified bundles; the line-based rules say nothing useful there. */
export const MAX_CODE_LINE_LENGTH = 2_000;

const COMMENT_LINE = /^\s*(?:\/\/|\/\*|\*)/;

/** The rules that fire on one line of `file`, each with its column. */
export function findCodePatternsInLine(file: string, line: string, rules: readonly CodeRule[] = CODE_RULES): { rule: CodeRule; column: number }[] {
  if (line.length > MAX_CODE_LINE_LENGTH || COMMENT_LINE.test(line)) return [];
  const found: { rule: CodeRule; column: number }[] = [];
  for (const rule of rules) {
    if (!rule.appliesTo(file)) continue;
    const column = rule.match(line);
    if (column !== undefined) found.push({ rule, column });
  }
  return found;
}
