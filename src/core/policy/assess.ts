import path from 'node:path';
import { assessCommand } from './assess-command.js';
import { assessPath } from './path-rules.js';
import { deny } from './types.js';
import type { Assessment, PolicyRequest, SandboxPolicy } from './types.js';

/**
 * The one safety decision: may this read, write or command go ahead, must a person be
 * asked, or is it refused? Pure: no disk, no environment; the policy is passed in and
 * the caller resolves symlinks first (see `PathRequest.realPath`).
 *
 * Deny is for what cannot be undone or reaches outside the project; ask is for what is
 * fine once a person has looked. The tables in test/core/policy are the specification.
 */
export function assess(request: PolicyRequest, policy: SandboxPolicy): Assessment {
  if (!path.isAbsolute(request.root)) return deny(`The project root ${request.root} is not an absolute path.`);
  switch (request.kind) {
    case 'read':
    case 'write':
      return assessPath(request, policy);
    case 'run': {
      if (request.command.trim() === '') return deny('The command is empty.');
      const cwd = request.cwd === undefined ? request.root : path.resolve(request.root, request.cwd);
      return assessCommand(request.command, request.root, cwd, policy);
    }
  }
}
