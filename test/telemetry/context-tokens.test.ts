import { describe, expect, it } from 'vitest';
import { estimateContextTokens } from '../../src/telemetry/context-tokens.js';

describe('estimateContextTokens (real tiktoken)', () => {
  it('counts tokens across all texts', async () => {
    expect(await estimateContextTokens(['hello world'])).toBe(2);
    expect(await estimateContextTokens(['hello world', 'hello world'])).toBe(4);
    expect(await estimateContextTokens([])).toBe(0);
    expect(await estimateContextTokens(['', ''])).toBe(0);
  });

  it('counts special-token text as text instead of throwing', async () => {
    expect(await estimateContextTokens(['a file that mentions <|endoftext|> literally'])).toBeGreaterThan(5);
  });

  it('grows with the text', async () => {
    const paragraph = 'The Builder writes the code for one task of the graph and runs its tests. ';
    const one = await estimateContextTokens([paragraph]);
    expect(await estimateContextTokens([paragraph.repeat(10)])).toBeGreaterThanOrEqual(one * 9);
  });
});
