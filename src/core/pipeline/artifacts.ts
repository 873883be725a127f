import { parseDataSchema } from '../documents/data-schema-doc.js';
import { parseFeatureSpec } from '../documents/feature-spec.js';
import { parseInterfaces } from '../documents/interfaces-doc.js';
import type { ParseResult } from '../documents/problems.js';
import { parseTdd } from '../documents/tdd-doc.js';
import type { FindingSeverity, SecurityFinding } from '../security/finding.js';
import { verifyGate } from '../security/gate.js';
import { parseSastJsonl } from '../security/security-report.js';
import { checkTaskGraphText } from '../task-graph/check-task-graph.js';
import type { Stage } from './stages.js';

/** A problem found in an artifact's content; `line` is 1-based when known. */
export interface ArtifactProblem {
  readonly line?: number;
  readonly message: string;
  /**
   * True when the file reads as it should and what it says shuts the gate (an open CRITICAL
   * finding): the refusal then names what to deal with, not a file to rewrite.
   */
  readonly blocks?: boolean;
}

/** Everything the runtime knows about one artifact it has read, handed to the gate guards. */
export type ArtifactEvidence =
  | { readonly name: string; readonly status: 'missing' }
  | { readonly name: string; readonly status: 'invalid'; readonly sha256: string; readonly problems: readonly ArtifactProblem[] }
  | { readonly name: string; readonly status: 'valid'; readonly sha256: string };

/** The static description of an artifact a stage must produce. */
export interface ArtifactSpec {
  readonly name: string;
  readonly description: string;
  readonly producedIn: Stage;
  /** Pure content check; an empty list means the artifact validates. */
  readonly validate: (text: string, options?: ValidateOptions) => ArtifactProblem[];
}

/** What a content check may need from the loaded rules. */
export interface ValidateOptions {
  /** Severities that keep `!verify` shut while open (the rule's `blocking` list); CRITICAL when absent. */
  readonly blocking?: readonly FindingSeverity[];
}

function requireHeadings(headings: readonly string[]): (text: string) => ArtifactProblem[] {
  return (text) => {
    const problems: ArtifactProblem[] = [];
    if (text.trim() === '') return [{ message: 'the file is empty' }];
    const found = new Set(
      text
        .split(/\r?\n/)
        .map((line) => /^#{1,3}\s+(.+?)\s*$/.exec(line)?.[1]?.toLowerCase())
        .filter((h): h is string => h !== undefined),
    );
    for (const heading of headings) {
      if (!found.has(heading.toLowerCase())) problems.push({ message: `missing the section "## ${heading}"` });
    }
    return problems;
  };
}

/** A document parser as a validator: no problems when it reads, else every line-numbered problem. */
function problemsOf(parse: (text: string) => ParseResult<unknown>): (text: string) => ArtifactProblem[] {
  return (text) => {
    const result = parse(text);
    return result.ok ? [] : [...result.problems];
  };
}

function checkTaskGraph(text: string): ArtifactProblem[] {
  const result = checkTaskGraphText(text);
  return result.ok ? [] : [...result.problems];
}

/**
 * SAST_FINDINGS.jsonl keeps `!verify` shut while a finding at a blocking severity is open:
 * every such finding is a problem naming it and the two ways out. A line that is not a
 * finding is a problem too, so a hand edit cannot open the gate by breaking the file.
 */
function checkSastFindings(text: string, options: ValidateOptions = {}): ArtifactProblem[] {
  const out: ArtifactProblem[] = [];
  const lineOf = new Map<SecurityFinding, number>();
  const findings: SecurityFinding[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const one = parseSastJsonl(raw);
    for (const p of one.problems) out.push({ line: index + 1, message: `${p.message}; restore the file or run the security review again` });
    for (const finding of one.findings) {
      findings.push(finding);
      lineOf.set(finding, index + 1);
    }
  });
  const gate = verifyGate(findings, options.blocking ? { blocking: options.blocking } : {});
  for (const finding of gate.blocking) {
    const unreasoned = finding.status === 'accepted' ? ' (accepted without a written reason, so still open)' : '';
    out.push({
      line: lineOf.get(finding)!,
      blocks: true,
      message:
        `open ${finding.severity} finding ${finding.id}${unreasoned}: ${finding.title} at ${finding.file}:${finding.line}. ` +
        `Type !security fix to turn it into a fix task, or !security accept ${finding.id} <reason> to accept the risk in writing`,
    });
  }
  return out;
}

/**
 * The artifacts the gates look at. The Discovery and Planning documents are rendered by the
 * runtime from structured tools and read back here with their full parsers (a person may have
 * edited them); the later reports still get a heading check. The gate table only names them.
 */
export const ARTIFACTS: Readonly<Record<string, ArtifactSpec>> = {
  'feature-spec.md': {
    name: 'feature-spec.md',
    description: 'the feature specification',
    producedIn: 'discovery',
    validate: problemsOf(parseFeatureSpec),
  },
  'TDD.md': {
    name: 'TDD.md',
    description: 'the technical design',
    producedIn: 'planning',
    validate: problemsOf(parseTdd),
  },
  'INTERFACES.md': {
    name: 'INTERFACES.md',
    description: 'the public interfaces',
    producedIn: 'planning',
    validate: problemsOf(parseInterfaces),
  },
  'SCHEMA.md': {
    name: 'SCHEMA.md',
    description: 'the data schema (only when the product stores data)',
    producedIn: 'planning',
    validate: problemsOf(parseDataSchema),
  },
  'TASK-GRAPH.md': {
    name: 'TASK-GRAPH.md',
    description: 'the task graph',
    producedIn: 'planning',
    validate: checkTaskGraph,
  },
  'BUILD_REPORT.md': {
    name: 'BUILD_REPORT.md',
    description: 'the build report',
    producedIn: 'building',
    validate: requireHeadings(['Tasks']),
  },
  'CRITICISM.md': {
    name: 'CRITICISM.md',
    description: 'the Critic scorecard',
    producedIn: 'critique',
    validate: requireHeadings(['Verdict']),
  },
  'SECURITY_REPORT.md': {
    name: 'SECURITY_REPORT.md',
    description: 'the security report',
    producedIn: 'security',
    validate: requireHeadings(['Findings']),
  },
  'SAST_FINDINGS.jsonl': {
    name: 'SAST_FINDINGS.jsonl',
    description: 'the security findings (one JSON line each)',
    producedIn: 'security',
    validate: checkSastFindings,
  },
};

export function artifactSpec(name: string): ArtifactSpec {
  const spec = ARTIFACTS[name];
  if (!spec) throw new Error(`unknown artifact ${name}`);
  return spec;
}
