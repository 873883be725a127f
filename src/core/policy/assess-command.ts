import { CODE_RUNNERS, FETCHERS, lookupRule, readTarget, scanSecrets, writeTarget } from './command-rules.js';
import { commandName, matchesPrefix, operands, resolveArg, showWords, unwrapCommand } from './command-words.js';
import type { RuleContext } from './command-words.js';
import { parseShell } from './shell-parse.js';
import type { Redirect, ShellSegment, ShellWord } from './shell-parse.js';
import { allow, ask, deny, strictest } from './types.js';
import type { Assessment, SandboxPolicy } from './types.js';

/** `bash -c "bash -c '...'"` deeper than this is refused rather than followed. */
const MAX_DEPTH = 3;

/** `:(){ :|:& };:` and named variants: a function that pipes into itself. */
const FORK_BOMB = /([A-Za-z_:][\w:]*)\s*\(\)\s*\{[^}]*?\1\s*\|\s*\1/;

const FETCH_WORD = /(^|[\s;&|(`$])(curl|wget|aria2c)\b/;

/**
 * Judges a whole command line: every simple command in it (chained with `&&`, `||`,
 * `;`, `|`, `&`, newlines, or nested in `$(...)`, backticks, `<(...)`, `bash -c`) is
 * assessed on its own, and the strictest answer wins. The reason names the part.
 */
export function assessCommand(
  command: string,
  root: string,
  cwd: string | undefined,
  policy: SandboxPolicy,
  depth = 0,
): Assessment {
  if (depth > MAX_DEPTH) return deny('The command nests shells or substitutions too deeply to check; write it out plainly.');
  if (command.includes('\0')) return deny('The command contains a NUL byte.');
  if (FORK_BOMB.test(command)) return deny('This is a fork bomb: a function that starts copies of itself until the machine stops.');
  const parsed = parseShell(command);
  if (parsed.error !== undefined) {
    return deny(`The command could not be split safely (${parsed.error}); fix the quoting or write it more simply.`);
  }

  const found: Assessment[] = [];
  let currentCwd = cwd;
  parsed.segments.forEach((segment, index) => {
    const unwrapped = unwrapCommand(segment.words);
    const segmentCwd = unwrapped.cwdUnknown ? undefined : currentCwd;
    const ctx: RuleContext = {
      root,
      cwd: segmentCwd,
      policy,
      recurse: (inner) => assessCommand(inner, root, segmentCwd, policy, depth + 1),
      viaXargs: unwrapped.viaXargs,
    };
    const label = showWords(segment.words) || segment.redirects.map((r) => `${r.op} ${r.target.text}`).join(' ');
    const partial: Assessment[] = [];
    for (const inner of segment.substitutions) {
      const nested = assessCommand(inner, root, segmentCwd, policy, depth + 1);
      partial.push({ kind: nested.kind, reason: `in the substitution $(${clip(inner)}): ${nested.reason}` });
    }
    partial.push(...segment.redirects.map((redirect) => assessRedirect(redirect, ctx)));
    const remote = remoteCode(parsed.segments, index, unwrapped.argv);
    if (remote) partial.push(remote);
    partial.push(assessArgv(unwrapped.argv, ctx));
    for (const item of partial) {
      found.push(item.kind === 'allow' ? item : { kind: item.kind, reason: `\`${label}\`: ${item.reason}` });
    }
    currentCwd = nextCwd(unwrapped.argv, segmentCwd, root);
  });
  const verdict = strictest(found, allow('There is nothing to run.'));
  if (verdict.kind === 'allow') {
    return allow(
      parsed.segments.length > 1
        ? `All ${parsed.segments.length} parts of the command are known to be safe.`
        : `\`${clip(command)}\`: ${verdict.reason}`,
    );
  }
  return verdict;
}

/** One simple command after wrappers are peeled off. */
function assessArgv(argv: ShellWord[], ctx: RuleContext): Assessment {
  const first = argv[0];
  if (!first) return allow('has no command, only shell syntax.');
  if (first.dynamic) return ask(`runs a command whose name is only known at run time (${first.text}).`);
  const args = argv.slice(1);
  const commands = ctx.policy.commands;

  const userDeny = commands.deny.find((prefix) => matchesPrefix(argv, prefix));
  if (userDeny !== undefined) return deny(`matches the project's deny rule "${userDeny}".`);
  const entry = lookupRule(first);
  const builtin = entry?.rule(args, ctx);
  if (builtin?.kind === 'deny') return builtin;
  const secret = entry === undefined || entry.scanAllWords ? scanSecrets(args, ctx) : undefined;
  if (secret?.kind === 'deny') return secret;

  let decision: Assessment;
  const userAllow = commands.allow.find((prefix) => matchesPrefix(argv, prefix));
  const userAsk = commands.ask.find((prefix) => matchesPrefix(argv, prefix));
  if (userAllow !== undefined) decision = allow(`is allowed by the project's rule "${userAllow}".`);
  else if (userAsk !== undefined) decision = ask(`matches the project's ask rule "${userAsk}".`);
  else if (builtin) decision = builtin;
  else if (commands.unknown === 'allow') decision = allow('is not a known risky command, and the policy allows unknown commands.');
  else decision = ask(`${commandName(first)} is not on the list of commands known to be safe.`);
  return secret ? strictest([decision, secret], decision) : decision;
}

function assessRedirect(redirect: Redirect, ctx: RuleContext): Assessment {
  const { op, target } = redirect;
  if (op === '<<' || op === '<<-' || op === '<<<') return allow('reads inline text.');
  if ((op === '>&' || op === '<&') && /^(\d+|-)$/.test(target.text)) return allow('duplicates a file descriptor.');
  if (op === '<' || op === '<&') return readTarget(target, ctx, 'reads from');
  return writeTarget(target, ctx, 'writes to');
}

/** `curl ... | sh`, `bash <(curl ...)`, `sh -c "$(wget ...)"`: code from the network, unseen. */
function remoteCode(segments: ShellSegment[], index: number, argv: ShellWord[]): Assessment | undefined {
  const first = argv[0];
  if (!first || !CODE_RUNNERS.has(commandName(first))) return undefined;
  const runner = commandName(first);
  for (let k = index - 1; k >= 0 && segments[k]?.pipesInto; k--) {
    const source = unwrapCommand((segments[k] as ShellSegment).words).argv[0];
    if (source && FETCHERS.has(commandName(source))) {
      return deny(`pipes what ${commandName(source)} downloads into ${runner}: that runs code from the network that nobody has read.`);
    }
  }
  const segment = segments[index] as ShellSegment;
  if (segment.substitutions.some((inner) => FETCH_WORD.test(inner))) {
    return deny(`feeds downloaded content to ${runner}: that runs code from the network that nobody has read.`);
  }
  return undefined;
}

/** Follows `cd` so that `cd .. && rm -rf x` is judged where it runs; unknown becomes undefined. */
function nextCwd(argv: ShellWord[], cwd: string | undefined, root: string): string | undefined {
  const first = argv[0];
  if (!first) return cwd;
  const name = commandName(first);
  if (name === 'popd') return undefined;
  if (name !== 'cd' && name !== 'pushd') return cwd;
  const target = operands(argv.slice(1))[0];
  if (!target || target.text === '-') return undefined;
  const resolved = resolveArg(target, { root, cwd });
  return resolved.kind === 'path' ? resolved.absolute : undefined;
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}
