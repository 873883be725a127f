// The sandbox between the agent and the disk, end to end: what the policy denies comes back to
// the model as an is_error tool result (the next request says so) and the person sees it in
// the transcript; nothing of a secret file reaches the model.
//
// No 'ask' test here: the only stages the runtime drives are Discovery and Planning, whose
// agents may have read_file, list_files, glob and grep only (the stage contract in
// src/core/agents/stage-contract.ts refuses bash, write_file and edit_file even in a home
// override), and the runtime builds their tools with DEFAULT_POLICY, where every read is
// either allowed (inside the project) or denied (outside it, or a secret file). No approval
// prompt can be reached with the shipped agents.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, makeHome, spawnCli } from '../helpers/pty-cli.js';
import { bodyOf, closeFakeModels, createProjectInRepl, invalidCalls, messageCalls, modelEnv, startFakeModel, writeSettings } from '../helpers/fake-model.js';

afterEach(async () => {
  await cleanup();
  await closeFakeModels();
});

const SECRET = 'DATABASE_PASSWORD=hunter2-must-not-reach-the-model';
const README = 'Inventory for the bike shop: parts, bins and counts.';

/** A project directory that already holds a README and a .env file. */
function projectWithSecrets(root: string): string {
  const dir = path.join(root, 'bikeshop');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, '.env'), `${SECRET}\n`);
  writeFileSync(path.join(dir, 'README.md'), `${README}\n`);
  return dir;
}

interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  is_error?: boolean;
  content: unknown;
}

describe('the sandbox in an agent run', () => {
  it('hands denied reads back to the model as is_error results and shows them to the person', async () => {
    const server = await startFakeModel('sandbox');
    const h = makeHome({ setupComplete: true });
    writeSettings(h.home);
    const dir = projectWithSecrets(h.root);
    const cli = spawnCli({ home: h.home, env: modelEnv(server) });

    await createProjectInRepl(cli, dir);
    await cli.waitFor('Let me look at what is already there.');
    // Each call is shown, then its outcome; the two refusals say they were denied.
    await cli.waitFor('⚙ read_file ../../../../../../etc/passwd');
    await cli.waitFor('↳ read_file: denied /etc/passwd');
    await cli.waitFor('⚙ read_file .env');
    await cli.waitFor('↳ read_file: denied .env');
    await cli.waitFor('⚙ read_file README.md');
    await cli.waitFor('↳ Read README.md (1 lines)');
    await cli.waitFor('Two of those were off limits, so I will ask instead: who uses the tool?');

    const calls = messageCalls(server, 'discovery');
    expect(calls).toHaveLength(2);
    expect(invalidCalls(server)).toEqual([]);
    const last = bodyOf(calls[1]!).messages.at(-1)!;
    expect(last.role).toBe('user');
    const results = (last.content as unknown as ToolResultBlock[]).filter((b) => b.type === 'tool_result');
    const byId = new Map(results.map((r) => [r.tool_use_id, r]));
    expect([...byId.keys()].sort()).toEqual(['toolu_dotenv01', 'toolu_outside01', 'toolu_readme01']);

    const outside = byId.get('toolu_outside01')!;
    expect(outside.is_error).toBe(true);
    expect(JSON.stringify(outside.content)).toContain('Denied by the sandbox policy');
    expect(JSON.stringify(outside.content)).toContain('outside the project root');

    const dotenv = byId.get('toolu_dotenv01')!;
    expect(dotenv.is_error).toBe(true);
    expect(JSON.stringify(dotenv.content)).toContain('Denied by the sandbox policy');
    expect(JSON.stringify(dotenv.content)).toContain('looks like a secret file');

    const readme = byId.get('toolu_readme01')!;
    expect(readme.is_error ?? false).toBe(false);
    expect(JSON.stringify(readme.content)).toContain(README);

    // Neither the secret nor the system's password file reached the model in any request.
    for (const call of server.requests) {
      const body = JSON.stringify(call.body);
      expect(body).not.toContain('hunter2');
      expect(body).not.toContain('root:x:0:0');
    }
  });
});
