import { describe, expect, it } from 'vitest';
import { parseGitLogPatch, unquoteGitPath } from '../../src/scanners/git-log-parse.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('parseGitLogPatch', () => {
  it('reads added lines with their new-side line numbers, per commit and file', () => {
    const log = [
      `commit ${A}`,
      '',
      'diff --git a/src/x.js b/src/x.js',
      'index 1111111..2222222 100644',
      '--- a/src/x.js',
      '+++ b/src/x.js',
      '@@ -3,0 +4,2 @@ function f() {',
      '+first added',
      '+second added',
      '@@ -10 +12 @@',
      '-old line',
      '+replacement',
      `commit ${B}`,
      '',
      'diff --git a/gone.env b/gone.env',
      'deleted file mode 100644',
      '--- a/gone.env',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
      '-KEY=1',
      '-KEY=2',
      'diff --git a/new.txt b/new.txt',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/new.txt',
      '@@ -0,0 +1 @@',
      '+only line',
      '\\ No newline at end of file',
    ].join('\n');
    expect(parseGitLogPatch(log)).toEqual([
      { commit: A, path: 'src/x.js', line: 4, text: 'first added' },
      { commit: A, path: 'src/x.js', line: 5, text: 'second added' },
      { commit: A, path: 'src/x.js', line: 12, text: 'replacement' },
      { commit: B, path: 'new.txt', line: 1, text: 'only line' },
    ]);
  });

  it('reads content that looks like headers as content while inside a hunk', () => {
    const log = [`commit ${A}`, '--- a/f', '+++ b/f', '@@ -0,0 +1,3 @@', '+++ b/not-a-header', `+commit ${B}`, '+@@ -1 +1 @@'].join('\n');
    expect(parseGitLogPatch(log).map((l) => [l.path, l.line, l.text])).toEqual([
      ['f', 1, '++ b/not-a-header'],
      ['f', 2, `commit ${B}`],
      ['f', 3, '@@ -1 +1 @@'],
    ]);
  });

  it('handles quoted paths', () => {
    expect(unquoteGitPath('"b/caf\\303\\251 \\"x\\".txt"')).toBe('b/café "x".txt');
    expect(unquoteGitPath('b/plain.txt')).toBe('b/plain.txt');
    const log = [`commit ${A}`, '+++ "b/dir/caf\\303\\251.env"', '@@ -0,0 +1 @@', '+K=v'].join('\n');
    expect(parseGitLogPatch(log)[0]?.path).toBe('dir/café.env');
  });
});
