import { z } from 'zod';

/** One build target, as config/platforms.json describes it. The table is data, not code. */
export const platformSchema = z
  .object({
    id: z.string().regex(/^[a-z]+$/),
    name: z.string().min(1),
    keywords: z.array(z.string().min(1)).min(1),
    toolchain: z.string().min(1),
    packaging: z.string().min(1),
    signing: z.string().min(1),
    distribution: z.string().min(1),
    notes: z.string(),
    activatesDesignContract: z.boolean(),
    needsAppleHardware: z.boolean(),
  })
  .strict();

export type Platform = z.infer<typeof platformSchema>;

export const platformsFileSchema = z.object({ platforms: z.array(platformSchema).min(1) }).strict();

/** Matches an answer such as "web", "iOS" or "an Android app" to a platform. */
export function matchPlatform(answer: string, platforms: readonly Platform[]): Platform | undefined {
  const text = answer.trim().toLowerCase();
  if (text === '') return undefined;
  const exact = platforms.find((p) => p.id === text || p.name.toLowerCase() === text);
  if (exact) return exact;
  const words = new Set(text.split(/[^a-z0-9.+#]+/).filter(Boolean));
  const byName = platforms.filter((p) => words.has(p.id) || words.has(p.name.toLowerCase()));
  if (byName.length === 1) return byName[0];
  const byKeyword = platforms.filter((p) => p.keywords.some((k) => (k.includes(' ') ? text.includes(k) : words.has(k))));
  return byKeyword.length === 1 ? byKeyword[0] : undefined;
}
