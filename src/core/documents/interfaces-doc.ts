import { INTERFACE_KINDS, interfacesSchema, type InterfaceEntry } from './design.schema.js';
import { blockFrom, clip, fenceFor, fenceTracker, firstContentLine, isBlank, spanOf, type Section, type Span } from './markdown.js';
import { itemSections } from './sections.js';
import { LineMap, problemsFromIssues, sortProblems, type LineProblem, type ParseResult } from './problems.js';

/*
 * INTERFACES.md, rendered from write_design's `interfaces`. One section per entry:
 *
 *   ## create task (http)
 *
 *   ```
 *   POST /api/tasks {"title": string} -> 201 Task
 *   ```
 *
 *   Description in prose.
 */

export const INTERFACES_FILE = 'INTERFACES.md';

const NOTE =
  '<!-- Written by CodeSleuth from the write_design tool. You may edit it by hand: each interface is a "## name (kind)" ' +
  `heading (kind: ${INTERFACE_KINDS.join(', ')}), its signature in a code block, then its description. -->`;

/** Pure: the interfaces as INTERFACES.md. */
export function renderInterfaces(entries: readonly InterfaceEntry[]): string {
  const out = ['# Interfaces', '', NOTE, ''];
  for (const entry of entries) {
    const fence = fenceFor(entry.signature);
    out.push(`## ${entry.name} (${entry.kind})`, '', fence, entry.signature, fence, '', entry.description, '');
  }
  return out.join('\n');
}

const HEADING = new RegExp(`^(.*\\S)\\s*\\((${INTERFACE_KINDS.join('|')})\\)$`, 'i');

/** Pure: reads INTERFACES.md back, with every problem and its line. */
export function parseInterfaces(text: string): ParseResult<InterfaceEntry[]> {
  if (text.trim() === '') return { ok: false, problems: [{ message: 'the file is empty' }] };
  const lines = new LineMap();
  const { sections, problems } = itemSections(text, 'each interface is a "## name (kind)" section');
  const skip = new Set<string>();
  if (sections.length === 0) {
    problems.push({ message: 'no interface is listed; add a "## name (kind)" section for each one' });
  }
  const raw = sections.map((section, index) => readEntry(section, index, lines, problems, skip));
  const parsed = interfacesSchema.safeParse(raw);
  if (parsed.success && problems.length === 0) return { ok: true, value: parsed.data };
  const issues = parsed.success || sections.length === 0 ? [] : problemsFromIssues(parsed.error.issues, lines, describePath, skip);
  return { ok: false, problems: sortProblems([...problems, ...issues]) };
}

function readEntry(section: Section, index: number, lines: LineMap, problems: LineProblem[], skip: Set<string>): Record<string, string> {
  lines.set([index], section.line);
  const heading = HEADING.exec(section.heading);
  if (!heading) {
    skip.add(`${index}.kind`);
    problems.push({
      line: section.line,
      message: `expected an interface heading "## name (kind)" with kind one of ${INTERFACE_KINDS.join(', ')}, found "## ${clip(section.heading)}"; add the kind in parentheses at the end`,
    });
  }
  const body = section.body;
  let at = body.start;
  while (at < body.end && isBlank(body.lines[at]!)) at++;
  const signature = readFence(body, at);
  if (!signature) {
    skip.add(`${index}.signature`);
    const line = at < body.end ? at + 1 : section.line;
    problems.push({ line, message: `${section.heading}: expected the signature in a code block (a line of three backticks, the signature, three backticks) right under the heading` });
  } else {
    lines.set([index, 'signature'], at + 1);
  }
  const rest = spanOf(body.lines, signature ? signature.end : at, body.end);
  lines.set([index, 'description'], firstContentLine(rest) ?? section.line);
  return {
    name: heading?.[1] ?? section.heading,
    kind: heading?.[2]?.toLowerCase() ?? '',
    signature: signature?.code ?? '',
    description: blockFrom(rest),
  };
}

/** The fenced block starting at index `start`: its content and the index after its closing fence. */
function readFence(body: Span, start: number): { code: string; end: number } | undefined {
  if (start >= body.end) return undefined;
  const fences = fenceTracker();
  if (!fences.step(body.lines[start]!)) return undefined;
  for (let i = start + 1; i < body.end; i++) {
    fences.step(body.lines[i]!);
    if (!fences.open) return { code: blockFrom(spanOf(body.lines, start + 1, i)), end: i + 1 };
  }
  return undefined;
}

function describePath(path: readonly PropertyKey[]): string {
  const [index, field] = path;
  if (typeof index !== 'number') return 'the interfaces';
  return `interface ${index + 1}${field === undefined ? '' : ` ${String(field)}`}`;
}
