import type { GateCommand, GateDetection } from './gate-commands.js';
import { GATE_ORDER, SET_HINT } from './gate-commands.js';

/*
 * The gates of a project that is not a Node package, from the files at its top: a Makefile's
 * own targets first (the project's stated way to run its checks), then the language's tools
 * (Cargo, Go, Python). Pure: the adapter reads the files and passes what is needed here.
 */

/** What detection reads from a project without a package.json. */
export interface ProjectFiles {
  /** The names of the files and folders at the project's top. */
  readonly names: readonly string[];
  /** Whether `tests/` holds a Python file. */
  readonly pythonTests: boolean;
  /** The text of Makefile (or makefile / GNUmakefile), when there is one. */
  readonly makefile?: string;
  /** The text of pyproject.toml, when there is one. */
  readonly pyproject?: string;
  /** The text of the requirements files (requirements*.txt), joined, when there are any. */
  readonly requirements?: string;
}

/** The files this detection looks at, for the message when none is there. */
export const DETECTED_FILES = 'package.json, Cargo.toml, go.mod, pyproject.toml, setup.py, pytest.ini, tests/*.py or a Makefile with test, lint or build targets';

/** The Makefile that `make` reads, of those present (make's own order). */
export function makefileName(names: readonly string[]): string | undefined {
  return ['GNUmakefile', 'makefile', 'Makefile'].find((name) => names.includes(name));
}

/** Whether the Makefile text has a rule for `target` (`test:` at a line's start, not `test := x`). */
export function hasMakeTarget(makefile: string, target: string): boolean {
  return makefile.split(/\r?\n/).some((line) => {
    const match = /^([^\s#:=][^:=]*?)\s*::?(?!=)/.exec(line);
    return match !== null && match[1]!.split(/\s+/).includes(target);
  });
}

/** Whether pytest is named as a dependency or configured in pyproject.toml or a requirements file. */
function namesPytest(text: string | undefined): boolean {
  return text !== undefined && /(^|[^\w-])pytest([^\w-]|$)/m.test(text);
}

interface Found {
  readonly command: string;
  readonly source: string;
}

/** The language tool's gates: what each runs, and the file that made it so. */
function toolGates(files: ProjectFiles): Partial<Record<string, Found>> {
  const has = (name: string) => files.names.includes(name);
  if (has('Cargo.toml')) return { test: { command: 'cargo test', source: 'Cargo.toml' }, build: { command: 'cargo build', source: 'Cargo.toml' } };
  if (has('go.mod')) return { test: { command: 'go test ./...', source: 'go.mod' }, build: { command: 'go build ./...', source: 'go.mod' } };
  const python = ['pyproject.toml', 'setup.py', 'pytest.ini'].find(has) ?? (files.pythonTests ? 'tests/' : undefined);
  if (python === undefined) return {};
  const pytest = has('pytest.ini') || namesPytest(files.pyproject) || namesPytest(files.requirements);
  return { test: { command: pytest ? 'python3 -m pytest' : 'python3 -m unittest discover', source: pytest ? `${python} (pytest is named)` : `${python} (pytest is not named, so unittest)` } };
}

/**
 * Pure: the gates of a project without a package.json, in GATE_ORDER. Each gate comes from the
 * Makefile when it has that target, else from the language's tool; `sources` says which file.
 */
export function detectFromProjectFiles(files: ProjectFiles): GateDetection {
  const makefile = makefileName(files.names);
  const tools = toolGates(files);
  const commands: GateCommand[] = [];
  const sources: Record<string, string> = {};
  for (const gate of GATE_ORDER) {
    const made = makefile !== undefined && files.makefile !== undefined && hasMakeTarget(files.makefile, gate);
    const found: Found | undefined = made ? { command: `make ${gate}`, source: `${makefile} target "${gate}"` } : tools[gate];
    if (!found) continue;
    commands.push({ name: gate, command: found.command });
    sources[gate] = found.source;
  }
  const notes = commands.length === 0 ? [`no gate commands found (looked for ${DETECTED_FILES}); type ${SET_HINT}`] : [];
  return { commands, notes, sources };
}
