import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineTool, MAX_LLM_CONTENT_CHARS, runTool, truncateMiddle } from '../../src/core/tools/run-tool.js';
import type { ToolContext } from '../../src/core/tools/types.js';

const ctx: ToolContext = { projectRoot: '/p', approve: async () => 'no' };

const echo = defineTool({
  name: 'echo',
  description: 'echo',
  schema: z.strictObject({ text: z.string(), times: z.number().int().min(1).default(1) }),
  execute: async (input) => ({ llmContent: input.text.repeat(input.times), display: 'echoed', isError: false }),
});

describe('defineTool', () => {
  it('derives the JSON Schema the model sees from the zod schema', () => {
    expect(echo.jsonSchema).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string' }, times: { type: 'integer', minimum: 1 } },
      required: ['text'],
      additionalProperties: false,
    });
    expect(echo.jsonSchema).not.toHaveProperty('$schema');
  });
});

describe('runTool', () => {
  it('runs valid input, with defaults applied', async () => {
    expect(await runTool(echo, { text: 'ab', times: 2 }, ctx)).toEqual({ llmContent: 'abab', display: 'echoed', isError: false });
    expect((await runTool(echo, { text: 'x' }, ctx)).llmContent).toBe('x');
  });

  it.each([
    [{ text: 42 }, 'text', 'expected string'],
    [{}, 'text', 'expected string'],
    [{ text: 'a', times: 0 }, 'times', '>=1'],
    [{ text: 'a', extra: true }, '(input)', 'extra'],
    ['not an object', '(input)', 'expected object'],
  ])('turns bad input %j into an is_error result naming the field', async (input, field, message) => {
    const execute = vi.spyOn(echo, 'execute');
    const result = await runTool(echo, input, ctx);
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain('Invalid input for tool echo');
    expect(result.llmContent).toContain(`- ${field}:`);
    expect(result.llmContent).toContain(message);
    expect(execute).not.toHaveBeenCalled();
    execute.mockRestore();
  });

  it('catches anything the tool throws and hands it to the model', async () => {
    const boom = defineTool({
      name: 'boom',
      description: 'throws',
      schema: z.object({}),
      execute: async () => {
        throw new Error('disk on fire');
      },
    });
    const result = await runTool(boom, {}, ctx);
    expect(result).toMatchObject({ isError: true, llmContent: 'Tool boom failed: disk on fire' });
  });

  it('does not start a tool whose call was already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const execute = vi.fn();
    const tool = defineTool({ name: 't', description: '', schema: z.object({}), execute });
    const result = await runTool(tool, {}, { ...ctx, signal: controller.signal });
    expect(result.isError).toBe(true);
    expect(execute).not.toHaveBeenCalled();
  });

  it('truncates what the model reads in one place, head and tail kept, with a marker', async () => {
    const long = `${'a'.repeat(MAX_LLM_CONTENT_CHARS)}${'z'.repeat(1000)}`;
    const result = await runTool(echo, { text: long }, ctx);
    expect(result.llmContent.startsWith('aaaa')).toBe(true);
    expect(result.llmContent.endsWith('zzzz')).toBe(true);
    expect(result.llmContent).toContain(`[... 1000 of ${long.length} characters cut from the middle of this output ...]`);
    expect(result.display).toBe('echoed');
  });
});

describe('truncateMiddle', () => {
  it('leaves short text alone', () => {
    expect(truncateMiddle('abc', 10)).toBe('abc');
  });

  it('keeps 60% from the start and 40% from the end', () => {
    const out = truncateMiddle('0123456789ABCDEFGHIJ', 10);
    expect(out.startsWith('012345\n')).toBe(true);
    expect(out.endsWith('\nGHIJ')).toBe(true);
    expect(out).toContain('10 of 20 characters cut');
  });
});
