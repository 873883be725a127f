import path from 'node:path';
import { hasGlobMagic } from '../tools/glob-match.js';
import { commandName, hasFlag, operands, resolveArg } from './command-words.js';
import type { RuleContext } from './command-words.js';
import { gitRule } from './git-rules.js';
import { assessPath } from './path-rules.js';
import { hasSegment, isInside } from './paths.js';
import { matchSecretWord } from './secrets.js';
import type { ShellWord } from './shell-parse.js';
import { allow, ask, deny, strictest } from './types.js';
import type { Assessment } from './types.js';

/**
 * Built-in rules, one per command name. A rule sees the arguments after the command
 * name and answers allow / ask / deny. `scanAllWords` asks the caller to also look for
 * secret file names in every argument (rules that know their operands do it themselves).
 */
export interface CommandRule {
  rule: (args: ShellWord[], ctx: RuleContext) => Assessment;
  scanAllWords: boolean;
}

/** Writes to these are harmless sinks, not files outside the project. */
const DEVICE_SINKS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty']);

/** Shell and scripting interpreters; the remote-code check watches what is piped into them. */
export const CODE_RUNNERS = new Set([
  'sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'python', 'python3', 'perl', 'ruby', 'node', 'php', 'eval', 'source', '.',
]);
/** Commands that download. */
export const FETCHERS = new Set(['curl', 'wget', 'fetch', 'aria2c', 'http', 'https']);

// ---------------------------------------------------------------- targets

/** A word used as a file to write (redirect target, `touch x`, `cp a x`). */
export function writeTarget(word: ShellWord, ctx: RuleContext, verb = 'writes'): Assessment {
  const target = resolveArg(word, ctx);
  switch (target.kind) {
    case 'home':
      return deny(`${verb} ${target.text} in the home directory, outside the project.`);
    case 'dynamic':
      return ask(`${verb} ${target.text}, a path only known at run time.`);
    case 'unknown-cwd':
      return ask(`${verb} ${target.text} in a directory that could not be worked out (after cd).`);
    case 'path':
      if (DEVICE_SINKS.has(target.absolute)) return allow(`${verb} to ${target.absolute}.`);
      if (!target.inside) return deny(`${verb} ${target.absolute}, outside the project.`);
      return assessPath({ kind: 'write', root: ctx.root, path: target.absolute }, ctx.policy);
  }
}

/** A word used as a file to read (`cat x`, `< x`). Outside the project asks; secrets follow the policy. */
export function readTarget(word: ShellWord, ctx: RuleContext, verb = 'reads', namesOnly = false): Assessment {
  const secret = namesOnly ? undefined : secretWord(word.text, ctx);
  if (secret) return secret;
  const target = resolveArg(word, ctx);
  switch (target.kind) {
    case 'home':
      return ask(`${verb} ${target.text} in the home directory, outside the project.`);
    case 'dynamic':
      return ask(`${verb} ${target.text}, a path only known at run time.`);
    case 'unknown-cwd':
      return ask(`${verb} ${target.text} in a directory that could not be worked out (after cd).`);
    case 'path':
      if (DEVICE_SINKS.has(target.absolute) || target.absolute === '/dev/stdin') return allow(`${verb} ${target.absolute}.`);
      if (!target.inside) return ask(`${verb} ${target.absolute}, outside the project.`);
      return allow(`${verb} ${target.relative === '' ? '.' : target.relative} inside the project.`);
  }
}

/** Looks for secret file names in arbitrary words (`--file=.env`, `@.env`, `~/.ssh/id_rsa`). */
export function scanSecrets(words: readonly ShellWord[], ctx: RuleContext): Assessment | undefined {
  for (const word of words) {
    const candidates = [word.text];
    const eq = word.text.indexOf('=');
    if (eq !== -1) candidates.push(word.text.slice(eq + 1));
    if (word.text.startsWith('@')) candidates.push(word.text.slice(1));
    for (const candidate of candidates) {
      const hit = secretWord(candidate, ctx);
      if (hit) return hit;
    }
  }
  return undefined;
}

function secretWord(text: string, ctx: RuleContext): Assessment | undefined {
  if (text === '' || text.startsWith('-')) return undefined;
  const pattern = matchSecretWord(text, ctx.policy.secretFiles);
  if (pattern === undefined) return undefined;
  const reason = `reads ${text}, which looks like a secret file (matches ${pattern}); secret files are not readable by default.`;
  return ctx.policy.secretFiles.read === 'deny' ? deny(reason) : ask(reason);
}

function where(ctx: RuleContext): Assessment | undefined {
  if (ctx.cwd === undefined) return ask('runs in a directory that could not be worked out (after cd).');
  if (!isInside(ctx.root, ctx.cwd)) return ask(`runs in ${ctx.cwd}, outside the project.`);
  return undefined;
}

// ---------------------------------------------------------------- rule builders

/**
 * Commands that read the files they are given. `namesOnly` is for those that look at
 * names and metadata but not contents (`ls .env` is fine; `cat .env` is not).
 */
function readRule(
  valueOptions: readonly string[] = [],
  options: { firstIsPattern?: boolean; namesOnly?: boolean } = {},
): CommandRule['rule'] {
  return (args, ctx) => {
    let files = operands(args, valueOptions);
    if (options.firstIsPattern && !hasFlag(args, 'ef', ['--regexp', '--file'])) files = files.slice(1);
    const found: Assessment[] = files.map((word) => readTarget(word, ctx, 'reads', options.namesOnly));
    const place = where(ctx);
    if (place) found.push(place);
    if (ctx.viaXargs) found.push(ask('reads files named by the previous command (xargs).'));
    return strictest(found, allow('only reads inside the project.'));
  };
}

function writeRule(pick: (ops: ShellWord[]) => ShellWord[], valueOptions: readonly string[] = []): CommandRule['rule'] {
  return (args, ctx) => {
    const ops = operands(args, valueOptions);
    const targets = pick(ops);
    const sources = ops.filter((op) => !targets.includes(op));
    const found = [...targets.map((w) => writeTarget(w, ctx)), ...sources.map((w) => readTarget(w, ctx))];
    if (ctx.viaXargs) found.push(ask('changes files named by the previous command (xargs).'));
    const place = where(ctx);
    if (place) found.push(place);
    return strictest(found, allow('changes files inside the project.'));
  };
}

const fixed = (assessment: Assessment): CommandRule['rule'] => () => assessment;

// ---------------------------------------------------------------- specific rules

function rmRule(args: ShellWord[], ctx: RuleContext): Assessment {
  const recursive = hasFlag(args, 'rR', ['--recursive']);
  const targets = operands(args);
  const found = targets.map((word): Assessment => {
    const target = resolveArg(word, ctx);
    if (target.kind === 'home') return deny(`deletes ${target.text} in the home directory.`);
    if (target.kind === 'dynamic') return ask(`deletes ${target.text}, a path only known at run time.`);
    if (target.kind === 'unknown-cwd') return ask(`deletes ${target.text} in a directory that could not be worked out.`);
    if (/^\/+\**$/.test(target.text) || target.absolute === '/') return deny('deletes the filesystem root.');
    if (!target.inside) return deny(`deletes ${target.absolute}, outside the project.`);
    const rel = target.relative ?? '';
    if (rel === '') return deny('deletes the whole project.');
    const base = path.posix.basename(target.text);
    if (hasGlobMagic(target.text) && /^[.*]*$/.test(base) && path.dirname(target.absolute) === ctx.root) {
      return deny(`deletes everything matching ${target.text} at the project root.`);
    }
    if (hasSegment(rel, '.git')) return deny(`deletes ${rel}, the repository's own data.`);
    return ask(`deletes ${rel}${recursive ? ' and everything under it' : ''}; deleted files that git does not track cannot be brought back.`);
  });
  if (ctx.viaXargs) found.push(ask('deletes files named by the previous command (xargs).'));
  return strictest(found, allow('deletes nothing.'));
}

function permissionRule(args: ShellWord[], ctx: RuleContext): Assessment {
  const ops = operands(args);
  const targets = args.some((w) => w.text.startsWith('--reference')) ? ops : ops.slice(1);
  const found = targets.map((word): Assessment => {
    const target = resolveArg(word, ctx);
    if (target.kind === 'home') return deny(`changes ${target.text} in the home directory.`);
    if (target.kind !== 'path') return ask(`changes ${target.text}, a path only known at run time.`);
    if (target.absolute === '/') return deny('changes the permissions or owner of the filesystem root.');
    if (!target.inside) return deny(`changes ${target.absolute}, outside the project.`);
    return allow(`changes ${target.relative} inside the project.`);
  });
  return strictest(found, allow('changes permissions inside the project.'));
}

function ddRule(args: ShellWord[], ctx: RuleContext): Assessment {
  const found: Assessment[] = [];
  for (const word of args) {
    if (word.text.startsWith('of=')) {
      const target = word.text.slice(3);
      if (target.startsWith('/dev/') && !DEVICE_SINKS.has(target)) {
        found.push(deny(`writes straight to the device ${target}.`));
      } else {
        found.push(writeTarget({ ...word, text: target }, ctx));
      }
    } else if (word.text.startsWith('if=')) {
      found.push(readTarget({ ...word, text: word.text.slice(3) }, ctx));
    }
  }
  const raw = ask('dd copies raw bytes.');
  return strictest([raw, ...found], raw);
}

function killRule(args: ShellWord[]): Assessment {
  if (args[args.length - 1]?.text === '-1') return deny('kill -1 signals every process you own.');
  return ask('stops processes.');
}

function findRule(args: ShellWord[], ctx: RuleContext): Assessment {
  const start: ShellWord[] = [];
  for (const word of args) {
    if (/^[-(!]/.test(word.text) && !word.quoted) break;
    start.push(word);
  }
  const risky = args.find((w) => /^-(delete|exec|execdir|ok|okdir|fprint0?|fprintf|fls)$/.test(w.text));
  if (!risky) return readRule()(start, ctx);
  if (risky.text === '-delete') {
    // `find <where> -delete` is rm -r on every start folder.
    // With a test such as -name it deletes only matches: then only where it runs can make it a deny.
    const filtered = args.some((w) => /^-(i?name|i?path|i?regex|type|newer|mtime|mmin|size|empty|user|perm)$/.test(w.text));
    const from = start.length > 0 ? start : [{ text: '.', dynamic: false, quoted: false }]; // GNU find defaults to .
    const asDelete = rmRule([{ text: '-r', dynamic: false, quoted: false }, ...from], ctx);
    if (asDelete.kind === 'deny' && (!filtered || !asDelete.reason.includes('whole project'))) return asDelete;
  }
  return ask(`find ${risky.text} changes files or runs other commands.`);
}

function sedRule(args: ShellWord[], ctx: RuleContext): Assessment {
  const inPlace = args.some((w) => /^-[a-zA-Z]*i/.test(w.text) || w.text.startsWith('--in-place'));
  const ops = operands(args, ['-e', '-f', '--expression', '--file']);
  const files = hasFlag(args, 'ef', ['--expression', '--file']) ? ops : ops.slice(1);
  if (!inPlace) return readRule()(files, ctx);
  return strictest(files.map((w) => writeTarget(w, ctx, 'edits')), allow('edits files inside the project.'));
}

function grepRule(valueOptions: readonly string[]): CommandRule['rule'] {
  const base = readRule(valueOptions, { firstIsPattern: true });
  return (args, ctx) => {
    const result = base(args, ctx);
    if (result.kind !== 'allow' || !hasFlag(args, 'rR', ['--recursive', '--dereference-recursive'])) return result;
    const files = operands(args, valueOptions).slice(hasFlag(args, 'ef', ['--regexp', '--file']) ? 0 : 1);
    const wholeProject =
      files.length === 0 ||
      files.some((w) => {
        const target = resolveArg(w, ctx);
        return target.kind === 'path' && target.relative === '';
      });
    return wholeProject
      ? ask('searches the whole project, secret files such as .env included; the grep tool skips them.')
      : result;
  };
}

function shellRule(args: ShellWord[], ctx: RuleContext): Assessment {
  let i = 0;
  let hasCommandString = false;
  for (; i < args.length; i++) {
    const text = (args[i] as ShellWord).text;
    if (text === '--' || !/^[-+]/.test(text)) break;
    if (/^-[a-zA-Z]*c/.test(text)) hasCommandString = true;
    if (text === '-o' || text === '+o' || text === '-O' || text === '+O') i++;
  }
  const first = args[i];
  if (hasCommandString) {
    if (!first) return allow('runs nothing.');
    if (first.dynamic) return ask('runs a command string that is only known at run time.');
    const inner = ctx.recurse(first.text);
    return { kind: inner.kind, reason: `inside the -c string: ${inner.reason}` };
  }
  return first ? ask(`runs the script ${first.text}.`) : ask('runs the commands it reads from its input.');
}

// ---------------------------------------------------------------- the table

const TABLE = new Map<string, CommandRule>();
const add = (names: readonly string[], rule: CommandRule['rule'], scanAllWords = false): void => {
  for (const name of names) TABLE.set(name, { rule, scanAllWords });
};

const SHELL_STATE = [
  'echo', 'printf', 'pwd', 'true', 'false', ':', 'test', '[', '[[', 'which', 'type', 'date', 'sleep', 'seq',
  'whoami', 'uname', 'hostname', 'id', 'printenv', 'env', 'basename', 'dirname', 'cd', 'pushd', 'popd',
  'export', 'unset', 'set', 'wait', 'exit', 'return', 'read', 'shift', 'local', 'declare', 'command',
];
const CONTENT_READERS = [
  'cat', 'wc', 'diff', 'cmp', 'uniq', 'tr', 'nl', 'tac', 'rev', 'paste', 'comm', 'column', 'fold', 'strings',
  'md5sum', 'sha1sum', 'sha256sum', 'od', 'xxd', 'hexdump', 'less', 'more',
];
const GREP_VALUE_OPTIONS = [
  '-e', '-f', '-m', '-A', '-B', '-C', '--regexp', '--file', '--max-count', '--context', '--after-context',
  '--before-context', '--include', '--exclude', '--exclude-dir', '--label',
];
const RG_VALUE_OPTIONS = [
  '-e', '-f', '-g', '-t', '-T', '-m', '-A', '-B', '-C', '-j', '-M', '--glob', '--type', '--type-not', '--regexp',
  '--file', '--max-count', '--threads', '--context',
];
const NETWORK = ['curl', 'wget', 'ssh', 'scp', 'sftp', 'rsync', 'nc', 'ncat', 'netcat', 'telnet', 'ftp'];

add(SHELL_STATE, fixed(allow('only prints or sets shell state.')));
add(['ls', 'stat', 'file', 'realpath', 'readlink'], readRule([], { namesOnly: true }));
add(CONTENT_READERS, readRule());
add(['head', 'tail'], readRule(['-n', '-c', '--lines', '--bytes']));
add(['cut'], readRule(['-d', '-f', '-c', '-b']));
add(['sort'], readRule(['-k', '-t', '-S', '-T', '--key', '--field-separator']));
add(['du', 'tree'], readRule(['-d', '-L', '-I', '-P', '--max-depth'], { namesOnly: true }));
add(['jq'], readRule(['--arg', '--argjson', '--indent'], { firstIsPattern: true }));
add(['grep', 'egrep', 'fgrep'], grepRule(GREP_VALUE_OPTIONS));
add(['rg'], readRule(RG_VALUE_OPTIONS, { firstIsPattern: true }));
add(['find'], findRule);
add(['sed'], sedRule);
add(['touch', 'mkdir', 'tee', 'mv'], writeRule((ops) => ops, ['-m', '--mode', '-t', '--target-directory']));
add(['cp', 'ln'], writeRule((ops) => ops.slice(-1), ['-t', '--target-directory']));
add(['truncate'], writeRule((ops) => ops, ['-s', '--size']));
add(['rm', 'rmdir', 'unlink', 'shred'], rmRule);
add(['chmod', 'chown', 'chgrp'], permissionRule);
add(['dd'], ddRule);
add(['kill'], killRule);
add(['killall', 'pkill'], fixed(ask('stops processes by name.')));
add(['git'], gitRule, true);
add(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish'], shellRule, true);
add(['eval', 'source', '.'], fixed(ask('runs code that is only known at run time.')), true);
add(NETWORK, fixed(ask('uses the network.')), true);
add(['sudo', 'su', 'doas', 'pkexec', 'runas'], fixed(deny('runs with elevated privileges; the sandbox never escalates.')));
add(['fdisk', 'sfdisk', 'cfdisk', 'parted', 'wipefs', 'mkswap'], fixed(deny('formats or repartitions disks.')));
add(['shutdown', 'reboot', 'halt', 'poweroff'], fixed(deny('stops the machine.')));
add(['crontab', 'systemctl', 'launchctl'], fixed(ask('changes services or scheduled jobs on this machine.')), true);

/** The built-in rule for a command name, if there is one (`mkfs.ext4` counts as `mkfs`). */
export function lookupRule(word: ShellWord): CommandRule | undefined {
  const name = commandName(word);
  if (name.startsWith('mkfs')) return { rule: fixed(deny('formats a disk.')), scanAllWords: false };
  return TABLE.get(name);
}
