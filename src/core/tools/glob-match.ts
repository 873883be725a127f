/**
 * A small, tested glob matcher for '/'-separated relative paths (Node 20 has no stable
 * fs.glob). Supports `**` (any number of whole segments), `*`, `?`, `[abc]` / `[!abc]`,
 * `{a,b}` alternation and `\` escapes. Case-sensitive.
 */

export interface GlobOptions {
  /**
   * When true (the default), wildcards also match names starting with '.', as the tools
   * want (`**\/*.env` should find `.env`). When false, shell rules apply: a leading '.'
   * must be written out.
   */
  dot?: boolean;
}

const MAX_BRACE_EXPANSIONS = 256;
const cache = new Map<string, RegExp>();

/** True when the string holds a glob metacharacter. */
export function hasGlobMagic(text: string): boolean {
  return /[*?[{]/.test(text);
}

/** Tests one relative path ('a/b/c.ts', no leading './') against one pattern. */
export function matchGlob(pattern: string, path: string, options: GlobOptions = {}): boolean {
  return globToRegExp(pattern, options).test(path);
}

/** Compiles a pattern to an anchored RegExp (cached). */
export function globToRegExp(pattern: string, options: GlobOptions = {}): RegExp {
  const dot = options.dot ?? true;
  const key = `${dot ? 1 : 0}:${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const normalized = pattern.replace(/^(\.\/)+/, '');
  const alternatives = expandBraces(normalized).map((p) => compilePattern(p, dot));
  const regex = new RegExp(`^(?:${alternatives.join('|')})$`);
  if (cache.size > 500) cache.clear();
  cache.set(key, regex);
  return regex;
}

/** `a{b,c{d,e}}` -> ['ab', 'acd', 'ace']; a brace without a top-level comma stays literal. */
export function expandBraces(pattern: string): string[] {
  const results: string[] = [];
  const queue = [pattern];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    const group = findBraceGroup(current);
    if (!group) {
      results.push(current);
    } else {
      const head = current.slice(0, group.open);
      const tail = current.slice(group.close + 1);
      for (const option of group.options) queue.push(head + option + tail);
    }
    if (results.length + queue.length > MAX_BRACE_EXPANSIONS) {
      // A pathological pattern: keep what we have rather than exploding.
      return [...results, ...queue];
    }
  }
  return results;
}

function findBraceGroup(pattern: string): { open: number; close: number; options: string[] } | undefined {
  for (let open = 0; open < pattern.length; open++) {
    const ch = pattern[open];
    if (ch === '\\') {
      open++;
      continue;
    }
    if (ch !== '{') continue;
    let depth = 0;
    const options: string[] = [];
    let start = open + 1;
    for (let i = open; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '\\') {
        i++;
      } else if (c === '{') {
        depth++;
      } else if (c === '}') {
        depth--;
        if (depth === 0) {
          options.push(pattern.slice(start, i));
          if (options.length > 1) return { open, close: i, options };
          break;
        }
      } else if (c === ',' && depth === 1) {
        options.push(pattern.slice(start, i));
        start = i + 1;
      }
    }
  }
  return undefined;
}

function compilePattern(pattern: string, dot: boolean): string {
  const segments = pattern.split('/');
  const anySegment = dot ? '[^/]*' : '(?!\\.)[^/]*';
  let source = '';
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '**') {
      source += last ? `(?:${anySegment}(?:/${anySegment})*)?` : `(?:${anySegment}/)*`;
      return;
    }
    source += compileSegment(segment, dot);
    if (!last) source += '/';
  });
  return source;
}

function compileSegment(segment: string, dot: boolean): string {
  let source = '';
  if (!dot && /^[*?[]/.test(segment)) source += '(?!\\.)';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i] as string;
    if (ch === '\\' && i + 1 < segment.length) {
      source += escapeRegExp(segment[i + 1] as string);
      i++;
    } else if (ch === '*') {
      while (segment[i + 1] === '*') i++;
      source += '[^/]*';
    } else if (ch === '?') {
      source += '[^/]';
    } else if (ch === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end === -1) {
        source += '\\[';
      } else {
        let body = segment.slice(i + 1, end);
        const negate = body.startsWith('!') || body.startsWith('^');
        if (negate) body = body.slice(1);
        body = body.replace(/\\/g, '\\\\').replace(/]/g, '\\]');
        source += negate ? `[^/${body}]` : `[${body}]`;
        i = end;
      }
    } else {
      source += escapeRegExp(ch);
    }
  }
  return source;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
