import { describe, expect, it } from 'vitest';
import { filesInGitMessage, parseRefLines, parseStatusV2, parseWorktreeList } from '../../../src/core/git/parse-git-output.js';

const Z = '0'.repeat(40);
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('parseStatusV2', () => {
  it('reads branch, head and every kind of entry, paths with spaces and renames included', () => {
    const text = [
      `# branch.oid ${A}`,
      '# branch.head main',
      `1 .M N... 100644 100644 100644 ${A} ${A} src/app.ts`,
      `1 MM N... 100644 100644 100644 ${A} ${B} notes with space.md`,
      `1 A. N... 000000 100644 100644 ${Z} ${B} new.ts`,
      `1 .D N... 100644 100644 000000 ${A} ${A} gone.txt`,
      `2 R. N... 100644 100644 100644 ${A} ${A} R100 renamed.ts`,
      'original.ts',
      `u UU N... 100644 100644 100644 100644 ${A} ${B} ${A} conflict.txt`,
      '? untracked dir/file.txt',
      '! ignored.log',
      '',
    ].join('\0');
    expect(parseStatusV2(text)).toEqual({
      branch: 'main',
      head: A,
      modified: ['gone.txt', 'notes with space.md', 'src/app.ts'],
      staged: ['new.ts', 'notes with space.md', 'original.ts', 'renamed.ts'],
      untracked: ['untracked dir/file.txt'],
      conflicted: ['conflict.txt'],
    });
  });

  it('reads an empty repository and a detached HEAD', () => {
    expect(parseStatusV2('# branch.oid (initial)\0# branch.head main\0')).toMatchObject({ branch: 'main', head: null });
    expect(parseStatusV2(`# branch.oid ${A}\0# branch.head (detached)\0`)).toMatchObject({ branch: null, head: A });
  });
});

describe('parseWorktreeList', () => {
  const records = [
    ['worktree /repo', `HEAD ${A}`, 'branch refs/heads/main'],
    ['worktree /wt/task 1', `HEAD ${B}`, 'branch refs/heads/codesleuth/task-001', 'locked'],
    ['worktree /wt/gone', `HEAD ${B}`, 'detached', 'prunable gitdir file points to non-existent location'],
  ];
  const expected = [
    { dir: '/repo', head: A, branch: 'main', main: true, locked: false, prunable: false },
    { dir: '/wt/task 1', head: B, branch: 'codesleuth/task-001', main: false, locked: true, prunable: false },
    { dir: '/wt/gone', head: B, branch: null, main: false, locked: false, prunable: true },
  ];

  it('reads the -z form', () => {
    expect(parseWorktreeList(records.map((r) => `${r.join('\0')}\0`).join('\0'), true)).toEqual(expected);
  });

  it('reads the newline form of older git', () => {
    expect(parseWorktreeList(records.map((r) => `${r.join('\n')}\n`).join('\n'), false)).toEqual(expected);
  });
});

describe('small readers', () => {
  it('splits for-each-ref lines and finds files in git messages', () => {
    expect(parseRefLines(`refs/heads/a\0${A}\nrefs/heads/b\0${B}\n`)).toEqual([
      ['refs/heads/a', A],
      ['refs/heads/b', B],
    ]);
    const message = 'error: Your local changes to the following files would be overwritten by merge:\n\tREADME.md\n\tsrc/a.ts\nPlease commit your changes\n';
    expect(filesInGitMessage(message)).toEqual(['README.md', 'src/a.ts']);
  });
});
