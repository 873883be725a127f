import { errorMessage } from '../errors.js';
import { isProviderError } from '../provider/provider-error.js';
import type { ChatMessage, MessageEndEvent, ModelRequest, ToolSpec } from '../provider/types.js';
import type { AgentEvent, AgentFailure, AgentOutcome, BudgetDecision, RunAgentOptions } from './agent-types.js';
import { messageText, toolUses, transcriptProblem } from './conversation.js';
import { RequestSizeEstimate } from './request-size.js';
import { toToolSpec, type StructuredToolSpec } from './structured-tools.js';
import { ToolDispatcher } from './tool-dispatch.js';

/*
 * The agent loop: ask the budget, send one request, stream its events, append the assistant
 * message exactly as received (a stable prefix for the prompt cache), run its tool calls, send
 * all their results back in one user message, repeat. It ends itself: on a finishing
 * structured tool (no further request), on a pausing one (ask_user), on a reply without tool
 * calls, at maxTurns, on a budget refusal (before sending), on abort, or on a provider error.
 */

/**
 * Runs one agent until it finishes, pauses or is stopped. Yields events as they happen and
 * returns the outcome; the input `messages` are copied, never changed. Never throws: every
 * failure is an `error` event followed by a 'failed' outcome. Closing the generator early
 * (`return()`, or `break` in `for await`) releases any budget hold of the call in flight.
 */
export async function* runAgent<H>(options: RunAgentOptions<H>): AsyncGenerator<AgentEvent, AgentOutcome, void> {
  const { agent, budget, provider } = options;
  const now = options.now ?? Date.now;
  const transcript: ChatMessage[] = [...options.messages];
  const signal = combineSignals(options.signal, options.toolContext.signal);

  const problem = setupProblem(options) ?? transcriptFailure(transcript);
  if (problem !== undefined) {
    yield { type: 'error', message: problem.message };
    return { kind: 'failed', error: problem, messages: transcript };
  }

  const tools: ToolSpec[] = [
    ...options.tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.jsonSchema })),
    ...options.structuredTools.map(toToolSpec),
  ];
  const size = new RequestSizeEstimate(agent.system, tools);
  const toolContext = signal === undefined ? options.toolContext : { ...options.toolContext, signal };
  const dispatcher = new ToolDispatcher(options.tools, options.structuredTools, transcript, toolContext);

  for (let turn = 1; ; turn++) {
    if (isAborted(signal)) return { kind: 'aborted', messages: transcript };
    if (turn > agent.maxTurns) return { kind: 'max_turns', turns: agent.maxTurns, messages: transcript };

    let decision: BudgetDecision<H>;
    try {
      decision = budget.beforeCall({
        agent: agent.id,
        model: agent.model,
        projectedInputTokens: size.tokensFor(transcript),
        maxOutputTokens: agent.maxTokens,
      });
    } catch (error) {
      const failure: AgentFailure = { kind: 'internal', message: `The budget check failed: ${errorMessage(error)}` };
      yield { type: 'error', message: failure.message };
      return { kind: 'failed', error: failure, messages: transcript };
    }
    if (decision.kind === 'refuse') return { kind: 'budget_refused', message: decision.message, messages: transcript };
    const hold = decision.hold;
    // True until the call is recorded or released; `finally` releases a call left in flight.
    let open = true;
    const release = (reason: 'failed' | 'aborted'): void => {
      if (!open) return;
      open = false;
      budget.releaseCall?.({ agent: agent.id, model: agent.model, hold, reason });
    };

    let end: MessageEndEvent | undefined;
    try {
      yield { type: 'turn_start', turn };
      const request: ModelRequest = {
        model: agent.model,
        system: agent.system,
        tools,
        messages: [...transcript],
        maxTokens: agent.maxTokens,
        agent: agent.id,
        ...(options.task === undefined ? {} : { task: options.task }),
        ...(signal === undefined ? {} : { signal }),
      };
      const started = now();
      try {
        for await (const event of provider.stream(request)) {
          if (event.type === 'text_delta') yield { type: 'text_delta', text: event.text };
          else if (event.type === 'retry') {
            const { attempt, delayMs, reason, discardedText } = event;
            yield { type: 'retry', attempt, delayMs, reason, discardedText };
          } else if (event.type === 'message_end') end = event;
          // tool_use events are ignored: the calls are run from message_end's content, once.
        }
      } catch (error) {
        const aborted = isAborted(signal) || (isProviderError(error) && error.kind === 'aborted');
        release(aborted ? 'aborted' : 'failed');
        if (aborted) return { kind: 'aborted', messages: transcript };
        const failure = toFailure(error);
        yield { type: 'error', message: failure.message, ...(failure.hint === undefined ? {} : { hint: failure.hint }) };
        return { kind: 'failed', error: failure, messages: transcript };
      }
      if (end === undefined) {
        release('failed');
        const failure: AgentFailure = { kind: 'internal', message: 'The model stream ended without a final message.' };
        yield { type: 'error', message: failure.message };
        return { kind: 'failed', error: failure, messages: transcript };
      }
      const durationMs = Math.max(0, now() - started);
      const { usage, stopReason } = end;
      open = false;
      // Recorded before the usage event is yielded: a consumer that stops reading there must
      // not leave a billed call out of the ledger.
      try {
        await budget.afterCall({ agent: agent.id, task: options.task, model: agent.model, usage, durationMs, stopReason, hold });
      } catch (error) {
        const failure: AgentFailure = { kind: 'internal', message: `Recording the call's cost failed: ${errorMessage(error)}` };
        yield { type: 'error', message: failure.message };
        return { kind: 'failed', error: failure, messages: transcript };
      }
      yield { type: 'usage', model: agent.model, usage, durationMs, stopReason };
    } finally {
      // Reached with `open` only when the consumer closed the generator mid-call.
      release('aborted');
    }

    // The API rejects an empty assistant message; a reply with no blocks leaves no trace.
    if (end.content.length > 0) transcript.push({ role: 'assistant', content: end.content });
    const uses = toolUses({ role: 'assistant', content: end.content });
    if (uses.length === 0) {
      yield { type: 'turn_end', turn, stopReason: end.stopReason };
      return { kind: 'reply', text: messageText(end.content), stopReason: end.stopReason, messages: transcript };
    }

    const { results, stop } = yield* dispatcher.dispatch(uses);
    if (results.length > 0) transcript.push({ role: 'user', content: results });
    yield { type: 'turn_end', turn, stopReason: end.stopReason };
    if (stop?.kind === 'finished') {
      return { kind: 'finished', tool: stop.tool, toolUseId: stop.toolUseId, input: stop.input, messages: transcript };
    }
    if (stop?.kind === 'question') {
      const { tool, toolUseId, question, input } = stop;
      return { kind: 'question', tool, toolUseId, question, input, messages: transcript };
    }
    if (stop?.kind === 'aborted') return { kind: 'aborted', messages: transcript };
  }
}

/**
 * Drives a run to its outcome, handing each event to `onEvent` (the UI's, the headless mode's
 * or telemetry's handler). `for await` would drop the generator's return value.
 */
export async function driveAgent(
  run: AsyncGenerator<AgentEvent, AgentOutcome, void>,
  onEvent: (event: AgentEvent) => void = () => undefined,
): Promise<AgentOutcome> {
  for (;;) {
    const step = await run.next();
    if (step.done === true) return step.value;
    onEvent(step.value);
  }
}

/**
 * The input of a 'finished' outcome typed by the spec that finished it, or undefined when the
 * run did not finish through `spec`. The cast is sound when `spec` is the one passed to the
 * run: the loop parsed the input with `spec.schema`, and tool names are unique within a run.
 */
export function finishedInput<I>(outcome: AgentOutcome, spec: StructuredToolSpec<I>): I | undefined {
  return outcome.kind === 'finished' && outcome.tool === spec.name ? (outcome.input as I) : undefined;
}

function transcriptFailure(messages: readonly ChatMessage[]): AgentFailure | undefined {
  const message = transcriptProblem(messages);
  return message === undefined ? undefined : { kind: 'transcript', message };
}

function setupProblem(options: RunAgentOptions<unknown>): AgentFailure | undefined {
  if (!Number.isInteger(options.agent.maxTurns) || options.agent.maxTurns < 1) {
    return { kind: 'internal', message: `Agent ${options.agent.id}: maxTurns must be a whole number of at least 1.` };
  }
  const seen = new Set<string>();
  for (const name of [...options.tools.map((tool) => tool.name), ...options.structuredTools.map((spec) => spec.name)]) {
    if (seen.has(name)) return { kind: 'internal', message: `Agent ${options.agent.id}: the tool name ${name} is given twice.` };
    seen.add(name);
  }
  return undefined;
}

function toFailure(error: unknown): AgentFailure {
  if (isProviderError(error)) return { kind: error.kind, message: error.message, hint: error.hint };
  return { kind: 'internal', message: `The model call failed unexpectedly: ${errorMessage(error)}` };
}

/** A function, not an inline test: TypeScript would keep a narrowing of `aborted` across awaits. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** One signal that aborts when either does (the run's and the tools' own). */
function combineSignals(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (a === undefined || b === undefined || a === b) return a ?? b;
  return AbortSignal.any([a, b]);
}
