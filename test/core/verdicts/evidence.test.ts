import { describe, expect, it, vi } from 'vitest';
import {
  checkCitations,
  describeRejectedCitations,
  normaliseCitedPath,
  type FileIndex,
} from '../../../src/core/verdicts/evidence.js';

/** An in-memory project: path → line count, plus files as they were at commits. */
function fakeIndex(files: Record<string, number>, atCommits: Record<string, Record<string, number>> = {}) {
  const lineCount = vi.fn(async (file: string, commit?: string) => (commit === undefined ? files[file] : atCommits[commit]?.[file]));
  return { lineCount } satisfies FileIndex;
}

describe('checkCitations', () => {
  const index = fakeIndex({ 'src/app.ts': 40, 'README.md': 1, 'empty.txt': 0 }, { abc1234: { 'old/keys.env': 3 } });

  it('accepts cited lines that exist, first and last included', async () => {
    const citations = [
      { file: 'src/app.ts', line: 1 },
      { file: 'src/app.ts', line: 40 },
      { file: './src//app.ts', line: 12 },
      { file: 'README.md', line: 1 },
      { file: 'old/keys.env', line: 3, commit: 'abc1234' },
    ];
    const result = await checkCitations(citations, index);
    expect(result.rejected).toEqual([]);
    expect(result.accepted).toEqual(citations);
  });

  it.each([
    [{ file: 'src/app.ts', line: 41 }, '`src/app.ts:41`: the file has 40 lines, so line 41 does not exist'],
    [{ file: 'src/missing.ts', line: 1 }, '`src/missing.ts:1`: no such file in the project'],
    [{ file: 'empty.txt', line: 1 }, '`empty.txt:1`: the file has 0 lines, so line 1 does not exist'],
    [{ file: 'src/app.ts', line: 0 }, '`src/app.ts:0`: the line must be a whole number from 1'],
    [{ file: 'src/app.ts', line: 2.5 }, '`src/app.ts:2.5`: the line must be a whole number from 1'],
    [{ file: '/etc/passwd', line: 1 }, '`/etc/passwd:1`: the path is absolute; cite it relative to the project folder'],
    [{ file: 'src/../../outside.ts', line: 1 }, '`src/../../outside.ts:1`: the path leads outside the project folder'],
    [{ file: 'old/keys.env', line: 4, commit: 'abc1234' }, '`old/keys.env:4` at commit abc1234: the file has 3 lines, so line 4 does not exist'],
    [{ file: 'old/keys.env', line: 1 }, '`old/keys.env:1`: no such file in the project'],
    [{ file: 'src/app.ts', line: 1, commit: 'not-a-sha' }, '`src/app.ts:1` at commit not-a-sha: the commit must be a hexadecimal SHA'],
  ])('rejects %j', async (citation, reason) => {
    const result = await checkCitations([citation], index);
    expect(result.accepted).toEqual([]);
    expect(result.rejected).toEqual([{ citation, reason }]);
  });

  it('keeps extra fields, labels messages and asks the port once per file', async () => {
    const counting = fakeIndex({ 'a.ts': 5 });
    const citations = [
      { file: 'a.ts', line: 2, label: 'findings[0]', finding: 'F1' },
      { file: 'a.ts', line: 9, label: 'findings[1]', finding: 'F2' },
      { file: 'a.ts', line: 5, label: 'findings[2]', finding: 'F3' },
    ];
    const result = await checkCitations(citations, counting);
    expect(result.accepted.map((c) => c.finding)).toEqual(['F1', 'F3']);
    expect(result.rejected[0]?.reason).toBe('findings[1]: `a.ts:9`: the file has 5 lines, so line 9 does not exist');
    expect(counting.lineCount).toHaveBeenCalledTimes(1);
  });

  it('explains rejections in one message a model can act on', async () => {
    const result = await checkCitations([{ file: 'x.ts', line: 3 }], index);
    expect(describeRejectedCitations(result.rejected)).toBe(
      ['1 cited location does not exist in the project:', '- `x.ts:3`: no such file in the project', 'Read the file again and cite a line that exists, or remove the citation.'].join('\n'),
    );
    expect(describeRejectedCitations([])).toBe('');
  });
});

describe('normaliseCitedPath', () => {
  it.each([
    ['./a/b.ts', 'a/b.ts'],
    ['a\\b.ts', 'a/b.ts'],
    ['a/./b/../c.ts', 'a/c.ts'],
  ])('%s → %s', (input, output) => {
    expect(normaliseCitedPath(input)).toEqual({ ok: true, path: output });
  });

  it.each(['', '..', '../x', 'C:\\x.ts', '/x', 'src/'])('refuses %j', (input) => {
    expect(normaliseCitedPath(input).ok).toBe(false);
  });
});
