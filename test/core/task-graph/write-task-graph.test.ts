import { describe, expect, it } from 'vitest';
import { toInputJsonSchema, validateStructuredInput } from '../../../src/core/agent/structured-tools.js';
import { parseTaskGraph } from '../../../src/core/task-graph/parse-task-graph.js';
import { renderTaskGraph } from '../../../src/core/task-graph/render-task-graph.js';
import { graphFromPlan, WRITE_TASK_GRAPH_TOOL, writeTaskGraphSchema } from '../../../src/core/task-graph/write-task-graph.js';

const planned = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: `  Work   for ${id} `,
  description: `Implement ${id}.\r\n\r\n`,
  acceptance_criteria: [`${id} works`],
  output_files: [` src/${id}.ts `],
  depends_on: [],
  size: 'M',
  ...extra,
});

describe('write_task_graph', () => {
  it('normalises the input, starts every task PENDING, and renders a file that reads back', () => {
    const input = writeTaskGraphSchema.parse({ tasks: [planned('TASK-001'), planned('TASK-002', { depends_on: ['TASK-001'] })] });
    expect(input.tasks[0]).toMatchObject({ title: 'Work for TASK-001', description: 'Implement TASK-001.', output_files: ['src/TASK-001.ts'] });
    const graph = graphFromPlan(input);
    expect(graph.tasks.map((t) => t.status)).toEqual(['PENDING', 'PENDING']);
    const reread = parseTaskGraph(renderTaskGraph(graph));
    expect(reread.ok && reread.graph).toEqual(graph);
  });

  it('tells the model every graph problem with its fix, on the task it concerns', () => {
    const checked = validateStructuredInput(WRITE_TASK_GRAPH_TOOL, {
      tasks: [planned('TASK-001', { depends_on: ['TASK-002'] }), planned('TASK-002', { depends_on: ['TASK-001'], acceptance_criteria: [] })],
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.message).toContain('- tasks.0: the tasks depend on each other in a cycle: TASK-001 → TASK-002 → TASK-001');
    expect(checked.message).toContain('- tasks.1: TASK-002 has no acceptance criteria; add at least one criterion a reviewer can check to TASK-002');
  });

  it('refuses fields that would break the file, with a reason', () => {
    const result = writeTaskGraphSchema.safeParse({
      tasks: [planned('TASK-1', { description: 'Intro\n## Heading', output_files: ['/etc/passwd', 'a,b.ts'], size: 'XXL', extra: true })],
    });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining([
        'tasks.0: Unrecognized key: "extra"',
        'tasks.0.id: expected a task id such as TASK-001 (TASK, a dash, three or more digits)',
        'tasks.0.description: the description: the line "## Heading" would read as a Markdown heading and split the document; reword it or remove the leading "#"',
        'tasks.0.output_files.0: "/etc/passwd" is absolute; give the path relative to the project folder',
        'tasks.0.output_files.1: "a,b.ts" contains a line break, a backtick or a comma; name one project-relative file per entry',
      ]),
    );
  });

  it('is a finishing structured tool whose JSON Schema the model can read', () => {
    expect(WRITE_TASK_GRAPH_TOOL.finishing).toBe(true);
    const json = toInputJsonSchema(WRITE_TASK_GRAPH_TOOL.schema) as { properties: { tasks: { items: { required: string[] } } } };
    expect(json.properties.tasks.items.required).toEqual(['id', 'title', 'description', 'acceptance_criteria', 'output_files', 'depends_on', 'size']);
  });
});
