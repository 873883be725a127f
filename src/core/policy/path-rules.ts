import { matchGlob } from '../tools/glob-match.js';
import { hasSegment, resolveInRoot } from './paths.js';
import { matchSecret } from './secrets.js';
import { allow, ask, deny } from './types.js';
import type { Assessment, PathRequest, SandboxPolicy } from './types.js';

/**
 * Reads and writes of one path. In order: malformed, outside the root (as written, then
 * as the symlink really points), `.git/` for writes, secret files, ask-before-writing.
 */
export function assessPath(request: PathRequest, policy: SandboxPolicy): Assessment {
  const verb = request.kind === 'read' ? 'read' : 'write';
  if (request.path.includes('\0')) return deny('The path contains a NUL byte.');
  if (request.path.trim() === '') return deny('The path is empty.');

  const asWritten = resolveInRoot(request.root, request.path);
  if (!asWritten.inside || asWritten.relative === undefined) {
    return deny(
      `${request.path} resolves to ${asWritten.absolute}, outside the project root ${request.root}; tools may only ${verb} inside the project.`,
    );
  }
  const relatives = [asWritten.relative];
  if (request.realPath !== undefined) {
    const real = resolveInRoot(request.root, request.realPath);
    if (!real.inside || real.relative === undefined) {
      return deny(
        `${request.path} is a symlink (or lies under one) whose real target ${request.realPath} is outside the project root; tools may only ${verb} inside the project.`,
      );
    }
    if (real.relative !== asWritten.relative) relatives.push(real.relative);
  }

  if (request.kind === 'write') {
    if (relatives.some((rel) => rel === '')) return deny('Cannot write to the project directory itself.');
    if (relatives.some((rel) => hasSegment(rel, '.git'))) {
      return deny(
        `${request.path} is inside .git/; the repository's own data is changed only through git, never written directly.`,
      );
    }
  }

  for (const rel of relatives) {
    const pattern = matchSecret(rel, policy.secretFiles);
    if (pattern === undefined) continue;
    const decision = request.kind === 'read' ? policy.secretFiles.read : policy.secretFiles.write;
    const why =
      request.kind === 'read'
        ? `${rel} looks like a secret file (matches ${pattern}); secret files are not readable by default so their contents never reach the model.`
        : `${rel} looks like a secret file (matches ${pattern}); writing it could overwrite credentials.`;
    return decision === 'deny' ? deny(why) : ask(why);
  }

  if (request.kind === 'write') {
    const protectedPattern = policy.askBeforeWriting.find((pattern) =>
      relatives.some((rel) => matchGlob(pattern, rel)),
    );
    if (protectedPattern !== undefined) {
      return ask(`${asWritten.relative} matches ${protectedPattern}; changes there run with repository rights, so a person checks them.`);
    }
  }

  return allow(`${asWritten.relative === '' ? '.' : asWritten.relative} is inside the project.`);
}
