import type { Stage } from './stages.js';

/** A problem found in an artifact's content; `line` is 1-based when known. */
export interface ArtifactProblem {
  readonly line?: number;
  readonly message: string;
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
  readonly validate: (text: string) => ArtifactProblem[];
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

function requireTaskRows(text: string): ArtifactProblem[] {
  if (text.trim() === '') return [{ message: 'the file is empty' }];
  return /\bTASK-\d{3,}\b/.test(text) ? [] : [{ message: 'no task (TASK-001, ...) is listed' }];
}

/**
 * The artifacts the gates look at. Later stages tighten `validate` (structured specs, the
 * task-graph parser); the gate table below only names them.
 */
export const ARTIFACTS: Readonly<Record<string, ArtifactSpec>> = {
  'feature-spec.md': {
    name: 'feature-spec.md',
    description: 'the feature specification',
    producedIn: 'discovery',
    validate: requireHeadings(['Summary', 'Users', 'Features']),
  },
  'TDD.md': {
    name: 'TDD.md',
    description: 'the technical design',
    producedIn: 'planning',
    validate: requireHeadings(['Stack', 'Architecture']),
  },
  'INTERFACES.md': {
    name: 'INTERFACES.md',
    description: 'the public interfaces',
    producedIn: 'planning',
    validate: (text) => (text.trim() === '' ? [{ message: 'the file is empty' }] : []),
  },
  'TASK-GRAPH.md': {
    name: 'TASK-GRAPH.md',
    description: 'the task graph',
    producedIn: 'planning',
    validate: requireTaskRows,
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
};

export function artifactSpec(name: string): ArtifactSpec {
  const spec = ARTIFACTS[name];
  if (!spec) throw new Error(`unknown artifact ${name}`);
  return spec;
}
