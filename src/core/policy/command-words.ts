import path from 'node:path';
import { isInside, toPosix } from './paths.js';
import type { ShellWord } from './shell-parse.js';
import type { Assessment, SandboxPolicy } from './types.js';

/** What every command rule knows about where it runs. */
export interface RuleContext {
  root: string;
  /** Working directory the segment will run in; undefined when a `cd` made it unknowable. */
  cwd: string | undefined;
  policy: SandboxPolicy;
  /** Assesses a nested command line (`bash -c '...'`), with the depth limit applied. */
  recurse: (command: string) => Assessment;
  /** Arguments arrive on standard input (the command was run through xargs). */
  viaXargs: boolean;
}

/** The command as the rules see it once prefixes are peeled off. */
export interface UnwrappedCommand {
  argv: ShellWord[];
  viaXargs: boolean;
  /** Set when a wrapper changed the directory in a way we cannot follow (`env -C`). */
  cwdUnknown: boolean;
}

const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'function']);
/** Keywords after which the rest of the segment is a word list, not a command. */
const LIST_KEYWORDS = new Set(['for', 'case', 'select', 'in', 'esac']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** `/usr/bin/rm` -> `rm`; a word with an expansion in it keeps its text. */
export function commandName(word: ShellWord): string {
  const text = word.text;
  return text.includes('/') && !word.dynamic ? path.posix.basename(text) : text;
}

/** Options with a value in the next word, per wrapper. */
const WRAPPER_VALUE_OPTIONS: Record<string, readonly string[]> = {
  env: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'],
  nice: ['-n', '--adjustment'],
  timeout: ['-s', '--signal', '-k', '--kill-after'],
  stdbuf: ['-i', '-o', '-e'],
  ionice: ['-c', '-n', '-p'],
  xargs: ['-n', '-L', '-P', '-I', '-d', '-s', '-a', '-E', '--max-args', '--max-procs', '--delimiter', '--arg-file'],
  time: [],
  nohup: [],
  setsid: [],
  exec: ['-a'],
  builtin: [],
  command: [],
  unbuffer: [],
};

/**
 * Drops assignments (`FOO=1 cmd`), shell keywords (`if`, `then`, `!`) and wrappers that
 * run their arguments as a command (`env`, `nice`, `timeout 5`, `xargs -0`, `exec`), so
 * that `timeout 5 rm -rf /` is judged as `rm -rf /`.
 */
export function unwrapCommand(words: readonly ShellWord[]): UnwrappedCommand {
  let argv = [...words];
  let viaXargs = false;
  let cwdUnknown = false;
  for (let guard = 0; guard < 16; guard++) {
    const first = argv[0];
    if (!first) break;
    if (!first.quoted && ASSIGNMENT.test(first.text)) {
      argv = argv.slice(1);
      continue;
    }
    if (!first.quoted && LIST_KEYWORDS.has(first.text)) return { argv: [], viaXargs, cwdUnknown };
    if (!first.quoted && KEYWORDS.has(first.text)) {
      argv = argv.slice(1);
      continue;
    }
    const name = commandName(first);
    const valueOptions = WRAPPER_VALUE_OPTIONS[name];
    if (first.dynamic || valueOptions === undefined) break;
    if (name === 'command' && argv.slice(1).some((w) => w.text === '-v' || w.text === '-V')) break;
    if (name === 'xargs') viaXargs = true;
    let i = 1;
    while (i < argv.length) {
      const word = argv[i] as ShellWord;
      if (word.text === '--') {
        i++;
        break;
      }
      if (name === 'env' && ASSIGNMENT.test(word.text)) {
        i++;
        continue;
      }
      if (!word.text.startsWith('-') || word.text === '-') break;
      if (name === 'env' && /^(-C|--chdir)/.test(word.text)) cwdUnknown = true;
      if (name === 'env' && /^(-S|--split-string)/.test(word.text)) {
        // `env -S "rm -rf /"` runs a string we would have to split again; let the person see it.
        return { argv: [{ text: 'env -S', dynamic: true, quoted: false }], viaXargs, cwdUnknown };
      }
      i += valueOptions.includes(word.text) ? 2 : 1;
    }
    if (name === 'timeout' && i < argv.length) i++; // the duration
    const rest = argv.slice(i);
    if (rest.length === 0) {
      // `env` alone prints the (scrubbed) environment; `xargs` alone runs echo.
      argv = name === 'xargs' ? [{ text: 'echo', dynamic: false, quoted: false }] : argv.slice(0, 1);
      break;
    }
    argv = rest;
  }
  return { argv, viaXargs, cwdUnknown };
}

/** Words that are not options. After `--`, everything is an operand. */
export function operands(args: readonly ShellWord[], valueOptions: readonly string[] = []): ShellWord[] {
  const result: ShellWord[] = [];
  let endOfOptions = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i] as ShellWord;
    if (!endOfOptions && word.text === '--') {
      endOfOptions = true;
    } else if (!endOfOptions && word.text.startsWith('-') && word.text !== '-' && !word.quoted) {
      if (valueOptions.includes(word.text)) i++;
    } else {
      result.push(word);
    }
  }
  return result;
}

/** True when a short flag letter appears in any `-abc` word, or a long flag is present. */
export function hasFlag(args: readonly ShellWord[], shortLetters: string, longFlags: readonly string[] = []): boolean {
  return args.some((word) => {
    const text = word.text;
    if (text.startsWith('--')) return longFlags.some((flag) => text === flag || text.startsWith(`${flag}=`));
    if (text.startsWith('-') && text.length > 1 && shortLetters.length > 0) {
      return [...text.slice(1)].some((letter) => shortLetters.includes(letter));
    }
    return false;
  });
}

/** Where a word points, as far as we can tell without running anything. */
export type ArgTarget =
  | { kind: 'dynamic'; text: string }
  | { kind: 'home'; text: string }
  | { kind: 'unknown-cwd'; text: string }
  | { kind: 'path'; text: string; absolute: string; inside: boolean; relative: string | undefined };

export function resolveArg(word: ShellWord, ctx: Pick<RuleContext, 'root' | 'cwd'>): ArgTarget {
  const text = word.text;
  if (/^(~|\$HOME\b|\$\{HOME\})/.test(text)) return { kind: 'home', text };
  if (word.dynamic) return { kind: 'dynamic', text };
  let base = ctx.cwd;
  if (!path.isAbsolute(text)) {
    if (base === undefined) return { kind: 'unknown-cwd', text };
  } else {
    base = '/';
  }
  const absolute = path.resolve(base, text);
  const inside = isInside(ctx.root, absolute);
  return {
    kind: 'path',
    text,
    absolute,
    inside,
    relative: inside ? toPosix(path.relative(ctx.root, absolute)) : undefined,
  };
}

/** Readable form of a segment for reasons: the words joined by spaces. */
export function showWords(words: readonly ShellWord[]): string {
  const text = words.map((w) => w.text).join(' ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Whether `argv` starts with the words of a policy prefix like "npm run build". */
export function matchesPrefix(argv: readonly ShellWord[], prefix: string): boolean {
  const parts = prefix.trim().split(/\s+/);
  if (parts.length === 0 || parts.length > argv.length) return false;
  return parts.every((part, i) => {
    const word = argv[i] as ShellWord;
    return (i === 0 ? commandName(word) : word.text) === part || word.text === part;
  });
}
