import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAgentRuntime } from '../../src/app/agent-runtime.js';
import { reviewPortsFor, reviewerFromRuntime, type ReviewerRunContext } from '../../src/build/reviewer-adapter.js';
import { taskFileIndex } from '../../src/build/task-file-index.js';
import type { AgentEvent, AgentOutcome } from '../../src/core/agent/agent-types.js';
import { userMessage } from '../../src/core/agent/conversation.js';
import { BudgetLedger } from '../../src/core/budget/ledger.js';
import { SummaryBuilder } from '../../src/core/budget/summary.js';
import type { ReviewFinding } from '../../src/core/build/review-report.js';
import { checkReviewFindings } from '../../src/core/build/review-rounds.js';
import type { ReviewRequest } from '../../src/core/build/task-runner-ports.js';
import { DEFAULT_SETTINGS } from '../../src/core/config/settings.schema.js';
import type { ContentBlock, ModelProvider, ModelRequest, ProviderEvent } from '../../src/core/provider/types.js';
import type { AgentRunRequest, AgentRuntimePort, ProjectStorePort } from '../../src/core/session/ports.js';

/*
 * The reviewer adapter over a scripted AgentRuntimePort, then over the real agent runtime
 * (real agents/ and rules/, the real price table) with a scripted ModelProvider port in place
 * of the model: no SDK, no network.
 */

const INSTALL_DIR = path.resolve(import.meta.dirname, '..', '..');
const REPORT = { stage: 'spec', verdict: 'changes_requested', findings: [{ severity: 'important', file: 'src/sum.mjs', line: 2, problem: 'Wrong sign.', fix: 'Return a + b.' }] };

let root: string;
let projectDir: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'codesleuth-review-'));
  projectDir = path.join(root, 'project');
  await mkdir(path.join(projectDir, 'src'), { recursive: true });
  await writeFile(path.join(projectDir, 'src', 'sum.mjs'), 'export function sum(a, b) {\n  return Math.abs(a) + b;\n}\n');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function context(): ReviewerRunContext {
  return { projectId: 'proj-1', projectPath: projectDir, context: [{ name: 'TDD.md', text: '# TDD' }], signal: new AbortController().signal, approve: async () => 'no' };
}

function request(overrides: Partial<ReviewRequest> = {}): ReviewRequest & { events: AgentEvent[] } {
  const events: AgentEvent[] = [];
  return { taskId: 'TASK-003', stage: 'spec', round: 1, messages: [userMessage('Review TASK-003 — stage 1 of 2, spec compliance.')], onEvent: (e) => events.push(e), events, ...overrides };
}

/** A runtime that records its requests and ends every run with `end`. */
function scriptedRuntime(end: (request: AgentRunRequest) => AgentOutcome): Pick<AgentRuntimePort, 'run'> & { requests: AgentRunRequest[] } {
  const requests: AgentRunRequest[] = [];
  return {
    requests,
    async run(req) {
      requests.push(req);
      return end(req);
    },
  };
}

describe('reviewerFromRuntime', () => {
  it('runs a task review: stage building, purpose task-review, the task id, the reviewer\'s own conversation', async () => {
    const runtime = scriptedRuntime((req) => ({ kind: 'finished', tool: 'report_review', toolUseId: 'r1', input: REPORT, messages: req.messages }));
    const req = request();
    const outcome = await reviewerFromRuntime(runtime, context()).review(req);

    expect(outcome).toEqual({ kind: 'reported', report: REPORT, messages: req.messages });
    const sent = runtime.requests[0]!;
    expect(sent).toMatchObject({ stage: 'building', purpose: 'task-review', task: 'TASK-003', projectId: 'proj-1', projectPath: projectDir });
    expect(sent.messages).toBe(req.messages);
    expect(sent.context).toEqual([{ name: 'TDD.md', text: '# TDD' }]);
    sent.onEvent({ type: 'turn_start', turn: 1 });
    expect(req.events).toEqual([{ type: 'turn_start', turn: 1 }]);
  });

  it.each([
    ['a prose reply', { kind: 'reply', text: 'Looks good to me.', stopReason: 'end_turn' }, { kind: 'unreported', reason: 'it replied without calling report_review: "Looks good to me."' }],
    ['another finishing tool', { kind: 'finished', tool: 'report_status', toolUseId: 'x', input: {} }, { kind: 'unreported', reason: 'it finished with report_status instead of report_review' }],
    ['an invalid report', { kind: 'finished', tool: 'report_review', toolUseId: 'x', input: { stage: 'spec', verdict: 'changes_requested', findings: [] } }, { kind: 'unreported', reason: 'its report_review input is not valid' }],
    ['the turn limit', { kind: 'max_turns', turns: 60 }, { kind: 'unreported', reason: 'it used its 60 turns without calling report_review' }],
    ['a failure', { kind: 'failed', error: { kind: 'overloaded', message: 'The API is overloaded.', hint: 'Try again.' } }, { kind: 'unreported', reason: 'its run failed: The API is overloaded. (Try again.)' }],
    ['a budget refusal', { kind: 'budget_refused', message: 'The budget of $5.00 is spent.' }, { kind: 'budget_refused', message: 'The budget of $5.00 is spent.' }],
    ['an abort', { kind: 'aborted' }, { kind: 'aborted' }],
  ] as const)('maps %s to a review outcome that cannot pass', async (_title, ending, expected) => {
    const runtime = scriptedRuntime((req) => ({ ...ending, messages: req.messages }) as AgentOutcome);
    const req = request();
    expect(await reviewerFromRuntime(runtime, context()).review(req)).toEqual({ ...expected, messages: req.messages });
  });

  it('turns a throw into an unreported review, never a pass', async () => {
    const runtime = scriptedRuntime(() => {
      throw new Error('socket closed');
    });
    expect(await reviewerFromRuntime(runtime, context()).review(request())).toMatchObject({ kind: 'unreported', reason: 'its run threw: socket closed' });
  });
});

describe('taskFileIndex', () => {
  it('answers for the files as they are at each call, so a fix between rounds is seen', async () => {
    const index = taskFileIndex(projectDir);
    expect(await index.lineCount('src/sum.mjs')).toBe(3);
    await writeFile(path.join(projectDir, 'src', 'sum.mjs'), 'export function sum(a, b) {\n  // fixed\n  return a + b;\n}\n');
    expect(await index.lineCount('src/sum.mjs')).toBe(4);
    expect(await index.lineCount('src/ghost.mjs')).toBeUndefined();
    expect(await index.lineCount('../outside.txt')).toBeUndefined();
  });

  it('checks a report\'s citations against the task\'s work dir (reviewPortsFor)', async () => {
    const { fileIndex } = reviewPortsFor(scriptedRuntime(() => ({ kind: 'aborted', messages: [] })), context());
    const cited: ReviewFinding = { severity: 'important', file: 'src/sum.mjs', line: 2, problem: 'Wrong sign.', fix: 'Return a + b.' };
    const checked = await checkReviewFindings({ stage: 'spec', verdict: 'changes_requested', findings: [cited, { ...cited, line: 9 }] }, fileIndex);
    expect(checked.accepted).toHaveLength(1);
    expect(checked.rejected.map((r) => r.reason)).toEqual(['finding 2: `src/sum.mjs:9`: the file has 3 lines, so line 9 does not exist']);
  });
});

describe('the agent runtime in task-review mode', () => {
  const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 };

  function scriptedProvider(...turns: ContentBlock[][]): ModelProvider & { requests: ModelRequest[] } {
    const requests: ModelRequest[] = [];
    return {
      requests,
      async *stream(req): AsyncIterable<ProviderEvent> {
        requests.push(req);
        const content = turns[requests.length - 1];
        if (content === undefined) throw new Error(`no scripted turn ${requests.length}`);
        yield { type: 'message_end', stopReason: content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn', usage, content };
      },
    };
  }

  function runtimeWith(provider: ModelProvider, home: string) {
    const written: string[] = [];
    const projects = {
      writeArtifact: async (_id: string, name: string) => void written.push(name),
    } as unknown as ProjectStorePort;
    const spending = new SummaryBuilder();
    const runtime = createAgentRuntime({
      installDir: INSTALL_DIR,
      homeDir: home,
      settings: DEFAULT_SETTINGS,
      access: { apiKey: 'sk-test-not-used', baseURL: undefined, modelOverride: undefined, missingKey: 'no key' },
      ledger: new BudgetLedger(),
      spending,
      projects,
      sessionId: 'session-1',
      now: () => new Date('2025-02-03T04:05:06.000Z'),
      provider: async () => provider,
    });
    return { runtime, written, spending };
  }

  it('runs the Critic with read-only tools and report_review as its only finishing tool, booked to building and the task', async () => {
    const home = path.join(root, 'home');
    await mkdir(home, { recursive: true });
    const provider = scriptedProvider(
      [{ type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'src/sum.mjs' } }],
      [{ type: 'tool_use', id: 't2', name: 'report_review', input: REPORT }],
    );
    const { runtime, written } = runtimeWith(provider, home);
    const req = request();
    const outcome = await reviewerFromRuntime(runtime, context()).review(req);

    expect(outcome.kind, JSON.stringify(outcome)).toBe('reported');
    if (outcome.kind === 'reported') expect(outcome.report).toEqual(REPORT);
    const first = provider.requests[0]!;
    expect(first.agent).toBe('critic');
    expect(first.task).toBe('TASK-003');
    expect(first.tools.map((t) => t.name).sort()).toEqual(['glob', 'grep', 'list_files', 'read_file', 'report_review']);
    const system = first.system.map((b) => b.text).join('\n');
    expect(system).toContain('Stage: building.');
    expect(system).toContain('Mode: task review.');
    expect(system).toContain('<artifact name="TDD.md">');
    // The read_file call really read the project, and its result went back to the model.
    expect(JSON.stringify(provider.requests[1]!.messages)).toContain('Math.abs(a) + b');
    expect(req.events.some((e) => e.type === 'tool_result' && e.name === 'read_file' && !e.isError)).toBe(true);
    expect(written).toEqual([]);
    // The spend is the building stage's, by the critic, for the task.
    const telemetry = path.join(home, 'artifacts', 'proj-1', 'telemetry');
    const [file] = await readdir(telemetry);
    const line = JSON.parse((await readFile(path.join(telemetry, file!), 'utf8')).trim().split('\n')[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ stage: 'building', agent: 'critic', task: 'TASK-003' });
  });

  it('refuses a write tool in task-review mode (the reviewer cannot change the work)', async () => {
    const home = path.join(root, 'home');
    await mkdir(home, { recursive: true });
    const provider = scriptedProvider(
      [{ type: 'tool_use', id: 't1', name: 'bash', input: { command: 'echo hacked > src/sum.mjs' } }],
      [{ type: 'text', text: 'I could not run that.' }],
    );
    const { runtime } = runtimeWith(provider, home);
    const req = request();
    const outcome = await reviewerFromRuntime(runtime, context()).review(req);
    expect(outcome).toMatchObject({ kind: 'unreported', reason: 'it replied without calling report_review: "I could not run that."' });
    expect(req.events).toContainEqual(expect.objectContaining({ type: 'tool_result', name: 'bash', isError: true, display: 'bash: unknown tool' }));
    expect(JSON.stringify(provider.requests[1]!.messages)).toContain('Unknown tool \\"bash\\"');
    expect(await readFile(path.join(projectDir, 'src', 'sum.mjs'), 'utf8')).toContain('Math.abs');
  });
});
