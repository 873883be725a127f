import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// Counts how often tiktoken is loaded and encoders are made; the real one is not needed here.
const loads = vi.hoisted(() => ({ module: 0, encoders: 0 }));
vi.mock('tiktoken', () => {
  loads.module++;
  return {
    get_encoding: (name: string) => {
      loads.encoders++;
      return { name, encode_ordinary: (text: string) => new Uint32Array(text.split(' ').length) };
    },
  };
});

describe('estimateContextTokens loads tiktoken lazily', () => {
  it('does not load tiktoken when the module is imported, and loads it once on first use', async () => {
    const { estimateContextTokens, ESTIMATE_ENCODING } = await import('../../src/telemetry/context-tokens.js');
    expect(loads).toEqual({ module: 0, encoders: 0 });
    const counts = await Promise.all([estimateContextTokens(['a b c']), estimateContextTokens(['d e'])]);
    expect(counts).toEqual([3, 2]);
    expect(await estimateContextTokens(['f'])).toBe(1);
    expect(loads).toEqual({ module: 1, encoders: 1 });
    expect(ESTIMATE_ENCODING).toBe('cl100k_base');
  });

  it('has no static import of tiktoken (only a type import and the dynamic one)', async () => {
    const source = await readFile(path.resolve(import.meta.dirname, '..', '..', 'src', 'telemetry', 'context-tokens.ts'), 'utf8');
    const imports = [...source.matchAll(/^import\s+(type\s+)?.*from\s+'tiktoken';$/gm)];
    expect(imports.every((m) => m[1] === 'type ')).toBe(true);
    expect(source).toMatch(/await import\('tiktoken'\)|import\('tiktoken'\)/);
  });
});
