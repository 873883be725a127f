import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { UserError } from '../core/errors.js';
import {
  API_ERROR_STATUS,
  MAX_CACHE_BREAKPOINTS,
  apiErrorBody,
  countCacheBreakpoints,
  countTokensBodySchema,
  describeIssues,
  messagesBodySchema,
  type ApiErrorType,
  type MessagesBody,
} from './api-shapes.js';
import { PromptCache, promptParts } from './cache-accounting.js';
import { loadCassette, parseCassette, type Cassette, type CassetteTurn } from './cassette.js';
import { encodeSse, messageBody, streamEvents, type Reply, type ReplyBlock } from './sse.js';
import { DEFAULT_AGENT, TurnScript } from './turn-script.js';

/** Where the fake server listens and what it replays. */
export interface FakeServerOptions {
  /** A cassette object, or the path of a cassette JSON file. */
  readonly cassette: Cassette | string;
  /** 0 or omitted: pick a free port. */
  readonly port?: number;
  /** Loopback only: '127.0.0.1' (default), '::1' or 'localhost'. */
  readonly host?: string;
}

/** One request as the server received it, minus credentials. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** Lower-cased header names; x-api-key and authorization are left out. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body, the raw text when it was not JSON, undefined when empty. */
  readonly body: unknown;
  /** The agent the request was attributed to. */
  readonly agent: string;
}

/** A running fake server. `requests` grows as requests arrive. */
export interface FakeServer {
  /** Base URL for the SDK's `baseURL`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Turns not yet played, per agent. */
  remainingTurns(): Record<string, number>;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
const SECRET_HEADERS = new Set(['x-api-key', 'authorization', 'proxy-authorization']);
const MAX_BODY_BYTES = 32 * 1024 * 1024;

function recordHeaders(request: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || SECRET_HEADERS.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const piece of request) {
    const buffer = piece as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, type: ApiErrorType, message: string, headers: Record<string, string> = {}): void {
  sendJson(response, API_ERROR_STATUS[type], apiErrorBody(type, message), headers);
}

function write(response: ServerResponse, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    response.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** Starts a real HTTP server on loopback that speaks the Messages API from a cassette. */
export async function startFakeServer(options: FakeServerOptions): Promise<FakeServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new UserError(`The fake server binds loopback only; got host "${host}".`, {
      hint: 'Use 127.0.0.1 (the default).',
      exitCode: 2,
    });
  }
  const source = typeof options.cassette === 'string' ? options.cassette : '<inline cassette>';
  const cassette =
    typeof options.cassette === 'string' ? await loadCassette(options.cassette) : parseCassette(options.cassette, source);
  const script = new TurnScript(cassette, source);
  const cache = new PromptCache();
  const requests: RecordedRequest[] = [];
  const lifetime = new AbortController();
  let sequence = 0;

  const nextId = (prefix: string): string => `${prefix}fake${String(++sequence).padStart(8, '0')}`;

  const toReply = (turn: CassetteTurn, body: MessagesBody): Reply => {
    const content: ReplyBlock[] = turn.content.map((block) =>
      block.type === 'text'
        ? { type: 'text', text: block.text }
        : { type: 'tool_use', id: block.id ?? nextId('toolu_'), name: block.name, input: block.input },
    );
    const stopReason = turn.stop_reason ?? (content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn');
    const usage = cache.account(body.model, promptParts(body));
    return { id: nextId('msg_'), model: body.model, content, stopReason, usage };
  };

  const streamReply = async (response: ServerResponse, reply: Reply, cutAfter: number | undefined): Promise<void> => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': nextId('req_') });
    const events = streamEvents(reply);
    // A cut scripted at or past the end still breaks before message_stop, so the fault is real.
    const cutAt = cutAfter === undefined ? undefined : Math.min(cutAfter, events.length - 1);
    let sent = 0;
    for (const event of events) {
      if (cutAt !== undefined && sent >= cutAt) {
        // Break the connection mid-body, as a dropped network link would.
        response.socket?.destroy();
        return;
      }
      if (response.destroyed) return;
      await write(response, encodeSse(event));
      sent += 1;
    }
    response.end();
  };

  /** The task id the conversation's first message names (`Implement TASK-002: ...`), if any. */
  const laneOf = (body: MessagesBody): string | undefined => {
    const first = body.messages[0];
    const text = typeof first?.content === 'string' ? first.content : (first?.content ?? []).map((b) => ('text' in b && typeof b.text === 'string' ? b.text : '')).join('\n');
    return /\bTASK-\d{3,}\b/.exec(text)?.[0];
  };

  const handleMessages = async (response: ServerResponse, body: MessagesBody, agent: string): Promise<void> => {
    const decision = script.next(agent, laneOf(body));
    // A 400, not a 5xx: the script will not grow a reply if the request is sent again.
    if (decision.kind === 'missing') return sendError(response, 'invalid_request_error', decision.message);
    if (decision.kind === 'fail') {
      const fault = decision.fault;
      if (fault.kind === 'rate_limit') {
        const headers: Record<string, string> =
          fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
        return sendError(response, 'rate_limit_error', 'Fake server: scripted rate limit.', headers);
      }
      if (fault.kind === 'overloaded') return sendError(response, 'overloaded_error', 'Fake server: scripted overload.');
      return sendError(response, 'api_error', 'Fake server: scripted internal server error.');
    }
    if (decision.delayMs > 0) {
      const gone = new AbortController();
      response.on('close', () => gone.abort());
      const stop = AbortSignal.any([gone.signal, lifetime.signal]);
      try {
        await delay(decision.delayMs, undefined, { signal: stop });
      } catch {
        return; // the client hung up or the server is closing
      }
    }
    const reply = toReply(decision.turn, body);
    if (body.stream === true) return streamReply(response, reply, decision.cutAfterEvents);
    if (decision.cutAfterEvents !== undefined) {
      response.socket?.destroy();
      return;
    }
    sendJson(response, 200, messageBody(reply), { 'request-id': nextId('req_') });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const method = request.method ?? 'GET';
    const agentHeader = request.headers['x-codesleuth-agent'];
    const agent = typeof agentHeader === 'string' && agentHeader !== '' ? agentHeader : DEFAULT_AGENT;
    const raw = await readBody(request);
    let body: unknown = raw === '' ? undefined : raw;
    let parsed = false;
    try {
      if (raw !== '') body = JSON.parse(raw);
      parsed = raw !== '';
    } catch {
      // keep the raw text in the record; answered below
    }
    requests.push({ method, path, headers: recordHeaders(request), body, agent });

    const isMessages = path === '/v1/messages';
    const isCount = path === '/v1/messages/count_tokens';
    if (method !== 'POST' || (!isMessages && !isCount)) {
      return sendError(response, 'not_found_error', `Fake server: no route for ${method} ${path}.`);
    }
    if (request.headers['x-api-key'] === undefined && request.headers.authorization === undefined) {
      return sendError(response, 'authentication_error', 'x-api-key header is required');
    }
    if (!parsed) return sendError(response, 'invalid_request_error', 'The request body is not valid JSON.');
    const result = (isCount ? countTokensBodySchema : messagesBodySchema).safeParse(body);
    if (!result.success) return sendError(response, 'invalid_request_error', describeIssues(result.error));
    const valid = result.data as MessagesBody;
    const breakpoints = countCacheBreakpoints(valid);
    if (breakpoints > MAX_CACHE_BREAKPOINTS) {
      return sendError(
        response,
        'invalid_request_error',
        `A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints}.`,
      );
    }
    if (isCount) {
      const tokens = promptParts(valid).reduce((sum, part) => sum + part.tokens, 0);
      return sendJson(response, 200, { input_tokens: tokens });
    }
    return handleMessages(response, valid, agent);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendError(response, 'api_error', `Fake server bug: ${error instanceof Error ? error.message : String(error)}`);
      } else {
        response.destroy();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}`,
    requests,
    remainingTurns: () => script.remaining(),
    close: async () => {
      lifetime.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
