import type { Handoff } from '../handoff/handoff.schema.js';

/**
 * Each release verdict is recorded in HANDOFF.json's history, so what the project's status
 * shows can tell the milestone (shipped, which never moves back) from the latest release check
 * (a HOLD in Maintenance after new work).
 */

export type ReleaseCheckVerdict = 'SHIP' | 'HOLD';

/** The history label of a release verdict. */
export function releaseVerdictLabel(verdict: ReleaseCheckVerdict): string {
  return `release verdict ${verdict}`;
}

/** Pure: the verdict of the latest release check in the history, if there was one. */
export function latestReleaseCheck(handoff: Pick<Handoff, 'history'>): ReleaseCheckVerdict | undefined {
  const verdicts: readonly ReleaseCheckVerdict[] = ['SHIP', 'HOLD'];
  for (let i = handoff.history.length - 1; i >= 0; i -= 1) {
    const verdict = verdicts.find((v) => handoff.history[i]!.event === releaseVerdictLabel(v));
    if (verdict) return verdict;
  }
  return undefined;
}

/** Pure: how the milestone reads beside the stage — `shipped`, or `shipped; latest release check HOLD`. */
export function shippedText(handoff: Pick<Handoff, 'history' | 'milestone'>): string | undefined {
  if (handoff.milestone !== 'shipped') return undefined;
  return latestReleaseCheck(handoff) === 'HOLD' ? 'shipped; latest release check HOLD' : 'shipped';
}
