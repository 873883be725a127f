import { z } from 'zod';

/**
 * Names, messages and instructions for snapshots. Pure, so the format a person may rely on
 * (ref names, the commands to paste) is tested on its own.
 *
 * A snapshot is two commits: the index commit I (tree = the index as it was, parent = HEAD)
 * and the snapshot commit W (tree = the work tree as it was, untracked files included;
 * parents = HEAD and I). Trailers in W's message say which is which, so restoring does not
 * depend on parent order and also works in a repository that had no commit yet.
 */

export const SNAPSHOT_REF_PREFIX = 'refs/codesleuth/snapshots/';

const MAX_LABEL = 48;

/** A label safe inside a ref name: letters, digits, `.`, `_`, `-`; never empty. */
export function sanitizeLabel(label: string): string {
  const cleaned = label
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .slice(0, MAX_LABEL)
    .replace(/^[-.]+|[-.]+$/g, '')
    .replace(/\.lock$/i, '');
  return cleaned.length === 0 ? 'work' : cleaned;
}

/** ISO-8601 with `-` for `:` (a colon is not allowed in a ref name): 2025-01-31T10-20-30.123Z. */
export function refTimestamp(at: Date): string {
  return at.toISOString().replace(/:/g, '-');
}

/** refs/codesleuth/snapshots/<time>-<label>, with `-2`, `-3`, ... when `attempt` > 1. */
export function snapshotRefName(at: Date, label: string, attempt = 1): string {
  const suffix = attempt > 1 ? `-${attempt}` : '';
  return `${SNAPSHOT_REF_PREFIX}${refTimestamp(at)}-${sanitizeLabel(label)}${suffix}`;
}

/** What the trailers of a snapshot commit record. */
export interface SnapshotMeta {
  readonly label: string;
  readonly createdAt: string;
  readonly base: string | null;
  /** The index commit, or null when the index had unresolved conflicts. */
  readonly indexCommit: string | null;
}

const objectId = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'a commit id');
const optionalId = z.union([z.literal('none'), objectId]).transform((value) => (value === 'none' ? null : value));

const trailersSchema = z.object({
  'Snapshot-Label': z.string().min(1),
  'Snapshot-Created': z.string().min(1),
  'Snapshot-Base': optionalId,
  'Snapshot-Index': optionalId,
});

/** The snapshot commit's message: a subject a person recognises in `git log`, then trailers. */
export function snapshotMessage(meta: SnapshotMeta): string {
  return [
    `CodeSleuth snapshot: ${meta.label}`,
    '',
    'Uncommitted work saved by CodeSleuth before it changed the repository.',
    '',
    `Snapshot-Label: ${meta.label}`,
    `Snapshot-Created: ${meta.createdAt}`,
    `Snapshot-Base: ${meta.base ?? 'none'}`,
    `Snapshot-Index: ${meta.indexCommit ?? 'none'}`,
  ].join('\n');
}

/** The index commit's message. */
export function snapshotIndexMessage(label: string): string {
  return `CodeSleuth snapshot index: ${label}`;
}

/** Reads the trailers back; undefined when the commit is not a CodeSleuth snapshot. */
export function parseSnapshotMessage(message: string): SnapshotMeta | undefined {
  const trailers: Record<string, string> = {};
  for (const line of message.split('\n')) {
    const match = /^(Snapshot-[A-Za-z]+): (.*)$/.exec(line.trimEnd());
    if (match) trailers[match[1]!] = match[2]!;
  }
  const parsed = trailersSchema.safeParse(trailers);
  if (!parsed.success) return undefined;
  return {
    label: parsed.data['Snapshot-Label'],
    createdAt: parsed.data['Snapshot-Created'],
    base: parsed.data['Snapshot-Base'],
    indexCommit: parsed.data['Snapshot-Index'],
  };
}

/** Quotes a word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** What the restore commands need to know. */
export interface RestorePlan {
  readonly root: string;
  readonly sha: string;
  readonly indexCommit: string | null;
  /** Files the snapshot holds (to check out) and files it records as deleted (to remove). */
  readonly present: readonly string[];
  readonly deleted: readonly string[];
}

/**
 * Commands a person can paste to get the work back by hand. They touch only the snapshot's
 * files; `--literal-pathspecs` keeps a name like `*.ts` from matching other files.
 */
export function restoreInstructions(plan: RestorePlan): string {
  const files = (list: readonly string[]) => list.map(shellQuote).join(' ');
  const all = [...plan.present, ...plan.deleted];
  const git = all.some((file) => /[*?[\]\\]|^:/.test(file)) ? 'git --literal-pathspecs' : 'git';
  const lines = [
    `Your uncommitted work is saved in commit ${plan.sha}.`,
    `To bring it back, commit or stash anything newer in these files, then run:`,
    `  cd ${shellQuote(plan.root)}`,
  ];
  if (plan.present.length > 0) lines.push(`  ${git} checkout ${plan.sha} -- ${files(plan.present)}`);
  if (plan.deleted.length > 0) lines.push(`  ${git} rm -q -f --ignore-unmatch -- ${files(plan.deleted)}`);
  if (plan.indexCommit !== null) {
    lines.push(`  ${git} reset -q ${plan.indexCommit} -- ${files(all)}`);
  } else {
    lines.push(`  ${git} reset -q -- ${files(all)}`, '(The staging area was not saved because it had unresolved conflicts; files come back unstaged.)');
  }
  return lines.join('\n');
}

/** The commands of restoreInstructions() as one line (`cd … && git checkout … && …`), for a reason that must stay one line. */
export function restoreCommandLine(instructions: string): string {
  return instructions
    .split('\n')
    .filter((line) => line.startsWith('  '))
    .map((line) => line.trim())
    .join(' && ');
}
