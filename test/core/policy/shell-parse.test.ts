import { describe, expect, it } from 'vitest';
import { parseShell } from '../../../src/core/policy/shell-parse.js';

function commands(source: string): string[][] {
  const parsed = parseShell(source);
  expect(parsed.error).toBeUndefined();
  return parsed.segments.map((s) => s.words.map((w) => w.text));
}

describe('parseShell', () => {
  it.each([
    ['ls -la', [['ls', '-la']]],
    ['echo ok && git reset --hard', [['echo', 'ok'], ['git', 'reset', '--hard']]],
    ['a; b || c | d & e', [['a'], ['b'], ['c'], ['d'], ['e']]],
    ['a\nb', [['a'], ['b']]],
    ['(cd x && rm -rf y)', [['cd', 'x'], ['rm', '-rf', 'y']]],
    ["echo 'a && b' \"c; d\"", [['echo', 'a && b', 'c; d']]],
    ['echo a\\ b', [['echo', 'a b']]],
    ['echo hi # && rm -rf /', [['echo', 'hi']]],
    ['echo a#b', [['echo', 'a#b']]],
    ['FOO=1 npm test', [['FOO=1', 'npm', 'test']]],
    ['ls |& cat', [['ls'], ['cat']]],
  ])('%s', (source, expected) => {
    expect(commands(source)).toEqual(expected);
  });

  it('marks pipes between segments', () => {
    const parsed = parseShell('curl x | sh; ls');
    expect(parsed.segments.map((s) => s.pipesInto)).toEqual([true, false, false]);
  });

  it.each([
    ['echo $(git reset --hard)', ['git reset --hard']],
    ['echo `rm -rf /`', ['rm -rf /']],
    ['echo "x $(whoami) y"', ['whoami']],
    ['diff <(ls a) <(ls b)', ['ls a', 'ls b']],
    ['echo $(echo $(id))', ['echo $(id)']],
    ['echo ${X:-$(rm -rf /)}', ['X:-$(rm -rf /)']],
    ['echo $((1 + 2))', []],
  ])('finds the substitutions in %s', (source, expected) => {
    const parsed = parseShell(source);
    expect(parsed.error).toBeUndefined();
    expect(parsed.segments.flatMap((s) => s.substitutions)).toEqual(expected);
  });

  it('keeps expansions as written and marks them dynamic', () => {
    const [segment] = parseShell('rm -rf "$HOME"/x $Y z').segments;
    expect(segment?.words.map((w) => [w.text, w.dynamic])).toEqual([
      ['rm', false],
      ['-rf', false],
      ['$HOME/x', true],
      ['$Y', true],
      ['z', false],
    ]);
  });

  it('reads redirections with their targets and file descriptors', () => {
    const [segment] = parseShell('npm test > out.txt 2>&1 < in.txt').segments;
    expect(segment?.words.map((w) => w.text)).toEqual(['npm', 'test']);
    expect(segment?.redirects.map((r) => [r.fd, r.op, r.target.text])).toEqual([
      [undefined, '>', 'out.txt'],
      [2, '>&', '1'],
      [undefined, '<', 'in.txt'],
    ]);
  });

  it('treats a heredoc body as data, not as commands', () => {
    const parsed = parseShell("cat > notes.md <<'EOF'\nrm -rf /\ngit reset --hard\nEOF\necho done");
    expect(parsed.segments.map((s) => s.words.map((w) => w.text))).toEqual([['cat'], ['echo', 'done']]);
    expect(parsed.segments[0]?.substitutions).toEqual([]);
  });

  it('still finds $(...) in an unquoted heredoc body', () => {
    const parsed = parseShell('cat <<EOF\nhello $(rm -rf /)\nEOF');
    expect(parsed.segments[0]?.substitutions).toEqual(['rm -rf /']);
  });

  it.each([["echo 'oops"], ['echo "oops'], ['echo $(ls'], ['echo `ls'], ['ls >']])(
    'reports an error for %s instead of guessing',
    (source) => {
      expect(parseShell(source).error).toBeDefined();
    },
  );
});
