import type { GateDetection } from '../build/gate-commands.js';
import { applyGatesChange, renderGates, type GatesChange } from '../build/gate-settings.js';
import { errorMessage } from '../errors.js';
import { entry, type EntryInput } from '../transcript.js';
import type { BuildState } from './build-state.js';
import type { OpenProject } from './open-project.js';

/** What `!gates` needs from the build controller. */
export interface GatesHost {
  readonly state: BuildState;
  /** The gates detected from the project's files; undefined when this session has no Builder. */
  readonly detect?: (dir: string) => Promise<GateDetection>;
  /** Whether a build is running now (its tasks keep the gates they started with). */
  running(): boolean;
  emit(input: EntryInput): void;
}

const NO_DETECTION: GateDetection = { commands: [], notes: [], problem: 'the project\'s files cannot be read for gates in this session (no Builder)' };

/**
 * `!gates`: shows the gates in force, or stores the person's change in HANDOFF.json
 * build.gateCommands (through the build's one-at-a-time saves). A change is refused while a
 * build runs: the running tasks gate with the list they started with, and the next run reads it.
 */
export async function actOnGates(project: OpenProject, change: GatesChange, host: GatesHost): Promise<void> {
  const override = project.handoff.build?.gateCommands;
  const detected = host.detect ? await host.detect(project.handoff.project.path) : NO_DETECTION;
  if (change.kind === 'show') {
    host.emit(entry.info(renderGates(detected, override)));
    return;
  }
  if (host.running()) {
    host.emit(
      entry.warning(
        'The build is running, and its tasks use the gate commands they started with, so the gates are not changed now. Type !pause (or wait for the build to stop), then type the !gates command again; nothing was changed.',
      ),
    );
    return;
  }
  const applied = applyGatesChange(change, detected, override);
  if (!applied.ok) {
    host.emit(entry.error(applied.message));
    return;
  }
  if (!applied.changed) {
    host.emit(entry.info(applied.text));
    return;
  }
  try {
    // The recorded script bodies belong to the old list: the next build records the new list's.
    await host.state.saveSection(project, ({ gateCommands: _old, gateScripts: _scripts, ...section }) => ({ ...section, ...(applied.next ? { gateCommands: [...applied.next] } : {}) }));
  } catch (error) {
    host.emit(entry.error(`Could not save the gate commands in HANDOFF.json (${errorMessage(error)}); nothing was changed. Check that the file can be written, then type the !gates command again.`));
    return;
  }
  host.emit(entry.success(`${applied.text}\nSaved in HANDOFF.json; the next build task gates with this list.`));
}
