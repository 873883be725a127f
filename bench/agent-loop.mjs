// Per-turn overhead of runAgent against a raw SDK loop making the same calls: the same cassette
// of N turns (one tool call each, then report_status) on a zero-latency fake server, the same
// system prompt, tools and cache breakpoints, the same tool run through runTool. The code under
// test is bundled from src/ with esbuild at start (SDK included), so both loops use one copy of
// the SDK and the bench needs no build step of its own.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { build } from 'esbuild';
import { INSTALL_DIR, median } from './lib/harness.mjs';

const GOAL_RATIO = 1.1;
const MODEL = 'claude-sonnet-4-6';
const AGENT = 'bench';
const SYSTEM = 'You are the Builder. Call echo once per turn, then report_status.';
const MAX_TOKENS = 1_000;

const ENTRY = `
export { driveAgent, runAgent } from './src/core/agent/agent-loop.js';
export { BASE_STRUCTURED_TOOLS, toToolSpec } from './src/core/agent/structured-tools.js';
export { defineTool, runTool } from './src/core/tools/run-tool.js';
export { okResult } from './src/core/tools/types.js';
export { createAnthropicProvider } from './src/providers/anthropic/anthropic-provider.js';
export { startFakeServer } from './src/fake-server/server.js';
export { z } from 'zod';
export { default as Anthropic } from '@anthropic-ai/sdk';
`;

/** Bundles the entry above into a temp folder and imports it; returns the module and a cleanup. */
async function loadBundle() {
  const dir = await mkdtemp(path.join(tmpdir(), 'codesleuth-bench-agent-'));
  const outfile = path.join(dir, 'agent-loop-bundle.mjs');
  await build({
    stdin: { contents: ENTRY, resolveDir: INSTALL_DIR, loader: 'ts', sourcefile: 'bench-entry.ts' },
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __csCreateRequire } from 'node:module'; const require = __csCreateRequire(import.meta.url);" },
  });
  const mod = await import(pathToFileURL(outfile).href);
  return { mod, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function cassette(turns) {
  const list = [];
  for (let i = 0; i < turns; i++) {
    list.push({ agent: AGENT, content: [{ type: 'tool_use', name: 'echo', input: { text: `turn ${i}` } }] });
  }
  list.push({ agent: AGENT, content: [{ type: 'tool_use', name: 'report_status', input: { status: 'DONE', summary: 'done' } }] });
  return { turns: list };
}

function echoTool(mod) {
  return mod.defineTool({
    name: 'echo',
    description: 'Echoes its text.',
    schema: mod.z.strictObject({ text: mod.z.string() }),
    execute: async (input) => mod.okResult(input.text, `echo ${input.text}`),
  });
}

const toolContext = { projectRoot: INSTALL_DIR, approve: async () => 'no' };
const firstMessage = () => [{ role: 'user', content: [{ type: 'text', text: 'Go.' }] }];

/** runAgent with an allow-all budget guard; returns the turns it made. */
async function runOurs(mod, url, turns) {
  const provider = mod.createAnthropicProvider({ apiKey: 'sk-bench', baseURL: url, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
  let calls = 0;
  const outcome = await mod.driveAgent(
    mod.runAgent({
      provider,
      agent: { id: AGENT, model: MODEL, maxTokens: MAX_TOKENS, maxTurns: turns + 5, system: [{ text: SYSTEM, cache: true }] },
      tools: [echoTool(mod)],
      structuredTools: mod.BASE_STRUCTURED_TOOLS,
      messages: firstMessage(),
      toolContext,
      budget: { beforeCall: () => ({ kind: 'allow' }), afterCall: () => { calls += 1; } },
    }),
  );
  if (outcome.kind !== 'finished') throw new Error(`runAgent ended with ${outcome.kind}`);
  return calls;
}

const EPHEMERAL = { type: 'ephemeral' };

/** The loop a person would write on the bare SDK: same requests, cache breakpoints and tool runs. */
async function runRaw(mod, url) {
  const client = new mod.Anthropic({ apiKey: 'sk-bench', baseURL: url, maxRetries: 0, authToken: null, logLevel: 'off' });
  const echo = echoTool(mod);
  const specs = [{ name: echo.name, description: echo.description, inputSchema: echo.jsonSchema }, ...mod.BASE_STRUCTURED_TOOLS.map(mod.toToolSpec)];
  const tools = specs.map((spec, i) => ({
    name: spec.name,
    description: spec.description,
    input_schema: { ...spec.inputSchema, type: 'object' },
    ...(i === specs.length - 1 ? { cache_control: EPHEMERAL } : {}),
  }));
  const system = [{ type: 'text', text: SYSTEM, cache_control: EPHEMERAL }];
  const messages = firstMessage();
  for (let calls = 1; ; calls++) {
    // Breakpoint on the last block of the last user message, as the provider places it.
    const wire = messages.map((message, index) => ({
      role: message.role,
      content: message.content.map((block, at) => (index === messages.length - 1 && at === message.content.length - 1 ? { ...block, cache_control: EPHEMERAL } : block)),
    }));
    const stream = await client.messages.create(
      { model: MODEL, max_tokens: MAX_TOKENS, system, tools, messages: wire, stream: true },
      { headers: { 'x-codesleuth-agent': AGENT }, maxRetries: 0 },
    );
    const open = [];
    for await (const event of stream) {
      if (event.type === 'content_block_start') {
        const block = event.content_block;
        open[event.index] = block.type === 'tool_use' ? { type: 'tool_use', id: block.id, name: block.name, json: '' } : { type: 'text', text: block.text ?? '' };
      } else if (event.type === 'content_block_delta') {
        const block = open[event.index];
        if (event.delta.type === 'input_json_delta') block.json += event.delta.partial_json;
        else if (event.delta.type === 'text_delta') block.text += event.delta.text;
      }
    }
    const content = open.map((block) =>
      block.type === 'tool_use' ? { type: 'tool_use', id: block.id, name: block.name, input: block.json === '' ? {} : JSON.parse(block.json) } : block,
    );
    messages.push({ role: 'assistant', content });
    const uses = content.filter((block) => block.type === 'tool_use');
    if (uses.some((use) => use.name === 'report_status')) return calls;
    const results = [];
    for (const use of uses) {
      const result = await mod.runTool(echo, use.input, toolContext);
      results.push({ type: 'tool_result', tool_use_id: use.id, content: result.llmContent, is_error: result.isError });
    }
    messages.push({ role: 'user', content: results });
  }
}

// A full collection before each timed run, so neither loop pays for the other's garbage.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc');

async function timed(mod, turns, loop) {
  const server = await mod.startFakeServer({ cassette: cassette(turns) });
  try {
    collectGarbage();
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const calls = await loop(server.url);
    const cpu = process.cpuUsage(cpuStart);
    const ms = performance.now() - started;
    if (calls !== turns + 1) throw new Error(`expected ${turns + 1} calls, made ${calls}`);
    return { wallMs: ms / calls, cpuMs: (cpu.user + cpu.system) / 1000 / calls };
  } finally {
    await server.close();
  }
}

/**
 * Rounds alternate which loop goes first, after one discarded warm-up of each. Wall time is the
 * goal's measure; process CPU time (client and in-process server together) is shown beside it
 * because it moves far less when other processes load the machine.
 */
export async function benchAgentLoop({ rounds = 7, turns = 200, log = () => undefined } = {}) {
  const { mod, cleanup } = await loadBundle();
  try {
    const ours = (url) => runOurs(mod, url, turns);
    const raw = (url) => runRaw(mod, url);
    await timed(mod, turns, ours);
    await timed(mod, turns, raw);
    const oursRuns = [];
    const rawRuns = [];
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        oursRuns.push(await timed(mod, turns, ours));
        rawRuns.push(await timed(mod, turns, raw));
      } else {
        rawRuns.push(await timed(mod, turns, raw));
        oursRuns.push(await timed(mod, turns, ours));
      }
      const [o, r] = [oursRuns.at(-1), rawRuns.at(-1)];
      log(`agent loop ${i + 1}/${rounds}: runAgent ${o.wallMs.toFixed(3)} ms/turn (cpu ${o.cpuMs.toFixed(3)}), raw SDK ${r.wallMs.toFixed(3)} ms/turn (cpu ${r.cpuMs.toFixed(3)})`);
    }
    // Paired: each round's two runs are back to back, so load from other processes hits both alike.
    const ratioOf = (key) => median(oursRuns.map((run, i) => run[key] / rawRuns[i][key]));
    const wallRatio = ratioOf('wallMs');
    const cpuRatio = ratioOf('cpuMs');
    const ms = (runs, key) => `${median(runs.map((run) => run[key])).toFixed(2)} ms`;
    return [
      { name: `runAgent per turn, wall / cpu (median of ${rounds} rounds × ${turns + 1} turns)`, value: `${ms(oursRuns, 'wallMs')} / ${ms(oursRuns, 'cpuMs')}`, goal: '', status: '' },
      { name: 'raw SDK loop per turn, wall / cpu (same cassette and calls)', value: `${ms(rawRuns, 'wallMs')} / ${ms(rawRuns, 'cpuMs')}`, goal: '', status: '' },
      { name: 'runAgent ÷ raw SDK loop, cpu time (median of per-round ratios; no goal)', value: `${cpuRatio.toFixed(2)}×`, goal: '', status: '' },
      { name: 'runAgent ÷ raw SDK loop, wall time (median of per-round ratios)', value: `${wallRatio.toFixed(2)}×`, goal: `≤ ${GOAL_RATIO.toFixed(2)}×`, status: wallRatio <= GOAL_RATIO ? 'PASS' : 'MISS' },
    ];
  } finally {
    await cleanup();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const verbose = process.argv.includes('--verbose');
  const rows = await benchAgentLoop({ log: verbose ? (line) => process.stderr.write(`  ${line}\n`) : undefined });
  for (const row of rows) console.log(`${row.name}: ${row.value}${row.goal ? `  (goal ${row.goal}) ${row.status}` : ''}`);
}
