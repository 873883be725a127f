import { detectPlatform, platformRoutingTable } from '../platforms/platform-detect.js';
import { matchPlatform, type Platform } from '../platforms/platform.schema.js';
import { entry, type EntryInput } from '../transcript.js';
import type { SessionPorts } from './ports.js';
import type { DraftProject } from './project-lifecycle.js';
import { refuseProjectDirectory } from './project-paths.js';
import { WELCOME_QUESTIONS } from './startup-blocks.js';

/** Where the three welcome questions stand. */
export type WelcomeStep =
  | { readonly kind: 'brief'; readonly platforms: readonly Platform[] }
  | { readonly kind: 'platform'; readonly platforms: readonly Platform[]; readonly brief: string }
  | { readonly kind: 'directory'; readonly platforms: readonly Platform[]; readonly brief: string; readonly platform: Platform }
  | { readonly kind: 'git-init'; readonly platforms: readonly Platform[]; readonly draft: DraftProject; readonly created: boolean };

/** After one answer: the next question, or everything a new project needs. */
export type WelcomeResult = { readonly kind: 'ask'; readonly step: WelcomeStep } | { readonly kind: 'ready'; readonly draft: DraftProject };

/** What the step is waiting for, for the status bar. */
export function welcomeWaitingFor(step: WelcomeStep): string {
  switch (step.kind) {
    case 'brief':
      return 'what the project does';
    case 'platform':
      return 'the target platform';
    case 'directory':
      return 'the project directory';
    case 'git-init':
      return 'yes/no: initialise git';
  }
}

/** The directory question again, after a refusal. */
export function askDirectoryAgain(platforms: readonly Platform[], draft: DraftProject): WelcomeStep {
  return { kind: 'directory', platforms, brief: draft.brief, platform: draft.platform };
}

/**
 * Takes one answer to the welcome questions: what the project does, its platform (with the
 * routing table from config/platforms.json), its directory (refused inside CodeSleuth,
 * created when missing, made a git repository once the person agrees).
 */
export async function answerWelcome(step: WelcomeStep, text: string, ports: SessionPorts, emit: (input: EntryInput) => void): Promise<WelcomeResult> {
  switch (step.kind) {
    case 'brief':
      emit(entry.plain(WELCOME_QUESTIONS.platform(step.platforms)));
      return { kind: 'ask', step: { kind: 'platform', platforms: step.platforms, brief: text } };
    case 'platform': {
      const detection = detectPlatform(step.brief, text, step.platforms);
      const platform = detection.platform;
      if (!platform || !matchPlatform(text, step.platforms)) {
        emit(entry.error(`I did not recognise "${text}" as a platform. Answer with one of: ${step.platforms.map((p) => p.name).join(', ')}.`));
        return { kind: 'ask', step };
      }
      emit(entry.info(`${platformRoutingTable(platform)}\nWhy: ${detection.reasons.join('; ')}.`));
      emit(entry.plain(WELCOME_QUESTIONS.directory));
      return { kind: 'ask', step: { kind: 'directory', platforms: step.platforms, brief: step.brief, platform } };
    }
    case 'directory':
      return chooseDirectory(step, text, ports, emit);
    case 'git-init':
      return confirmGitInit(step, text, ports, emit);
  }
}

async function chooseDirectory(
  step: Extract<WelcomeStep, { kind: 'directory' }>,
  text: string,
  ports: SessionPorts,
  emit: (input: EntryInput) => void,
): Promise<WelcomeResult> {
  const directory = ports.workspace.resolveDirectory(text);
  const refusal = refuseProjectDirectory(directory, ports.env.installDir, ports.env.homeDir);
  if (refusal) {
    emit(entry.error(`${refusal}\nType another directory.`));
    return { kind: 'ask', step };
  }
  const info = await ports.workspace.inspect(directory);
  if (info.kind === 'not-a-directory') {
    emit(entry.error(`${directory} exists and is a file, not a directory. Type another directory.`));
    return { kind: 'ask', step };
  }
  if (info.kind === 'missing') {
    await ports.workspace.createDirectory(directory);
    emit(entry.info(`Created ${directory}.`));
  }
  const draft: DraftProject = { brief: step.brief, platform: step.platform, directory };
  if (info.kind === 'directory' && info.isGitRepo) return { kind: 'ready', draft };
  emit(entry.warning(`${directory} is not a git repository. CodeSleuth records each task as a commit there. Initialise one now? (yes/no)`));
  return { kind: 'ask', step: { kind: 'git-init', platforms: step.platforms, draft, created: info.kind === 'missing' } };
}

async function confirmGitInit(
  step: Extract<WelcomeStep, { kind: 'git-init' }>,
  text: string,
  ports: SessionPorts,
  emit: (input: EntryInput) => void,
): Promise<WelcomeResult> {
  if (/^y(es)?$/i.test(text)) {
    await ports.workspace.initGitRepository(step.draft.directory);
    emit(entry.success(`Initialised a git repository in ${step.draft.directory}.`));
    return { kind: 'ready', draft: step.draft };
  }
  if (/^no?$/i.test(text)) {
    if (step.created) await ports.workspace.removeEmptyDirectory(step.draft.directory);
    emit(entry.warning('The project needs a git repository. Type another directory (one that is a git repository, or answer yes next time).'));
    return { kind: 'ask', step: askDirectoryAgain(step.platforms, step.draft) };
  }
  emit(entry.error('Please answer yes or no.'));
  return { kind: 'ask', step };
}
