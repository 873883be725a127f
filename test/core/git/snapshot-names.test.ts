import { describe, expect, it } from 'vitest';
import {
  parseSnapshotMessage,
  restoreInstructions,
  sanitizeLabel,
  shellQuote,
  snapshotMessage,
  snapshotRefName,
} from '../../../src/core/git/snapshot-names.js';

const W = 'c'.repeat(40);
const I = 'd'.repeat(40);
const at = new Date(Date.UTC(2025, 0, 31, 10, 20, 30, 123));

describe('snapshot ref names', () => {
  it.each([
    ['before build', 'before-build'],
    ['TASK-003: fix it!', 'TASK-003-fix-it'],
    ['../../etc', 'etc'],
    ['a..b', 'a.b'],
    ['x.lock', 'x'],
    ['', 'work'],
    ['///', 'work'],
    ['é', 'work'],
    ['a'.repeat(80), 'a'.repeat(48)],
  ])('sanitizes %j to %j', (label, expected) => {
    expect(sanitizeLabel(label)).toBe(expected);
  });

  it('puts an ISO time without colons first, then the label, then a counter when needed', () => {
    expect(snapshotRefName(at, 'before build')).toBe('refs/codesleuth/snapshots/2025-01-31T10-20-30.123Z-before-build');
    expect(snapshotRefName(at, 'x', 2)).toBe('refs/codesleuth/snapshots/2025-01-31T10-20-30.123Z-x-2');
  });
});

describe('snapshot messages', () => {
  it('round-trips its trailers, with none for a missing base or index', () => {
    const meta = { label: 'before-build', createdAt: at.toISOString(), base: null, indexCommit: I };
    const message = snapshotMessage(meta);
    expect(message.split('\n')[0]).toBe('CodeSleuth snapshot: before-build');
    expect(parseSnapshotMessage(message)).toEqual(meta);
    expect(parseSnapshotMessage(snapshotMessage({ ...meta, base: W, indexCommit: null }))).toEqual({ ...meta, base: W, indexCommit: null });
  });

  it('does not take an ordinary commit message for a snapshot', () => {
    expect(parseSnapshotMessage('Fix bug\n\nSnapshot-Label: x\n')).toBeUndefined();
    expect(parseSnapshotMessage('x\n\nSnapshot-Label: a\nSnapshot-Created: t\nSnapshot-Base: nonsense\nSnapshot-Index: none\n')).toBeUndefined();
  });
});

describe('restoreInstructions', () => {
  it('gives the exact commands for the saved, deleted and staged files', () => {
    const text = restoreInstructions({ root: '/home/ada/my project', sha: W, indexCommit: I, present: ['a.ts', "it's.md"], deleted: ['old.txt'] });
    expect(text.split('\n')).toEqual([
      `Your uncommitted work is saved in commit ${W}.`,
      'To bring it back, commit or stash anything newer in these files, then run:',
      "  cd '/home/ada/my project'",
      `  git checkout ${W} -- a.ts 'it'\\''s.md'`,
      '  git rm -q -f --ignore-unmatch -- old.txt',
      `  git reset -q ${I} -- a.ts 'it'\\''s.md' old.txt`,
    ]);
  });

  it('makes pathspecs literal when a name looks like a pattern, and says when the index was not saved', () => {
    const text = restoreInstructions({ root: '/r', sha: W, indexCommit: null, present: ['*.ts'], deleted: [] });
    expect(text).toContain(`git --literal-pathspecs checkout ${W} -- '*.ts'`);
    expect(text).toContain("git --literal-pathspecs reset -q -- '*.ts'");
    expect(text).toContain('unstaged');
  });

  it('quotes for a POSIX shell', () => {
    expect(shellQuote('plain/path-1.ts')).toBe('plain/path-1.ts');
    expect(shellQuote('$(rm -rf ~)')).toBe("'$(rm -rf ~)'");
  });
});
