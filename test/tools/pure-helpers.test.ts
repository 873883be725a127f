import { describe, expect, it, vi } from 'vitest';
import { applyEdit, countOccurrences } from '../../src/core/tools/apply-edit.js';
import { approvalKey, createSessionApprover } from '../../src/core/tools/approvals.js';
import { expandBraces, matchGlob } from '../../src/core/tools/glob-match.js';
import { numberedWindow, splitLines } from '../../src/core/tools/line-view.js';
import { FILE_TOOL_NAMES, isFileToolName } from '../../src/core/tools/names.js';
import type { ApprovalRequest } from '../../src/core/tools/types.js';

// Pure helpers from src/core/tools, tested here next to the tools that use them.

describe('matchGlob', () => {
  it.each<[string, string, boolean]>([
    ['*.ts', 'a.ts', true],
    ['*.ts', 'src/a.ts', false],
    ['**/*.ts', 'a.ts', true],
    ['**/*.ts', 'src/deep/a.ts', true],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/x/y/a.ts', true],
    ['src/**/*.ts', 'lib/a.ts', false],
    ['src/**', 'src/x/y', true],
    ['**/test/**', 'a/test/b.ts', true],
    ['?.md', 'a.md', true],
    ['?.md', 'ab.md', false],
    ['*.{ts,tsx}', 'a.tsx', true],
    ['*.{ts,tsx}', 'a.js', false],
    ['src/{a,b/{c,d}}.ts', 'src/b/d.ts', true],
    ['[abc].ts', 'b.ts', true],
    ['[!abc].ts', 'b.ts', false],
    ['*', 'a/b', false],
    ['**', 'a/b', true],
    ['**/*.env', '.env', true],
    ['**/.env', 'config/.env', true],
    ['*.env', 'x.env', true],
    ['./src/*.ts', 'src/a.ts', true],
    ['a.b', 'aXb', false],
    ['file(1).txt', 'file(1).txt', true],
    ['\\*.ts', '*.ts', true],
    ['\\*.ts', 'a.ts', false],
  ])('%s ~ %s -> %s', (pattern, path, expected) => {
    expect(matchGlob(pattern, path)).toBe(expected);
  });

  it('matches dotfiles by default and not with dot: false, as a shell would', () => {
    expect(matchGlob('*', '.env')).toBe(true);
    expect(matchGlob('*', '.env', { dot: false })).toBe(false);
    expect(matchGlob('.e*', '.env', { dot: false })).toBe(true);
    expect(matchGlob('**/*.ts', '.hidden/a.ts', { dot: false })).toBe(false);
  });

  it('expands braces, leaving a lone brace literal', () => {
    expect(expandBraces('a{b,c}d')).toEqual(['abd', 'acd']);
    expect(expandBraces('a{b}c')).toEqual(['a{b}c']);
  });
});

describe('applyEdit', () => {
  it('replaces a unique match exactly, without treating $ specially', () => {
    expect(applyEdit('let a = 1;\nlet b = 2;\n', 'b = 2', "b = '$&$1'")).toEqual({
      ok: true,
      content: "let a = 1;\nlet b = '$&$1';\n",
      replacements: 1,
    });
  });

  it('refuses when the old text is missing', () => {
    const result = applyEdit('abc', 'xyz', 'q', { path: 'src/a.ts' });
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toContain('not found in src/a.ts (0 matches)');
  });

  it('refuses an ambiguous match and says how many there are', () => {
    const result = applyEdit('x\nx\nx\n', 'x', 'y');
    expect(!result.ok && result.reason).toContain('matches 3 times');
  });

  it('replaces all when asked', () => {
    expect(applyEdit('x x x', 'x', 'y', { replaceAll: true })).toEqual({ ok: true, content: 'y y y', replacements: 3 });
  });

  it('refuses empty and no-op edits', () => {
    expect(applyEdit('abc', '', 'x').ok).toBe(false);
    expect(applyEdit('abc', 'a', 'a').ok).toBe(false);
  });

  it('matches LF old text in a CRLF file and keeps CRLF', () => {
    expect(applyEdit('a\r\nb\r\nc\r\n', 'a\nb', 'A\nB')).toEqual({ ok: true, content: 'A\r\nB\r\nc\r\n', replacements: 1 });
  });

  it('counts non-overlapping occurrences', () => {
    expect(countOccurrences('aaaa', 'aa')).toBe(2);
  });
});

describe('line windows', () => {
  it('numbers lines and reports the window', () => {
    const window = numberedWindow('a\nb\nc\nd\n', 2, 2);
    expect(window).toEqual({ text: '     2\tb\n     3\tc', firstLine: 2, lastLine: 3, totalLines: 4 });
  });

  it('splits CRLF and ignores one trailing newline', () => {
    expect(splitLines('a\r\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('')).toEqual([]);
  });
});

describe('FILE_TOOL_NAMES', () => {
  it('is the canonical list', () => {
    expect(FILE_TOOL_NAMES).toEqual(['read_file', 'write_file', 'edit_file', 'list_files', 'glob', 'grep', 'bash']);
    expect(isFileToolName('grep')).toBe(true);
    expect(isFileToolName('rm')).toBe(false);
  });
});

describe('createSessionApprover: how "always" is remembered', () => {
  const request = (action: string, kind: ApprovalRequest['kind'] = 'run'): ApprovalRequest => ({
    toolName: 'bash',
    kind,
    action,
    reason: 'why',
  });

  it('asks once, then approves the same exact action for the rest of the session', async () => {
    const ask = vi.fn(async () => 'always' as const);
    const approver = createSessionApprover(ask);
    expect(await approver.approve(request('npm install'))).toBe('always');
    expect(await approver.approve(request('npm install'))).toBe('yes');
    expect(ask).toHaveBeenCalledTimes(1);
    expect(approver.remembered()).toEqual(['run:npm install']);
  });

  it('does not stretch "always" to other commands, other kinds, or after forget()', async () => {
    const ask = vi.fn(async () => 'always' as const);
    const approver = createSessionApprover(ask);
    await approver.approve(request('npm install'));
    await approver.approve(request('npm install; rm -rf src'));
    await approver.approve(request('npm install', 'write'));
    approver.forget();
    await approver.approve(request('npm install'));
    expect(ask).toHaveBeenCalledTimes(4);
  });

  it('remembers nothing for yes or no', async () => {
    const ask = vi.fn(async () => 'yes' as const);
    const approver = createSessionApprover(ask);
    await approver.approve(request('x'));
    await approver.approve(request('x'));
    expect(ask).toHaveBeenCalledTimes(2);
    expect(approvalKey(request('x'))).toBe('run:x');
  });
});
