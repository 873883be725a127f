import { z } from 'zod';
import type { StructuredToolSpec } from '../agent/structured-tools.js';
import { singleLine, textBlock } from './text-fields.js';

/** F-01, F-02, ... F-100: the id a feature keeps for the whole project. */
export const FEATURE_ID_PATTERN = /^F-\d{2,}$/;

const item = (what: string) => singleLine(what);

/** One feature: something a user can do, and how anyone can tell it works. */
export const featureSchema = z
  .strictObject({
    id: z.string().regex(FEATURE_ID_PATTERN, 'expected an id such as F-01 (F, a dash, two or more digits)').describe('F-01, F-02, ...'),
    name: singleLine('the feature name').describe('A short name, one line.'),
    description: textBlock('the feature description').describe('What a user can do, in the person\'s terms; Markdown without headings.'),
    acceptance_criteria: z
      .array(item('an acceptance criterion'))
      .min(1, 'give at least one acceptance criterion that can be observed from outside')
      .describe('Observable checks, one line each ("Given ..., when ..., then ...").'),
  })
  .describe('A feature');

/** The input of `write_feature_spec`, and what feature-spec.md holds. */
export const featureSpecSchema = z
  .strictObject({
    summary: textBlock('the summary').describe('What is being built, for whom and why, in a few sentences.'),
    users: z.array(item('a user')).min(1, 'name at least one kind of user').describe('Who uses it, one kind of user per item.'),
    features: z.array(featureSchema).min(1, 'describe at least one feature').describe('The features, each with acceptance criteria.'),
    data: z.array(item('a data item')).describe('What is stored, what is personal or sensitive, who may see what. [] when nothing is stored.'),
    non_functional: z.array(item('a non-functional need')).describe('Performance, accessibility, offline use, languages, platform constraints ...'),
    out_of_scope: z.array(item('an out-of-scope item')).describe('What this version explicitly does not do.'),
    open_questions: z.array(item('an open question')).describe('Unresolved questions and labelled assumptions.'),
  })
  .superRefine((spec, ctx) => {
    const seen = new Map<string, number>();
    spec.features.forEach((feature, index) => {
      const first = seen.get(feature.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['features', index, 'id'],
          message: `${feature.id} is already the id of feature ${first + 1} ("${spec.features[first]!.name}"); give each feature its own id`,
        });
      } else seen.set(feature.id, index);
    });
  });

/** A validated feature specification. */
export type FeatureSpec = z.output<typeof featureSpecSchema>;

/** One validated feature. */
export type Feature = z.output<typeof featureSchema>;

/** write_feature_spec: Discovery's finishing tool; the runtime renders feature-spec.md from it. */
export const WRITE_FEATURE_SPEC_TOOL: StructuredToolSpec<FeatureSpec> = {
  name: 'write_feature_spec',
  description:
    'Write the complete feature specification and end your run. The runtime validates it and renders feature-spec.md; ' +
    'never write that file yourself. Every feature needs an id (F-01, F-02, ...), a name, a description and at least one ' +
    'acceptance criterion. List fields take one line per item; use [] for an empty list. When revising, send the whole spec again.',
  schema: featureSpecSchema,
  finishing: true,
};
