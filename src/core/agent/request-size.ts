import type { ChatMessage, SystemBlock, ToolSpec } from '../provider/types.js';

/*
 * A conservative input-token estimate for the budget check before each call. It must never be
 * low, because the ledger holds a call's worst case against the cap: an estimate below the real
 * count would let a call through that the cap cannot afford. So it counts one token per three
 * characters of the request's JSON. Claude's tokenizer averages about 3.5-4 characters per
 * token on English and code, and the JSON punctuation and field names counted here are more
 * than the API bills for, so the estimate errs high by roughly a third. A provider's exact
 * count (countTokens) would cost a network round trip per turn, which the loop does not pay.
 *
 * The transcript only grows during a run, so the size is kept as a running sum of each
 * message's serialized length rather than re-serializing the whole conversation every turn.
 */

/** Characters per token assumed by the estimate (low on purpose; see above). */
export const CHARS_PER_TOKEN_ESTIMATE = 3;

/** Tracks the serialized size of a request whose messages are appended to, never changed. */
export class RequestSizeEstimate {
  private chars: number;
  private counted = 0;

  constructor(system: readonly SystemBlock[], tools: readonly ToolSpec[]) {
    this.chars = JSON.stringify(system).length + JSON.stringify(tools).length;
  }

  /** Projected input tokens of a request carrying `messages` (an extension of earlier calls' lists). */
  tokensFor(messages: readonly ChatMessage[]): number {
    if (messages.length < this.counted) throw new Error('RequestSizeEstimate: the transcript shrank');
    for (; this.counted < messages.length; this.counted++) {
      const message = messages[this.counted];
      // +1 for the comma between array items.
      if (message !== undefined) this.chars += JSON.stringify(message).length + 1;
    }
    return Math.ceil(this.chars / CHARS_PER_TOKEN_ESTIMATE);
  }
}
