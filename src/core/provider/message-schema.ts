import { z } from 'zod';
import type { ChatMessage } from './types.js';

/** A stored conversation, checked before it is sent to a model again. */
const contentBlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }).strict(),
  z.object({ type: z.literal('tool_use'), id: z.string().min(1), name: z.string().min(1), input: z.unknown() }).strict(),
  z.object({ type: z.literal('tool_result'), toolUseId: z.string().min(1), content: z.string(), isError: z.boolean() }).strict(),
]);

export const chatMessagesSchema: z.ZodType<ChatMessage[]> = z.array(
  z.object({ role: z.enum(['user', 'assistant']), content: z.array(contentBlockSchema) }).strict(),
) as unknown as z.ZodType<ChatMessage[]>;
