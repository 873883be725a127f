/** Pure safety decisions for tools and the sandbox. */
export { assess } from './assess.js';
export { assessCommand } from './assess-command.js';
export { assessPath } from './path-rules.js';
export { DEFAULT_ALLOWED_COMMANDS, DEFAULT_POLICY, parsePolicyConfig, policyOverridesSchema, resolvePolicy } from './config.js';
export type { PolicyOverrides } from './config.js';
export { displayPath, hasSegment, isInside, resolveInRoot, toPosix } from './paths.js';
export type { ResolvedPath } from './paths.js';
export { DEFAULT_SECRET_EXCEPTIONS, DEFAULT_SECRET_PATTERNS, matchSecret, matchSecretWord } from './secrets.js';
export { parseShell } from './shell-parse.js';
export type { ParsedShell, Redirect, ShellSegment, ShellWord } from './shell-parse.js';
export { strictest } from './types.js';
export type {
  Assessment,
  CommandPolicy,
  Decision,
  PathRequest,
  PolicyRequest,
  RunRequest,
  SandboxPolicy,
  SecretFilePolicy,
} from './types.js';
