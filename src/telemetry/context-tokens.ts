import type { Tiktoken } from 'tiktoken';

/*
 * Claude's tokenizer is not published, so context use is estimated with tiktoken's cl100k_base
 * as a stand-in. It is an approximation, not the billed count: for the budget check prefer the
 * provider's count_tokens when it has one. cl100k_base rather than o200k_base because its
 * smaller vocabulary yields more tokens for the same text, so the estimate errs towards "fuller".
 *
 * tiktoken (WASM plus a large rank table, about half a second to load) is imported only on the
 * first call, never when this module is imported, so the REPL starts without it.
 */
export const ESTIMATE_ENCODING = 'cl100k_base';

let encoder: Promise<Tiktoken> | undefined;

function loadEncoder(): Promise<Tiktoken> {
  if (!encoder) {
    const loading = import('tiktoken').then((tiktoken) => tiktoken.get_encoding(ESTIMATE_ENCODING));
    encoder = loading;
    // A failed load is not kept: the next call tries again.
    loading.catch(() => {
      if (encoder === loading) encoder = undefined;
    });
  }
  return encoder;
}

/** Estimated tokens of the texts together (system blocks, messages, tool results). */
export async function estimateContextTokens(texts: readonly string[]): Promise<number> {
  if (texts.every((t) => t.length === 0)) return 0;
  const enc = await loadEncoder();
  let total = 0;
  // encode_ordinary: special-token text such as "<|endoftext|>" in a file is counted as text
  // instead of throwing.
  for (const text of texts) if (text.length > 0) total += enc.encode_ordinary(text).length;
  return total;
}
