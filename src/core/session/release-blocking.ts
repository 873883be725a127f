import { errorMessage } from '../errors.js';
import { FALLBACK_BLOCKING, type ReleaseBlocking } from '../security/gate.js';
import type { SessionPorts } from './ports.js';

/**
 * The severities that block `!verify`, read at run time from the loaded rule, so a home's
 * rules/security-domains.md override takes effect. Without agents (some set-ups) or when the
 * rule cannot be read, CRITICAL alone blocks and `problem` says why.
 */
export async function releaseBlocking(ports: Pick<SessionPorts, 'agents'>): Promise<ReleaseBlocking> {
  const read = ports.agents?.releaseBlocking;
  if (!read) return { severities: FALLBACK_BLOCKING, problem: 'no agent rules are loaded in this set-up, so only CRITICAL findings block the release' };
  try {
    return await read.call(ports.agents);
  } catch (error) {
    return { severities: FALLBACK_BLOCKING, problem: `rules/security-domains.md could not be read (${errorMessage(error)}), so only CRITICAL findings block the release` };
  }
}
