import { z } from 'zod';

/**
 * A price in USD per million tokens: finite, not negative, at most three decimals (whole
 * nano-dollars per token, which keeps the budget arithmetic in cost.ts exact).
 */
const rate = z
  .number()
  .finite()
  .nonnegative()
  .refine((usd) => Math.abs(usd * 1000 - Math.round(usd * 1000)) < 1e-6, 'expected USD per million tokens with at most three decimals');

/** One priced model family as config/pricing.json describes it. */
export const modelPriceSchema = z
  .object({
    family: z.string().min(1),
    prefixes: z.array(z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'expected a lower-case model id prefix such as claude-sonnet-4')).min(1),
    usdPerMillionTokens: z
      .object({
        input: rate,
        output: rate,
        /** The 5-minute cache write. */
        cacheWrite: rate,
        cacheRead: rate,
      })
      .strict(),
    contextWindow: z.number().int().positive(),
  })
  .strict();

/** Prices of one model family; what `costOf` and the ledger's projection read. */
export type ModelPrice = z.infer<typeof modelPriceSchema>;

/** config/pricing.json. The table is data, not code: prices change without a release. */
export const pricingFileSchema = z
  .object({
    pricesAsOf: z.iso.date(),
    source: z.string().min(1),
    currency: z.literal('USD'),
    unit: z.literal('per million tokens'),
    notes: z.array(z.string()).optional(),
    models: z.array(modelPriceSchema).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Map<string, string>();
    file.models.forEach((model, index) => {
      model.prefixes.forEach((prefix, p) => {
        const other = seen.get(prefix);
        if (other !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['models', index, 'prefixes', p],
            message: `prefix ${prefix} is listed twice (also under ${other}); each prefix must name one price`,
          });
        }
        seen.set(prefix, model.family);
      });
    });
  });

export type PricingFile = z.infer<typeof pricingFileSchema>;

/** The outcome of looking a model up: its price, or a sentence telling the person what to do. */
export type PriceLookup =
  | { readonly kind: 'ok'; readonly price: ModelPrice; readonly matchedPrefix: string }
  | { readonly kind: 'unknown'; readonly model: string; readonly message: string };

function matches(model: string, prefix: string): boolean {
  // The boundary check keeps claude-opus-4-1 from also claiming a future claude-opus-4-10.
  return model === prefix || model.startsWith(`${prefix}-`);
}

/**
 * Finds the price of a model id by family: the longest listed prefix that equals the id or is
 * followed by `-` wins, so `claude-sonnet-4-6-20260101` gets the `claude-sonnet-4` price and
 * `claude-opus-4-1` its own older price. Never guesses: an unknown model is an error value.
 */
export function lookupPrice(pricing: PricingFile, model: string): PriceLookup {
  const id = model.trim().toLowerCase();
  let best: { price: ModelPrice; prefix: string } | undefined;
  for (const price of pricing.models) {
    for (const prefix of price.prefixes) {
      if (matches(id, prefix) && (best === undefined || prefix.length > best.prefix.length)) best = { price, prefix };
    }
  }
  if (best) return { kind: 'ok', price: best.price, matchedPrefix: best.prefix };
  const known = pricing.models.flatMap((m) => m.prefixes).join(', ');
  return {
    kind: 'unknown',
    model,
    message: `No price is known for model "${model}" (priced families: ${known}). Add it to config/pricing.json with its USD prices per million tokens, then start CodeSleuth again.`,
  };
}
