import type { GateCommand } from './gate-commands.js';

/*
 * The bodies of the package.json scripts the gates run. The gate commands are `npm test` or
 * `npm run lint`, so what a gate checks is whatever the script says, and a task can edit the
 * script. The build records the bodies when it first sees them (HANDOFF.json build.gateScripts);
 * a task whose work changes a recorded body still has its gates run, but the change becomes a
 * concern on that task, shown with its receipts, in its commit and report, and to its reviewer.
 */

/** Script name → script body, for the scripts the gate commands run. */
export type GateScripts = Readonly<Record<string, string>>;

/** The package.json script a gate command runs (`npm test`, `npm run lint`, `pnpm run build`...), if it runs one. */
export function scriptOfCommand(command: string): string | undefined {
  const words = command.trim().split(/\s+/);
  const [tool, verb, name] = words;
  if (tool !== 'npm' && tool !== 'pnpm' && tool !== 'yarn') return undefined;
  if (verb === 'test' || verb === 't') return 'test';
  if ((verb === 'run' || verb === 'run-script') && name !== undefined && /^[\w:.-]+$/.test(name)) return name;
  return undefined;
}

/** The bodies of the scripts `commands` run, from package.json's `scripts` (a script it lacks is left out). */
export function gateScriptsOf(commands: readonly GateCommand[], scripts: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const gate of commands) {
    const name = scriptOfCommand(gate.command);
    if (name !== undefined && Object.hasOwn(scripts, name)) out[name] = scripts[name]!;
  }
  return out;
}

/** A recorded gate script whose body a task's work changed (`after` undefined: it removed the script). */
export interface GateScriptChange {
  readonly name: string;
  readonly before: string;
  readonly after: string | undefined;
}

/**
 * The recorded scripts `current` no longer matches. `current` is every script of the task's
 * package.json, so a removed gate script shows too. A script not recorded yet is new, not a change.
 */
export function gateScriptChanges(recorded: GateScripts, current: Readonly<Record<string, string>>): GateScriptChange[] {
  return Object.keys(recorded)
    .sort()
    .filter((name) => current[name] !== recorded[name])
    .map((name) => ({ name, before: recorded[name]!, after: current[name] }));
}

/** The concern a changed gate script puts on the task: the old and the new script, and what the gates ran. */
export function gateScriptConcern(change: GateScriptChange): string {
  const was = `it was \`${change.before}\``;
  if (change.after === undefined) return `This task removed the gate script "${change.name}" from package.json (${was}); the runtime could not run that gate as recorded. Check that the task did not weaken its own gates.`;
  return `This task changed the gate script "${change.name}" in package.json: ${was}, now \`${change.after}\`. The gates ran the new script; check that the task did not weaken its own gates.`;
}

/**
 * The gate scripts to record after a task is DONE: those it created are added, those it
 * changed or removed take its version (the concern is on that task), the others stay.
 * `base` is what was recorded when the task started, so a task that started before another
 * changed a script does not undo that change.
 */
export function nextGateScripts(recorded: GateScripts, base: GateScripts, current: GateScripts): Record<string, string> {
  const next: Record<string, string> = { ...recorded };
  for (const name of new Set([...Object.keys(base), ...Object.keys(current)])) {
    if (base[name] === current[name]) continue;
    if (current[name] === undefined) delete next[name];
    else next[name] = current[name];
  }
  return next;
}
