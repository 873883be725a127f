import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { loadCassette, parseCassette } from '../../src/fake-server/cassette.js';

const example = fileURLToPath(new URL('../fixtures/cassettes/example.json', import.meta.url));

function failure(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

async function failureAsync(run: () => Promise<unknown>): Promise<UserError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('cassette loading', () => {
  it('loads the example fixture and fills in defaults', async () => {
    const cassette = await loadCassette(example);
    expect(cassette.turns.map((turn) => turn.agent)).toEqual(['discovery', 'discovery', 'planner']);
    const inline = parseCassette({ turns: [{ content: [{ type: 'text', text: 'hi' }] }] }, '<inline>');
    expect(inline.turns[0]?.agent).toBe('default');
  });

  it('names the source and the exact field of an unknown key', () => {
    const error = failure(() =>
      parseCassette({ turns: [{ agent: 'x', content: [{ type: 'text', text: 'a' }], stopReason: 'end_turn' }] }, 'c.json'),
    );
    expect(error.message).toContain('c.json');
    expect(error.message).toContain('turns[0].stopReason: unknown field');
    expect(error.exitCode).toBe(2);
  });

  it('names the field of a bad fault kind and of a non-object tool input', () => {
    const error = failure(() =>
      parseCassette(
        {
          turns: [
            { content: [{ type: 'text', text: 'a' }], fault: { kind: 'explode' } },
            { content: [{ type: 'tool_use', name: 'report_status', input: 'done' }] },
          ],
        },
        'bad.json',
      ),
    );
    expect(error.message).toContain('turns[0].fault.kind');
    expect(error.message).toContain('rate_limit');
    expect(error.message).toContain('turns[1].content[0].input');
  });

  it('reports every problem at once, not just the first', () => {
    const error = failure(() => parseCassette({ turns: [{ content: [] }, { agent: '', content: [{ type: 'text', text: 'x' }] }] }, 'two.json'));
    expect(error.message).toContain('turns[0].content');
    expect(error.message).toContain('turns[1].agent');
  });

  it('says when the file is not JSON or does not exist', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cassette-'));
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{ "turns": [ }');
    expect((await failureAsync(() => loadCassette(broken))).message).toContain(`Cassette ${broken} is not valid JSON`);
    const missing = join(dir, 'nope.json');
    expect((await failureAsync(() => loadCassette(missing))).message).toContain(`Cannot read cassette ${missing}`);
  });
});
