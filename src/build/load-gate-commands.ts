import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { detectGateCommands, packageJsonSubsetSchema, SET_HINT, type GateCommand, type GateDetection } from '../core/build/gate-commands.js';
import { detectFromProjectFiles, makefileName, type ProjectFiles } from '../core/build/gate-detection.js';
import { gateScriptsOf } from '../core/build/gate-scripts.js';
import { errorMessage } from '../core/errors.js';

/**
 * Detects the project's gate commands: from `<projectDir>/package.json` when there is one (and
 * it gives a gate or a problem), else from its other files (Cargo.toml, go.mod, Python files,
 * a Makefile). An unreadable or invalid package.json becomes `problem` (with no commands),
 * never a throw: the person then sets the gate commands with !gates.
 */
export async function loadGateCommands(projectDir: string): Promise<GateDetection> {
  const file = path.join(projectDir, 'package.json');
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      return { commands: [], notes: [], problem: `could not read ${file}: ${errorMessage(error)}; fix it, or type ${SET_HINT}` };
    }
  }
  if (text === undefined) return detectFromProjectFiles(await readProjectFiles(projectDir));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { commands: [], notes: [], problem: `${file} is not valid JSON (${errorMessage(error)}); fix it, or type ${SET_HINT}` };
  }
  const fromPackage = detectGateCommands(json);
  if (fromPackage.commands.length > 0 || fromPackage.problem !== undefined) return fromPackage;
  const fromFiles = detectFromProjectFiles(await readProjectFiles(projectDir));
  return fromFiles.commands.length > 0 ? fromFiles : fromPackage;
}

/** What gate detection reads from a project's top folder (missing or unreadable files are left out). */
export async function readProjectFiles(projectDir: string): Promise<ProjectFiles> {
  const names = await readdir(projectDir).catch(() => [] as string[]);
  const textOf = (name: string) => readFile(path.join(projectDir, name), 'utf8').catch(() => undefined);
  const testFiles = names.includes('tests') ? await readdir(path.join(projectDir, 'tests')).catch(() => [] as string[]) : [];
  const makefile = makefileName(names);
  const requirementFiles = names.filter((name) => /^requirements[\w.-]*\.txt$/.test(name)).sort();
  const requirements = (await Promise.all(requirementFiles.map(textOf))).filter((t) => t !== undefined);
  const pyproject = names.includes('pyproject.toml') ? await textOf('pyproject.toml') : undefined;
  const makeText = makefile !== undefined ? await textOf(makefile) : undefined;
  return {
    names,
    pythonTests: testFiles.some((name) => name.endsWith('.py')),
    ...(makeText !== undefined ? { makefile: makeText } : {}),
    ...(pyproject !== undefined ? { pyproject } : {}),
    ...(requirements.length > 0 ? { requirements: requirements.join('\n') } : {}),
  };
}

/**
 * The scripts of `<projectDir>/package.json` ({} when it is missing, unreadable, not JSON or
 * has no valid scripts: the gates then say what is wrong, this only compares script bodies).
 */
export async function loadPackageScripts(projectDir: string): Promise<Record<string, string>> {
  try {
    const parsed = packageJsonSubsetSchema.safeParse(JSON.parse(await readFile(path.join(projectDir, 'package.json'), 'utf8')));
    return parsed.success ? { ...parsed.data.scripts } : {};
  } catch {
    // Missing or not JSON: no scripts to compare; loadGateCommands reports the problem to the person.
    return {};
  }
}

/** The bodies of the package.json scripts the gates run: `override`'s commands, else the detected ones. */
export async function loadGateScripts(projectDir: string, override?: readonly GateCommand[]): Promise<Record<string, string>> {
  const commands = override ?? (await loadGateCommands(projectDir)).commands;
  return gateScriptsOf(commands, await loadPackageScripts(projectDir));
}
