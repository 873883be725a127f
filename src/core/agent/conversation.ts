import type { ChatMessage, ContentBlock, ToolResultBlock, ToolUseBlock } from '../provider/types.js';

/*
 * Building and checking transcripts. How a session drives a run:
 *   1. the person's first line:         messages = [userMessage(line)]
 *   2. outcome 'reply' (model talked):  messages = appendUserText(outcome.messages, nextLine)
 *   3. outcome 'question' (ask_user):   messages = answerQuestion(outcome.messages, outcome.toolUseId, answer)
 *   4. outcome 'finished' / 'max_turns' / 'failed' / 'budget_refused' / 'aborted': the transcript
 *      is whole; to go on (gate feedback, /continue, after a budget raise) pass it as is, or
 *      appendUserText(outcome.messages, feedback) to say something first.
 * then runAgent({ ..., messages }) again. Every helper returns a new array.
 */

/** A user message with one text block. */
export function userMessage(text: string): ChatMessage {
  return { role: 'user', content: [{ type: 'text', text }] };
}

/**
 * Adds the person's (or the runtime's) text as the next user content. When the transcript
 * already ends with a user message (tool results of a finished run), the text joins it,
 * after the results, because the API wants user and assistant messages to alternate.
 */
export function appendUserText(messages: readonly ChatMessage[], text: string): ChatMessage[] {
  const last = messages.at(-1);
  if (last?.role === 'user') {
    return [...messages.slice(0, -1), { role: 'user', content: [...last.content, { type: 'text', text }] }];
  }
  return [...messages, userMessage(text)];
}

/**
 * Feeds the person's answer back as the result of the pausing call `toolUseId` (the
 * 'question' outcome's), in the order of the calls in the assistant message. Throws when the
 * transcript has no such pending call: that is a bug in the caller, not something to recover.
 */
export function answerQuestion(messages: readonly ChatMessage[], toolUseId: string, answer: string): ChatMessage[] {
  const at = messages.findLastIndex(
    (message) => message.role === 'assistant' && message.content.some((block) => block.type === 'tool_use' && block.id === toolUseId),
  );
  const assistant = messages[at];
  if (assistant === undefined) throw new Error(`answerQuestion: no tool call ${toolUseId} in the transcript`);
  const next = messages[at + 1];
  if (next !== undefined && next.role !== 'user') throw new Error(`answerQuestion: tool call ${toolUseId} is not the latest one`);
  if (at + 2 < messages.length) throw new Error(`answerQuestion: tool call ${toolUseId} was already answered`);
  const existing = next?.content ?? [];
  if (existing.some((block) => block.type === 'tool_result' && block.toolUseId === toolUseId)) {
    throw new Error(`answerQuestion: tool call ${toolUseId} was already answered`);
  }
  const result: ToolResultBlock = { type: 'tool_result', toolUseId, content: answer, isError: false };
  const results = existing.filter((block): block is ToolResultBlock => block.type === 'tool_result');
  const others = existing.filter((block) => block.type !== 'tool_result');
  // Results follow the order of the calls, as the loop writes them.
  const order = toolUses(assistant).map((use) => use.id);
  const merged = [...results, result].sort((a, b) => order.indexOf(a.toolUseId) - order.indexOf(b.toolUseId));
  return [...messages.slice(0, at + 1), { role: 'user', content: [...merged, ...others] }];
}

/** The tool calls of a message, in order. */
export function toolUses(message: ChatMessage): ToolUseBlock[] {
  return message.content.filter((block): block is ToolUseBlock => block.type === 'tool_use');
}

/** The text of a message's text blocks, joined. */
export function messageText(content: readonly ContentBlock[]): string {
  return content
    .filter((block) => block.type === 'text')
    .map((block) => block.text)
    .join('');
}

/** Every tool result already in the transcript, by call id. */
export function resultsById(messages: readonly ChatMessage[]): Map<string, ToolResultBlock> {
  const out = new Map<string, ToolResultBlock>();
  for (const message of messages) {
    for (const block of message.content) if (block.type === 'tool_result') out.set(block.toolUseId, block);
  }
  return out;
}

/**
 * Why a run cannot start from this transcript, or undefined when it can: it must end with a
 * user message, and every tool call must have its result (a pending ask_user is answered with
 * answerQuestion first). Checked once per run; the API would reject such a request anyway,
 * but only after the budget had been asked and a request sent.
 */
/** The last assistant message's tool calls that have no result yet (a run cut off while it waited). */
export function pendingToolUses(messages: readonly ChatMessage[]): ToolUseBlock[] {
  const at = messages.findLastIndex((message) => message.role === 'assistant');
  const assistant = messages[at];
  if (assistant === undefined) return [];
  const answered = resultsById(messages);
  return toolUses(assistant).filter((use) => !answered.has(use.id));
}

export function transcriptProblem(messages: readonly ChatMessage[]): string | undefined {
  const last = messages.at(-1);
  if (last === undefined) return 'The conversation is empty; start it with userMessage(text).';
  if (last.role !== 'user') return 'The conversation must end with a user message; add one with appendUserText().';
  const answered = resultsById(messages);
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    for (const use of toolUses(message)) {
      if (!answered.has(use.id)) {
        return `The tool call ${use.name} (${use.id}) has no result yet; pass the person's answer with answerQuestion() first.`;
      }
    }
  }
  return undefined;
}
