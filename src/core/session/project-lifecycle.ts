import path from 'node:path';
import type { RegisteredProject } from '../context/context.schema.js';
import { errorMessage } from '../errors.js';
import { STAGE_INFO, agentLabel } from '../pipeline/stages.js';
import type { Platform } from '../platforms/platform.schema.js';
import { entry, type EntryInput } from '../transcript.js';
import { formatProblems } from '../validation.js';
import { OpenProject, newHandoff, restoreMachine } from './open-project.js';
import type { LockOutcome, SessionPorts } from './ports.js';
import { projectIdFor } from './project-paths.js';
import { unfinishedBuildHint } from './build-messages.js';

/** The three welcome answers, once the directory is usable. */
export interface DraftProject {
  readonly brief: string;
  readonly platform: Platform;
  readonly directory: string;
}

/** What opening a project printed, and the project when it opened. */
export interface OpenResult {
  readonly entries: EntryInput[];
  readonly project?: OpenProject;
}

function lockRefusal(name: string, lock: Extract<LockOutcome, { kind: 'held' }>): EntryInput {
  return entry.error(
    `${name} is open in another CodeSleuth (pid ${lock.pid}, since ${lock.since}). Close that one first; only one REPL may work on a project at a time. (Lock file: ${lock.file}; it is taken over automatically once that process has ended.)`,
  );
}

/** Creates HANDOFF.json for a new project, or adopts a valid one left for the same directory. */
export async function openNewProject(ports: SessionPorts, draft: DraftProject): Promise<OpenResult> {
  const id = projectIdFor(draft.directory);
  const name = path.basename(draft.directory) || draft.directory;
  const lock = await ports.projects.lock(id);
  if (lock.kind === 'held') return { entries: [lockRefusal(name, lock), entry.plain('Type another directory.')] };

  const entries: EntryInput[] = [];
  if (lock.tookOverFromPid !== undefined) entries.push(entry.warning(`Took over a stale lock left by process ${lock.tookOverFromPid}, which is no longer running.`));
  const existing = await ports.projects.loadHandoff(id);
  if (existing.kind === 'ok' || existing.kind === 'invalid' || existing.kind === 'unreadable') {
    await lock.release();
    const why =
      existing.kind === 'ok'
        ? `it already has a project (${existing.value.project.name}, stage ${existing.value.stage}) recorded in ${existing.file}`
        : existing.kind === 'invalid'
          ? `${existing.file} exists but is not valid:\n${formatProblems(existing.problems)}`
          : `${existing.file} exists but cannot be read: ${existing.message}`;
    return {
      entries: [
        ...entries,
        entry.error(`Not starting a new project in ${draft.directory}: ${why}\nCodeSleuth never overwrites a HANDOFF.json. Type another directory.`),
      ],
    };
  }

  const at = ports.env.now().toISOString();
  const { handoff, actor } = newHandoff(
    { id, name, path: draft.directory, platform: draft.platform.name, brief: draft.brief, createdAt: at },
    at,
  );
  try {
    await ports.projects.saveHandoff(id, handoff);
  } catch (error) {
    actor.stop();
    await lock.release();
    return { entries: [...entries, entry.error(`Could not write ${ports.projects.handoffPath(id)}: ${errorMessage(error)}. Check the disk and permissions, then type the directory again.`)] };
  }
  const project = OpenProject.adopt(ports, handoff, actor, lock.release);
  try {
    await project.register();
  } catch (error) {
    entries.push(entry.warning(`The project is saved, but config/context.json could not be updated (${errorMessage(error)}); it will not appear in the resume menu until that file is fixed.`));
  }
  entries.push(
    entry.success(
      `Project ${name} created [${id}]. Discovery has started — ${agentLabel('discovery')} is active.\nState: ${ports.projects.handoffPath(id)}`,
    ),
  );
  entries.push(entry.hint('When the feature spec is ready, type !plan. Type !help for everything you can do now.'));
  return { entries, project };
}

/** Opens a registered project where it stood; shipped projects go to Maintenance. */
export async function resumeProject(ports: SessionPorts, registered: RegisteredProject): Promise<OpenResult> {
  const loaded = await ports.projects.loadHandoff(registered.id);
  switch (loaded.kind) {
    case 'missing':
      return {
        entries: [
          entry.error(`${registered.name} has no HANDOFF.json at ${loaded.file}. Pick another project, or N to start a new one.`),
        ],
      };
    case 'unreadable':
      return { entries: [entry.error(`Cannot read ${loaded.file}: ${loaded.message}. Pick another project, or N.`)] };
    case 'invalid':
      return {
        entries: [
          entry.error(
            `${loaded.file} is not valid:\n${formatProblems(loaded.problems)}\nIt was left exactly as it is. Fix it (or restore a copy from its backups/ folder), then pick the project again — or pick another, or N.`,
          ),
        ],
      };
    case 'ok':
      break;
  }
  const restored = restoreMachine(loaded.file, loaded.value);
  if (restored.kind === 'invalid') {
    return {
      entries: [
        entry.error(`${loaded.file} cannot be resumed:\n${formatProblems(restored.problems)}\nIt was left exactly as it is. Pick another project, or N.`),
      ],
    };
  }
  const lock = await ports.projects.lock(registered.id);
  if (lock.kind === 'held') {
    restored.actor.stop();
    return { entries: [lockRefusal(registered.name, lock), entry.plain('Pick another project, or N.')] };
  }
  const entries: EntryInput[] = [];
  if (lock.tookOverFromPid !== undefined) entries.push(entry.warning(`Took over a stale lock left by process ${lock.tookOverFromPid}, which is no longer running.`));
  const project = OpenProject.adopt(ports, loaded.value, restored.actor, lock.release);

  const directory = await ports.workspace.inspect(loaded.value.project.path);
  if (directory.kind !== 'directory') {
    entries.push(entry.warning(`The project directory ${loaded.value.project.path} is missing. Restore it before any agent works there.`));
  }
  // HANDOFF.json's milestone is the record; the registry only mirrors it. After a !reset the
  // registry's word no longer counts: a reset whose registry update failed must not be undone.
  const reset = loaded.value.history.some((e) => e.event === '!reset');
  const shipped = loaded.value.milestone === 'shipped' || (registered.stage === 'shipped' && !reset);
  let routed = false;
  if (shipped && project.position().stage !== 'maintenance') {
    routed = (await project.send({ type: 'ROUTE_MAINTENANCE' }, 'resume (shipped)')).moved;
  } else if (project.position().paused) {
    await project.send({ type: 'RESUME' }, 'resume');
  }
  await project.register().catch((error: unknown) => {
    entries.push(entry.warning(`config/context.json could not be updated: ${errorMessage(error)}.`));
  });
  const stage = project.position().stage;
  entries.push(
    entry.success(
      `Resumed ${registered.name} in ${STAGE_INFO[stage].label} (HANDOFF v${project.handoff.version}); ${agentLabel(stage)} is active. ${unfinishedBuildHint(stage, project.handoff)}`.trim(),
    ),
  );
  if (routed || (shipped && stage === 'maintenance')) {
    entries.push(entry.hint('The project has shipped. Describe a bug or a small change and Maintenance turns it into tasks; !verify verifies the project again.'));
  }
  return { entries, project };
}

/**
 * !pause or !resume: the move is saved at once, then `register` mirrors it into the registry.
 * The line returned says where the project stands and how to go on.
 */
export async function pauseOrResume(ports: SessionPorts, project: OpenProject, event: 'PAUSE' | 'RESUME', register: (project: OpenProject) => Promise<void>): Promise<EntryInput> {
  const outcome = await project.send({ type: event }, event === 'PAUSE' ? '!pause' : '!resume');
  await register(project);
  const label = STAGE_INFO[outcome.to.stage].label;
  return event === 'PAUSE'
    ? entry.success(`Paused in ${label}; state saved to ${ports.projects.handoffPath(project.id)}. Type !resume to continue, or leave and pick the project from the menu later.`)
    : entry.success(`Resumed ${label}; ${agentLabel(outcome.to.stage)} is active. ${unfinishedBuildHint(outcome.to.stage, project.handoff)}`.trim());
}
