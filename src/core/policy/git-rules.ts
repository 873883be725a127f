import { hasFlag, operands, resolveArg } from './command-words.js';
import type { RuleContext } from './command-words.js';
import type { ShellWord } from './shell-parse.js';
import { allow, ask, deny, strictest } from './types.js';
import type { Assessment } from './types.js';

/**
 * git, judged by subcommand. Deny is for what throws work away with no way back for the
 * person (uncommitted changes, untracked files, someone else's pushed history) or that
 * destroys the data git would use to recover. Everything that changes the repository in
 * a recoverable way asks: the pipeline's own git step makes commits and branches, so an
 * agent doing it is worth a look. Read-only inspection is allowed.
 */

const READ_ONLY = new Set([
  'status', 'diff', 'log', 'show', 'blame', 'ls-files', 'ls-tree', 'rev-parse', 'describe', 'shortlog',
  'grep', 'cat-file', 'rev-list', 'show-ref', 'whatchanged', 'diff-tree', 'diff-files', 'diff-index',
  'merge-base', 'name-rev', 'for-each-ref', 'version', 'help', 'check-ignore', 'count-objects', 'var',
]);

/** Pathspecs that mean "everything here". */
const WHOLE_TREE = new Set(['.', './', '*', ':/', ':/*', ':(top)', ':/:', '/']);

const DISCARDS = 'throws away uncommitted changes for good';

/** Global options that take a value in the next word. */
const GLOBAL_VALUE_OPTIONS = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env']);

export function gitRule(args: ShellWord[], ctx: RuleContext): Assessment {
  const extra: Assessment[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const text = (args[i] as ShellWord).text;
    if (!text.startsWith('-')) break;
    if (text === '-C') {
      const dir = args[i + 1];
      const target = dir ? resolveArg(dir, ctx) : undefined;
      if (!target || target.kind !== 'path' || !target.inside) {
        extra.push(ask(`runs git in ${dir?.text ?? '(missing)'}, outside the project.`));
      }
    }
    if (text === '-c' || text.startsWith('--config-env')) {
      extra.push(ask('git -c can set options that run other programs (aliases, pagers, hooks).'));
    }
    if (/^--(git-dir|work-tree|exec-path)/.test(text)) {
      extra.push(ask(`${text} points git at another repository or program.`));
    }
    if (GLOBAL_VALUE_OPTIONS.has(text)) i++;
  }
  const sub = args[i]?.text;
  const rest = args.slice(i + 1);
  if (sub === undefined) return strictest(extra, allow('git without a subcommand prints help.'));
  return strictest([subcommand(sub, rest), ...extra], allow('git'));
}

function subcommand(sub: string, rest: ShellWord[]): Assessment {
  const texts = rest.map((w) => w.text);
  const pathspecs = afterDoubleDash(rest);
  const wholeTree = (words: ShellWord[]): boolean => words.some((w) => WHOLE_TREE.has(w.text));

  if (READ_ONLY.has(sub)) return allow(`git ${sub} only reads the repository.`);
  switch (sub) {
    case 'reset':
      if (texts.includes('--hard')) return deny(`git reset --hard ${DISCARDS}.`);
      return ask('git reset moves the branch or unstages files.');
    case 'checkout':
      if (hasFlag(rest, 'f', ['--force'])) return deny(`git checkout --force ${DISCARDS}.`);
      if (wholeTree(pathspecs ?? operands(rest))) return deny(`git checkout of the whole tree ${DISCARDS}.`);
      if (pathspecs) return ask('git checkout -- <files> discards uncommitted changes to those files.');
      return ask('git checkout switches branches or restores files.');
    case 'restore': {
      const staged = hasFlag(rest, 'S', ['--staged']);
      const worktree = hasFlag(rest, 'W', ['--worktree']);
      if (staged && !worktree) return ask('git restore --staged unstages files.');
      if (wholeTree(operands(rest, ['-s', '--source']))) return deny(`git restore of the whole tree ${DISCARDS}.`);
      return ask('git restore discards uncommitted changes to those files.');
    }
    case 'switch':
      if (hasFlag(rest, 'f', ['--force', '--discard-changes'])) return deny(`git switch --discard-changes ${DISCARDS}.`);
      return ask('git switch changes the checked-out branch.');
    case 'clean':
      if (hasFlag(rest, 'n', ['--dry-run'])) return allow('git clean --dry-run only lists files.');
      if (hasFlag(rest, 'f', ['--force'])) return deny('git clean -f deletes untracked files, which git cannot bring back.');
      return ask('git clean deletes untracked files.');
    case 'push':
      if (
        hasFlag(rest, 'fd', ['--force', '--force-with-lease', '--force-if-includes', '--mirror', '--delete', '--prune']) ||
        operands(rest).some((w) => /^[+:]/.test(w.text))
      ) {
        return deny('a forced or deleting git push rewrites or removes history others may have.');
      }
      return ask('git push publishes commits to a remote.');
    case 'branch':
      if (texts.includes('-D') || texts.includes('-M') || texts.includes('-C') ||
          (hasFlag(rest, 'd', ['--delete']) && hasFlag(rest, 'f', ['--force']))) {
        return deny('git branch -D / -M deletes or overwrites a branch even when its work is not merged.');
      }
      if (hasFlag(rest, 'l', ['--list'])) return allow('git branch --list only lists branches.');
      if (hasFlag(rest, 'dmc', ['--delete', '--move', '--copy', '--set-upstream-to', '--unset-upstream', '--edit-description'])) {
        return ask('git branch changes branches.');
      }
      return operands(rest, ['--sort', '--format', '--contains', '--merged', '--no-merged', '--points-at']).length === 0
        ? allow('git branch only lists branches.')
        : ask('git branch creates a branch.');
    case 'stash':
      if (texts[0] === 'list' || texts[0] === 'show') return allow('git stash list/show only reads.');
      if (texts[0] === 'clear') return deny('git stash clear drops every stash for good.');
      return ask('git stash changes the working tree or the stash list.');
    case 'config':
      if (hasFlag(rest, 'l', ['--get', '--get-all', '--get-regexp', '--list']) ||
          operands(rest, ['--file', '-f', '--type']).length === 1) {
        return allow('git config only reads settings.');
      }
      return ask('git config changes settings (some run programs).');
    case 'reflog':
      if (texts[0] === 'expire' || texts[0] === 'delete') return deny('rewriting the reflog destroys the record git uses to recover lost work.');
      return allow('git reflog only reads.');
    case 'update-ref':
      if (hasFlag(rest, 'd')) return deny('git update-ref -d deletes a ref without any safety check.');
      return ask('git update-ref moves a ref directly.');
    case 'filter-branch':
    case 'filter-repo':
      return deny(`git ${sub} rewrites the whole history.`);
    case 'prune':
      return deny('git prune deletes unreachable objects, the last copy of lost work.');
    case 'gc':
      if (texts.some((t) => t.startsWith('--prune'))) return deny('git gc --prune deletes unreachable objects, the last copy of lost work.');
      return ask('git gc repacks the repository.');
    default:
      return ask(`git ${sub} changes the repository or talks to a remote; the pipeline's git step normally does this.`);
  }
}

/** Words after a bare `--`, or undefined when there is none. */
function afterDoubleDash(rest: ShellWord[]): ShellWord[] | undefined {
  const at = rest.findIndex((w) => w.text === '--');
  return at === -1 ? undefined : rest.slice(at + 1);
}
