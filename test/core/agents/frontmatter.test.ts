import { describe, expect, it } from 'vitest';
import { parseFrontmatter, splitFrontmatter } from '../../../src/core/agents/frontmatter.js';

describe('splitFrontmatter', () => {
  it('separates the YAML block from the trimmed body and gives their lines', () => {
    const result = splitFrontmatter('---\nname: a\nid: 1\n---\n\n\nBody line\nmore\n\n');
    expect(result).toEqual({
      ok: true,
      value: { yaml: 'name: a\nid: 1', yamlLine: 2, body: 'Body line\nmore', bodyLine: 7 },
    });
  });

  it('accepts a byte-order mark and CRLF line ends', () => {
    const result = splitFrontmatter('\uFEFF---\r\nname: a\r\n---\r\nBody\r\n');
    expect(result.ok && result.value.yaml).toBe('name: a');
    expect(result.ok && result.value.body).toBe('Body');
  });

  it.each([
    ['', 1, 'the file is empty'],
    ['name: a\n---\nbody', 1, 'does not start with a `---` frontmatter block'],
    ['\n\n---\nname: a\nbody', 3, 'never closed'],
  ])('reports %j at line %i', (text, line, message) => {
    const result = splitFrontmatter(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.line).toBe(line);
      expect(result.error.message).toContain(message);
      expect(result.error.hint).not.toBe('');
    }
  });
});

describe('parseFrontmatter', () => {
  it('parses the fields into a plain mapping', () => {
    const result = parseFrontmatter('---\nname: builder\ntools: [read_file, bash]\nbudget_share: 0.4\n---\nPrompt');
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.data).toEqual({ name: 'builder', tools: ['read_file', 'bash'], budget_share: 0.4 });
      expect(result.value.body).toBe('Prompt');
    }
  });

  it('reports YAML syntax errors with the line in the whole file', () => {
    const result = parseFrontmatter('---\nname: a\ntools: [read_file, bash\nid: 3\n---\nPrompt');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toMatch(/^invalid YAML: /);
      expect(result.error.line).toBe(4);
    }
  });

  it('reports duplicate keys at the second occurrence', () => {
    const result = parseFrontmatter('---\nname: a\nid: 1\nname: b\n---\nPrompt');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.line).toBe(4);
  });

  it('rejects an empty block and a block that is not a mapping', () => {
    const empty = parseFrontmatter('---\n---\nPrompt');
    expect(empty.ok === false && empty.error.message).toBe('the frontmatter block is empty');
    const list = parseFrontmatter('---\n- a\n- b\n---\nPrompt');
    expect(list.ok === false && list.error.message).toContain('not a set of `field: value` lines');
  });

  it('finds the file line of nested values and falls back to the nearest parent', () => {
    const text = '---\nname: a\ndata:\n  items:\n    - id: D1\n      rubric:\n        1: low\n    - id: D2\n---\nPrompt';
    const result = parseFrontmatter(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { lineOf } = result.value;
    expect(lineOf(['name'])).toBe(2);
    expect(lineOf(['data', 'items', 1, 'id'])).toBe(8);
    expect(lineOf(['data', 'items', 0, 'rubric', '1'])).toBe(7);
    expect(lineOf(['data', 'items', 0, 'missing'])).toBe(5);
    expect(lineOf(['absent'])).toBeUndefined();
  });
});
