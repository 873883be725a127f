import { z } from 'zod';
import { formatZodIssues } from '../tools/run-tool.js';

/*
 * The project's own checks, which decide whether a task is DONE. They are read from the
 * project's package.json (never from what an agent says it ran) and a person may replace
 * the list; the Builder's receipts are the exit codes of exactly these commands.
 */

/** One gate: a short name for reports and the shell command line that runs it. */
export interface GateCommand {
  readonly name: string;
  readonly command: string;
}

/** The gates looked for, in the order they run: cheap checks first, the build last. */
export const GATE_ORDER = ['lint', 'typecheck', 'test', 'build'] as const;
/** One of GATE_ORDER. */
export type GateName = (typeof GATE_ORDER)[number];

/** Script names that count as each gate, first match wins. */
const SCRIPT_NAMES: Readonly<Record<GateName, readonly string[]>> = {
  lint: ['lint'],
  typecheck: ['typecheck', 'tsc', 'type-check'],
  test: ['test'],
  build: ['build'],
};

/**
 * The part of package.json this module reads. Not strict: a package.json has many other
 * fields, and only `scripts` matters here.
 */
export const packageJsonSubsetSchema = z.object({
  scripts: z.record(z.string(), z.string()).optional(),
});

/** What `npm init` writes for `test`: a script that always fails, so it is no gate. */
const NPM_INIT_TEST = /^echo "Error: no test specified" && exit 1$/;

/** What the person types to set a gate themselves. */
export const SET_HINT = '!gates set test <command>';

/** The detected gates, with notes on what was left out and why (for the person at the gate). */
export interface GateDetection {
  readonly commands: readonly GateCommand[];
  readonly notes: readonly string[];
  /** Where each detected gate came from, by gate name (`package.json script "test": vitest run`, `Cargo.toml`). */
  readonly sources?: Readonly<Record<string, string>>;
  /** Set when package.json could not be read as expected; `commands` is then empty. */
  readonly problem?: string;
}

/**
 * Pure: the gate commands from a parsed package.json (`unknown`, validated here). `test`
 * runs as `npm test`, the others as `npm run <script>`, in GATE_ORDER.
 */
export function detectGateCommands(packageJson: unknown): GateDetection {
  const parsed = packageJsonSubsetSchema.safeParse(packageJson);
  if (!parsed.success) {
    return {
      commands: [],
      notes: [],
      problem: `package.json is not what was expected:\n${formatZodIssues(parsed.error)}\n"scripts" should map script names to command strings; fix package.json, or type ${SET_HINT}.`,
    };
  }
  const scripts = parsed.data.scripts ?? {};
  const commands: GateCommand[] = [];
  const notes: string[] = [];
  const sources: Record<string, string> = {};
  for (const gate of GATE_ORDER) {
    const script = SCRIPT_NAMES[gate].find((name) => Object.hasOwn(scripts, name) && scripts[name]!.trim() !== '');
    if (script === undefined) continue;
    if (gate === 'test' && NPM_INIT_TEST.test(scripts[script]!.trim())) {
      notes.push('the "test" script is the npm init placeholder that always fails; it is not used as a gate');
      continue;
    }
    commands.push({ name: gate, command: gate === 'test' ? 'npm test' : `npm run ${script}` });
    sources[gate] = `package.json script "${script}": ${scripts[script]!.trim()}`;
  }
  if (commands.length === 0) {
    notes.push(`no lint, typecheck, test or build script found in package.json; add one, or type ${SET_HINT}`);
  }
  return { commands, notes, sources };
}

/** The shape a person's override is stored in: `[{ "name": "test", "command": "make check" }, ...]`. */
export const gateCommandsSchema = z
  .array(
    z.strictObject({
      name: z
        .string()
        .trim()
        .min(1, 'a gate name must not be empty')
        .regex(/^[\w.:-]+$/, 'a gate name is one word (letters, digits, "_", "-", ".", ":")'),
      command: z
        .string()
        .trim()
        .min(1, 'a gate command must not be empty')
        .refine((c) => !/[\r\n]/.test(c), 'a gate command is one line'),
    }),
  )
  .min(1, 'give at least one gate command')
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((gate, i) => {
      if (seen.has(gate.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `the gate name "${gate.name}" is used twice` });
      seen.add(gate.name);
    });
  });

/** A validated override, or the message for the person. */
export type GateCommandsResult = { readonly ok: true; readonly commands: readonly GateCommand[] } | { readonly ok: false; readonly message: string };

/** Validates a stored override; `source` names the file for the message. */
export function parseGateCommands(raw: unknown, source: string): GateCommandsResult {
  const parsed = gateCommandsSchema.safeParse(raw);
  if (parsed.success) return { ok: true, commands: parsed.data };
  return {
    ok: false,
    message: `${source}: the gate commands are not valid:\n${formatZodIssues(parsed.error)}\nExpected a list of {"name", "command"} objects, e.g. [{"name": "test", "command": "npm test"}].`,
  };
}

/** The commands that gate the build: the person's override when there is one, else the detected ones. */
export function effectiveGateCommands(detected: GateDetection, override?: readonly GateCommand[]): readonly GateCommand[] {
  return override ?? detected.commands;
}
