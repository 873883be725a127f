import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { detectGateCommands, packageJsonSubsetSchema, type GateCommand, type GateDetection } from '../core/build/gate-commands.js';
import { gateScriptsOf } from '../core/build/gate-scripts.js';
import { errorMessage } from '../core/errors.js';

/**
 * Reads `<projectDir>/package.json` and detects its gate commands. A missing or unreadable
 * file, or one that is not JSON, becomes `problem` (with no commands), never a throw: the
 * person then sets the gate commands by hand.
 */
export async function loadGateCommands(projectDir: string): Promise<GateDetection> {
  const file = path.join(projectDir, 'package.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      commands: [],
      notes: [],
      problem: missing
        ? `${file} does not exist; set the gate commands by hand (e.g. [{"name": "test", "command": "make test"}])`
        : `could not read ${file}: ${errorMessage(error)}`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { commands: [], notes: [], problem: `${file} is not valid JSON (${errorMessage(error)}); fix it or set the gate commands by hand` };
  }
  return detectGateCommands(json);
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
