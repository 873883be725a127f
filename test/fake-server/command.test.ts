import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFakeServerArgs, runFakeServerCommand } from '../../src/fake-server/command.js';

const example = fileURLToPath(new URL('../fixtures/cassettes/example.json', import.meta.url));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let listening: (url: string) => void = () => {};
  const ready = new Promise<string>((resolve) => (listening = resolve));
  return {
    out,
    err,
    stop: () => stop(),
    ready,
    io: {
      out: (line: string) => {
        out.push(line);
        const match = /listening on (\S+)/.exec(line);
        if (match?.[1]) listening(match[1]);
      },
      err: (line: string) => err.push(line),
      untilStopped: () => stopped,
    },
  };
}

describe('codesleuth fake-server', () => {
  it('parses its flags', () => {
    expect(parseFakeServerArgs(['--cassette', 'a.json', '--port', '4100'])).toEqual({ cassette: 'a.json', port: 4100 });
    expect(parseFakeServerArgs(['--cassette=a.json'])).toEqual({ cassette: 'a.json', port: 0 });
    expect(() => parseFakeServerArgs([])).toThrow('--cassette is required');
    expect(() => parseFakeServerArgs(['--cassette', 'a', '--port', 'x'])).toThrow('--port must be');
    expect(() => parseFakeServerArgs(['--verbose'])).toThrow('Unknown argument "--verbose"');
  });

  it('serves a cassette, prints its URL and exits 0 when stopped', async () => {
    const run = io();
    const done = runFakeServerCommand(['--cassette', example], run.io);
    const url = await run.ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'any', 'x-codesleuth-agent': 'discovery', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    run.stop();
    expect(await done).toBe(0);
    // One discovery turn and the planner turn were never played; the operator is told.
    expect(run.err.join('\n')).toContain('unplayed turns: discovery (1), planner (1)');
  });

  it('exits 2 with the file and field when the cassette is invalid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-server-cmd-'));
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ turns: [{ agent: 'x', content: [{ type: 'txt', text: 'a' }] }] }));
    const run = io();
    expect(await runFakeServerCommand(['--cassette', file], run.io)).toBe(2);
    expect(run.err.join('\n')).toContain(file);
    expect(run.err.join('\n')).toContain('turns[0].content[0].type');
    expect(run.out).toEqual([]);
  });

  it('exits 2 on bad arguments and names the usage', async () => {
    const run = io();
    expect(await runFakeServerCommand(['--port', '1'], run.io)).toBe(2);
    expect(run.err.join('\n')).toContain('usage: codesleuth fake-server --cassette FILE');
  });
});
