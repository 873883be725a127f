import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { detectGateCommands, type GateDetection } from '../core/build/gate-commands.js';
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
