import type { ChatMessage, ToolResultBlock, ToolUseBlock } from '../provider/types.js';
import { runTool } from '../tools/run-tool.js';
import type { ToolContext, ToolDefinition } from '../tools/types.js';
import type { AgentEvent, AgentOutcome } from './agent-types.js';
import { resultsById } from './conversation.js';
import { validateStructuredInput, type StructuredToolSpec } from './structured-tools.js';

/*
 * Runs the tool calls of one assistant message, in order, each id at most once. Results are
 * stored by id for the whole run (seeded from the transcript), so a call whose id was already
 * answered, by this run or an earlier one, gets its stored result again and nothing re-runs:
 * a write or a command is never applied twice, whatever the model or a retry repeats.
 */

/** A result kept for reuse, with what the person was shown. */
interface StoredResult {
  readonly content: string;
  readonly isError: boolean;
  readonly display: string;
}

/** Why a message's calls stopped the run; undefined when the run goes on. */
export type DispatchStop =
  | Omit<Extract<AgentOutcome, { kind: 'finished' }>, 'messages'>
  | Omit<Extract<AgentOutcome, { kind: 'question' }>, 'messages'>
  | { readonly kind: 'aborted' };

/** The results to send back (in call order; a pending question has none) and why to stop. */
export interface DispatchResult {
  readonly results: ToolResultBlock[];
  readonly stop: DispatchStop | undefined;
}

/** The tools of one run and the results it has seen. */
export class ToolDispatcher {
  private readonly fileTools = new Map<string, ToolDefinition>();
  private readonly structured = new Map<string, StructuredToolSpec>();
  private readonly done = new Map<string, StoredResult>();
  private readonly knownNames: string;

  constructor(
    tools: readonly ToolDefinition[],
    structuredTools: readonly StructuredToolSpec[],
    transcript: readonly ChatMessage[],
    private readonly context: ToolContext,
  ) {
    for (const tool of tools) this.fileTools.set(tool.name, tool);
    for (const spec of structuredTools) this.structured.set(spec.name, spec);
    this.knownNames = [...this.fileTools.keys(), ...this.structured.keys()].join(', ');
    for (const [id, block] of resultsById(transcript)) {
      this.done.set(id, { content: block.content, isError: block.isError, display: 'result from earlier in the conversation' });
    }
  }

  /** Runs `uses` in order, yielding a tool_call and a tool_result event per call. */
  async *dispatch(uses: readonly ToolUseBlock[]): AsyncGenerator<AgentEvent, DispatchResult> {
    const results: ToolResultBlock[] = [];
    let stop: DispatchStop | undefined;
    for (const use of uses) {
      yield { type: 'tool_call', id: use.id, name: use.name, input: use.input };
      const stored = this.done.get(use.id);
      if (stored !== undefined) {
        results.push(resultBlock(use.id, stored));
        yield resultEvent(use, `${stored.display} (already run; result reused)`, stored.isError, true);
        continue;
      }
      if (stop === undefined && this.context.signal?.aborted === true) stop = { kind: 'aborted' };
      if (stop !== undefined) {
        const content =
          stop.kind === 'aborted'
            ? `Not run: ${use.name} was cancelled by the person before it started.`
            : `Not run: the run ${stop.kind === 'finished' ? 'ended' : 'paused'} at ${stop.tool} before this call. Call it again if it is still needed.`;
        const skipped = { content, isError: true, display: `${use.name}: not run` };
        this.done.set(use.id, skipped);
        results.push(resultBlock(use.id, skipped));
        yield resultEvent(use, skipped.display, true, false);
        continue;
      }
      const spec = this.structured.get(use.name);
      if (spec !== undefined) {
        const checked = validateStructuredInput(spec, use.input);
        if (!checked.ok) {
          const invalid = { content: checked.message, isError: true, display: `${use.name}: invalid input` };
          this.done.set(use.id, invalid);
          results.push(resultBlock(use.id, invalid));
          yield resultEvent(use, invalid.display, true, false);
          continue;
        }
        if (spec.finishing) {
          const accepted = { content: `${use.name} accepted.`, isError: false, display: `${use.name}: accepted` };
          this.done.set(use.id, accepted);
          results.push(resultBlock(use.id, accepted));
          yield resultEvent(use, accepted.display, false, false);
          stop = { kind: 'finished', tool: use.name, toolUseId: use.id, input: checked.value };
        } else {
          // The result is the person's answer, added later by answerQuestion().
          const question = spec.question?.(checked.value) ?? JSON.stringify(checked.value);
          stop = { kind: 'question', tool: use.name, toolUseId: use.id, question, input: checked.value };
        }
        continue;
      }
      const tool = this.fileTools.get(use.name);
      if (tool === undefined) {
        const unknown = {
          content: `Unknown tool "${use.name}". The tools you can call are: ${this.knownNames}.`,
          isError: true,
          display: `${use.name}: unknown tool`,
        };
        this.done.set(use.id, unknown);
        results.push(resultBlock(use.id, unknown));
        yield resultEvent(use, unknown.display, true, false);
        continue;
      }
      // Calls run one at a time, so the id is stored before any later call could repeat it.
      const result = await runTool(tool, use.input, this.context);
      this.done.set(use.id, { content: result.llmContent, isError: result.isError, display: result.display });
      results.push({ type: 'tool_result', toolUseId: use.id, content: result.llmContent, isError: result.isError });
      yield resultEvent(use, result.display, result.isError, false, result.changedFiles);
    }
    return { results, stop };
  }
}

function resultBlock(toolUseId: string, stored: StoredResult): ToolResultBlock {
  return { type: 'tool_result', toolUseId, content: stored.content, isError: stored.isError };
}

function resultEvent(
  use: ToolUseBlock,
  display: string,
  isError: boolean,
  reused: boolean,
  changedFiles?: readonly string[],
): AgentEvent {
  return {
    type: 'tool_result',
    id: use.id,
    name: use.name,
    display,
    isError,
    reused,
    ...(changedFiles === undefined || changedFiles.length === 0 ? {} : { changedFiles }),
  };
}
