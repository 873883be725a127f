import { describe, expect, it } from 'vitest';
import { escapeCell, parseTable, splitRow } from '../../../src/core/documents/markdown-table.js';
import { blockFrom, fenceFor, outline, parseBullets, spanOf, splitSections, toLines } from '../../../src/core/documents/markdown.js';

describe('Markdown reader', () => {
  it('splits CRLF files and drops trailing spaces and a BOM', () => {
    expect(toLines('\uFEFFa  \r\nb\t\r\n')).toEqual(['a', 'b', '']);
  });

  it('ignores headings inside fenced code, however long the fence', () => {
    const lines = toLines(['## A', '````', '```', '## not a heading', '```', '````', '## B', '~~~', '# no', '~~~'].join('\n'));
    const { headings, openFence } = outline(spanOf(lines));
    expect(headings.map((h) => `${h.level}:${h.text}@${h.index}-${h.end}`)).toEqual(['2:A@0-6', '2:B@6-10']);
    expect(openFence).toBeUndefined();
    expect(outline(spanOf(['## A', 'x', '```ts', '## B'])).openFence).toBe(2);
  });

  it('splits sections, keeping deeper headings in the body and reporting higher ones', () => {
    const lines = toLines(['intro', '## One', 'x', '### deeper', '# Top', 'lost', '## Two', 'y'].join('\n'));
    const { preamble, sections, higher } = splitSections(spanOf(lines), 2);
    expect(blockFrom(preamble)).toBe('intro');
    expect(sections.map((s) => [s.heading, s.line, blockFrom(s.body)])).toEqual([
      ['One', 2, 'x\n### deeper'],
      ['Two', 7, 'y'],
    ]);
    expect(higher).toEqual([4]);
  });

  it('reads lists with other markers, wrapped lines and _None._', () => {
    const lines = toLines(['- a', '* b', '  continued', '1. c', '', 'oops'].join('\n'));
    const { items, problems } = parseBullets(spanOf(lines), 'the list');
    expect(items).toEqual([
      { text: 'a', line: 1 },
      { text: 'b continued', line: 2 },
      { text: 'c', line: 4 },
    ]);
    expect(problems.map((p) => p.line)).toEqual([6]);
    expect(parseBullets(spanOf(['_None._']), 'x')).toEqual({ items: [], problems: [] });
  });

  it('escapes and splits table cells without losing a pipe or a backslash', () => {
    for (const value of ['a|b', 'a\\b', 'a\\|b', 'ends\\', '\\\\|', 'plain']) {
      expect(splitRow(`| ${escapeCell(value)} | x |`)).toEqual([value, 'x']);
    }
    expect(splitRow('| C:\\temp | no closing pipe')).toEqual(['C:\\temp', 'no closing pipe']);
    expect(splitRow('not a row')).toBeUndefined();
  });

  it('finds table columns by name in any order', () => {
    const lines = toLines(['| B | a |', '|:--|--:|', '| 1 | 2 |'].join('\n'));
    const table = parseTable(spanOf(lines), [{ key: 'a', names: ['a'] }, { key: 'b', names: ['b'] }], 'here');
    expect(table.rows).toEqual([{ line: 3, cells: { a: '2', b: '1' } }]);
  });

  it('picks a fence no line of the code can close', () => {
    expect(fenceFor('plain')).toBe('```');
    expect(fenceFor('```\nx\n````')).toBe('`````');
  });
});
