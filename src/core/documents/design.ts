import { renderDataSchema, SCHEMA_FILE } from './data-schema-doc.js';
import type { Design } from './design.schema.js';
import { INTERFACES_FILE, renderInterfaces } from './interfaces-doc.js';
import { renderTdd, TDD_FILE } from './tdd-doc.js';

/** One document the runtime writes for an agent: its file name and its text. */
export interface RenderedDocument {
  readonly file: string;
  readonly text: string;
}

/**
 * Pure: the documents of `write_design`, in the order the person reads them. SCHEMA.md is
 * present only when the design has a schema.
 */
export function renderDesign(design: Design): RenderedDocument[] {
  const documents: RenderedDocument[] = [
    { file: TDD_FILE, text: renderTdd(design.tdd) },
    { file: INTERFACES_FILE, text: renderInterfaces(design.interfaces) },
  ];
  if (design.schema !== undefined) documents.push({ file: SCHEMA_FILE, text: renderDataSchema(design.schema) });
  return documents;
}
