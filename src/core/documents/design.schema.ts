import { z } from 'zod';
import type { StructuredToolSpec } from '../agent/structured-tools.js';
import { codeBlock, singleLine, textBlock } from './text-fields.js';

/** What kind of boundary an interface entry is. */
export const INTERFACE_KINDS = ['http', 'cli', 'module', 'event', 'ui'] as const;
export type InterfaceKind = (typeof INTERFACE_KINDS)[number];

/** Adds an issue for each repeated `key` in a list, pointing at the later entry. */
function uniqueBy<T>(what: string, key: (item: T) => string, field: string) {
  return (items: readonly T[], ctx: z.RefinementCtx): void => {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const value = key(item);
      const first = seen.get(value);
      if (first === undefined) seen.set(value, index);
      else ctx.addIssue({ code: 'custom', path: [index, field], message: `${what} "${value}" is listed twice (also entry ${first + 1}); give each its own name or merge them` });
    });
  };
}

export const moduleSchema = z.strictObject({
  name: singleLine('the module name').describe('A module or component name, e.g. "api" or "src/store".'),
  responsibility: singleLine('the responsibility').describe('What it owns, in one line.'),
});

/** TDD.md: the technical design. */
export const tddSchema = z.strictObject({
  stack: z.array(singleLine('a stack entry')).min(1, 'name at least one stack entry').describe('Languages, frameworks, test runner, with versions and the reason, one per item.'),
  architecture: textBlock('the architecture').describe('Components, data flow, where state lives, how errors surface, configuration, security decisions, testing, packaging. Markdown without headings.'),
  modules: z.array(moduleSchema).min(1, 'list at least one module').superRefine(uniqueBy('module', (m) => m.name, 'name')),
  risks: z.array(singleLine('a risk')).describe('Risks and how the plan handles them; [] when none.'),
});

export const interfaceSchema = z.strictObject({
  name: singleLine('the interface name').describe('e.g. "create task" or "tidy add".'),
  kind: z.enum(INTERFACE_KINDS).describe('http, cli, module, event or ui.'),
  signature: codeBlock('the signature').describe('The exact signature: route and body, command and flags, function type, event payload. Shown as code.'),
  description: textBlock('the description').describe('Inputs, outputs and errors, precise enough to write a test against. Markdown without headings.'),
});

export const fieldSchema = z.strictObject({
  name: singleLine('the field name'),
  type: singleLine('the field type'),
  constraints: singleLine('the constraints').optional().describe('e.g. "primary key", "not null, unique"; leave out when none.'),
});

export const entitySchema = z.strictObject({
  name: singleLine('the entity name'),
  fields: z.array(fieldSchema).min(1, 'give the entity at least one field').superRefine(uniqueBy('field', (f) => f.name, 'name')),
});

/** SCHEMA.md: the persistent data. */
export const dataSchemaSchema = z.strictObject({
  entities: z.array(entitySchema).min(1, 'list at least one entity').superRefine(uniqueBy('entity', (e) => e.name, 'name')),
});

/** INTERFACES.md: every boundary the Builder must honour. */
export const interfacesSchema = z
  .array(interfaceSchema)
  .min(1, 'list at least one interface')
  .superRefine(uniqueBy('interface', (i) => i.name, 'name'));

/** The input of `write_design`. `schema` is left out when nothing is persisted. */
export const designSchema = z.strictObject({
  tdd: tddSchema,
  interfaces: interfacesSchema,
  schema: dataSchemaSchema.optional().describe('The persistent data; leave out when the product stores nothing.'),
});

export type Tdd = z.output<typeof tddSchema>;
export type InterfaceEntry = z.output<typeof interfaceSchema>;
export type DataSchema = z.output<typeof dataSchemaSchema>;
export type Design = z.output<typeof designSchema>;

/**
 * write_design: the Planner's design documents (TDD.md, INTERFACES.md and, when there is data,
 * SCHEMA.md), rendered by the runtime.
 *
 * `finishing: true` because the agent loop knows only finishing and pausing structured tools,
 * and a pausing one would put the design to the person as a question. agents/02-planner.md
 * calls write_task_graph after it, so the loop needs a "record and go on" kind (or a second
 * Planner run) before both can happen in one run.
 */
export const WRITE_DESIGN_TOOL: StructuredToolSpec<Design> = {
  name: 'write_design',
  description:
    'Write the technical design: tdd (stack, architecture, modules, risks), interfaces (each with name, kind, signature, ' +
    'description) and schema (entities with fields) when the product stores data. The runtime validates it and renders ' +
    'TDD.md, INTERFACES.md and SCHEMA.md; never write those files yourself. When revising, send the whole design again.',
  schema: designSchema,
  finishing: true,
};
