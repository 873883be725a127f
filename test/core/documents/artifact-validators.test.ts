import { describe, expect, it } from 'vitest';
import { renderDesign } from '../../../src/core/documents/design.js';
import { designSchema } from '../../../src/core/documents/design.schema.js';
import { renderFeatureSpec } from '../../../src/core/documents/feature-spec.js';
import { featureSpecSchema } from '../../../src/core/documents/feature-spec.schema.js';
import { ARTIFACTS, artifactSpec } from '../../../src/core/pipeline/artifacts.js';
import { renderTaskGraph } from '../../../src/core/task-graph/render-task-graph.js';
import { graph, task } from '../task-graph/graph-fixtures.js';

// The gate validators in src/core/pipeline/artifacts.ts are these parsers; this checks the
// wiring from the documents' side (test/core/pipeline belongs to the pipeline's owners).

const spec = featureSpecSchema.parse({
  summary: 'A to-do list.',
  users: ['Teams'],
  features: [{ id: 'F-01', name: 'Lists', description: 'Keep lists.', acceptance_criteria: ['A new list appears at the top'] }],
  data: [],
  non_functional: [],
  out_of_scope: [],
  open_questions: [],
});

const design = designSchema.parse({
  tdd: { stack: ['TypeScript'], architecture: 'One process.', modules: [{ name: 'core', responsibility: 'everything' }], risks: [] },
  interfaces: [{ name: 'add', kind: 'cli', signature: 'tidy add <title>', description: 'Adds a task.' }],
  schema: { entities: [{ name: 'Task', fields: [{ name: 'id', type: 'uuid' }] }] },
});

describe('artifact validators', () => {
  it('accept what the runtime renders', () => {
    expect(artifactSpec('feature-spec.md').validate(renderFeatureSpec(spec))).toEqual([]);
    for (const document of renderDesign(design)) expect(artifactSpec(document.file).validate(document.text), document.file).toEqual([]);
    expect(artifactSpec('TASK-GRAPH.md').validate(renderTaskGraph(graph(task('TASK-001'), task('TASK-002', { depends_on: ['TASK-001'] }))))).toEqual([]);
  });

  it('report graph problems of TASK-GRAPH.md on the rows they concern', () => {
    const text = renderTaskGraph(graph(task('TASK-001', { output_files: [] }), task('TASK-002', { depends_on: ['TASK-007'] })));
    expect(artifactSpec('TASK-GRAPH.md').validate(text)).toEqual([
      { line: 9, message: 'TASK-001 lists no output files; list the project files TASK-001 creates or changes' },
      { line: 10, message: 'TASK-002 depends on TASK-007, which is not in the graph; add TASK-007 as a task, or remove it from the dependencies of TASK-002' },
    ]);
  });

  it('know SCHEMA.md as a Planning artifact', () => {
    expect(ARTIFACTS['SCHEMA.md']).toMatchObject({ producedIn: 'planning' });
    expect(artifactSpec('SCHEMA.md').validate('# Data schema\n')).toEqual([{ message: 'no entity is listed; add a "## Name" section with a table of fields for each one' }]);
  });
});
