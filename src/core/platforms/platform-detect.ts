import { renderTable } from '../render/table.js';
import { matchPlatform, type Platform } from './platform.schema.js';

/**
 * How sure the detection is. `high`: the person named the platform. `medium`: the brief points
 * clearly at one platform. `low`: it leans to one, narrowly. `none`: nothing to go on, or a tie.
 */
export type DetectionConfidence = 'high' | 'medium' | 'low' | 'none';

/** One platform's evidence in the brief: the table's keywords (and its id and name) found there. */
export interface PlatformScore {
  readonly platformId: string;
  readonly score: number;
  readonly matched: readonly string[];
}

/** The detected platform (undefined when unsure), how sure, and why, in sentences for the transcript. */
export interface PlatformDetection {
  readonly platform: Platform | undefined;
  readonly confidence: DetectionConfidence;
  readonly reasons: readonly string[];
  readonly scores: readonly PlatformScore[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `term` occurs in `text` as whole words ("web" is not in "website"; ".net" is in "a .net app"). */
function mentions(text: string, term: string): boolean {
  const pattern = escapeRegExp(term.toLowerCase()).replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![a-z0-9])${pattern}(?![a-z0-9])`, 'i').test(text);
}

/**
 * Pure: each platform's evidence in `text`. A term scores its number of words, so "play store"
 * outweighs "compose"; each term counts once however often it appears. Sorted best first,
 * then in table order.
 */
export function scorePlatforms(text: string, platforms: readonly Platform[]): PlatformScore[] {
  const lower = text.toLowerCase();
  const scores = platforms.map((platform, order) => {
    const terms = [...new Set([platform.id, platform.name.toLowerCase(), ...platform.keywords.map((k) => k.toLowerCase())])];
    const matched = terms.filter((term) => mentions(lower, term));
    const score = matched.reduce((sum, term) => sum + term.split(/\s+/).length, 0);
    return { platformId: platform.id, score, matched, order };
  });
  return scores
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ platformId, score, matched }) => ({ platformId, score, matched }));
}

function quoted(terms: readonly string[]): string {
  return terms.map((t) => `"${t}"`).join(', ');
}

/**
 * Pure: the platform for a project, from the target the person stated (authoritative when it
 * names one platform) and the brief (evidence, or the fallback). The keyword table stays in
 * config/platforms.json.
 */
export function detectPlatform(brief: string, statedTarget: string | undefined, platforms: readonly Platform[]): PlatformDetection {
  const scores = scorePlatforms(brief, platforms);
  const byId = (id: string | undefined) => platforms.find((p) => p.id === id);
  const reasons: string[] = [];
  const target = statedTarget?.trim() ?? '';

  if (target !== '') {
    const stated = matchPlatform(target, platforms);
    if (stated) {
      reasons.push(`you named the target "${target}", which is ${stated.name}`);
      const own = scores.find((s) => s.platformId === stated.id);
      const best = scores[0];
      if (own) reasons.push(`the brief agrees: it mentions ${quoted(own.matched)}`);
      if (best && best.platformId !== stated.id && best.score > (own?.score ?? 0)) {
        reasons.push(`the brief leans to ${byId(best.platformId)?.name ?? best.platformId} (${quoted(best.matched)}); the stated target wins — say so if that is wrong`);
      }
      return { platform: stated, confidence: 'high', reasons, scores };
    }
    reasons.push(`"${target}" does not name one platform (${platforms.map((p) => p.name).join(', ')}); going by the brief`);
  }

  const [best, second] = scores;
  if (!best) {
    reasons.push('the brief mentions no platform keyword; ask the person which platform to build for');
    return { platform: undefined, confidence: 'none', reasons, scores };
  }
  if (second && second.score === best.score) {
    const tied = scores.filter((s) => s.score === best.score);
    reasons.push(`the brief points equally at ${tied.map((s) => `${byId(s.platformId)?.name ?? s.platformId} (${quoted(s.matched)})`).join(' and ')}; ask the person which one`);
    return { platform: undefined, confidence: 'none', reasons, scores };
  }
  const platform = byId(best.platformId)!;
  reasons.push(`the brief mentions ${quoted(best.matched)}, which ${best.matched.length === 1 ? 'points' : 'point'} to ${platform.name}`);
  const margin = best.score - (second?.score ?? 0);
  if (second) reasons.push(`it also mentions ${quoted(second.matched)} (${byId(second.platformId)?.name ?? second.platformId})`);
  return { platform, confidence: margin >= 2 ? 'medium' : 'low', reasons, scores };
}

/** The routing rows for one platform: what the later stages will use to build, sign and ship. */
export function platformRoutingRows(platform: Platform): [string, string][] {
  const notes = [platform.notes];
  if (platform.needsAppleHardware && !/xcode|apple hardware/i.test(platform.notes)) notes.push('Needs Apple hardware (a Mac with Xcode) for building and signing.');
  if (platform.activatesDesignContract && !/design contract/i.test(platform.notes)) notes.push('Activates the design contract.');
  return [
    ['Toolchain', platform.toolchain],
    ['Packaging & signing', `${platform.packaging}\n${platform.signing}`],
    ['Distribution', platform.distribution],
    ['Notes', notes.filter((n) => n.trim() !== '').join('\n') || '—'],
  ];
}

/** Pure: the routing table as the transcript shows it. */
export function platformRoutingTable(platform: Platform): string {
  return renderTable([{ header: 'Routing' }, { header: platform.name, maxWidth: 52 }], platformRoutingRows(platform), `Platform: ${platform.name}`);
}
