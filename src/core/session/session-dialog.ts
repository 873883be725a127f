import type { ConfirmAction } from '../commands/types.js';
import type { RegisteredProject } from '../context/context.schema.js';
import type { Platform } from '../platforms/platform.schema.js';
import { entry, type EntryInput } from '../transcript.js';
import { welcomeWaitingFor, type WelcomeStep } from './welcome-flow.js';

/** What the session is waiting for from the person's next plain line. */
export type Dialog =
  | { readonly kind: 'none' }
  | { readonly kind: 'resume-menu'; readonly projects: readonly RegisteredProject[]; readonly platforms: readonly Platform[] }
  | { readonly kind: 'welcome'; readonly step: WelcomeStep }
  | { readonly kind: 'confirm'; readonly action: ConfirmAction };

/** The status bar's "waiting for" while a dialog is open. */
export function dialogWaitingFor(dialog: Exclude<Dialog, { kind: 'none' }>): string {
  switch (dialog.kind) {
    case 'resume-menu':
      return 'a project number or N';
    case 'welcome':
      return welcomeWaitingFor(dialog.step);
    case 'confirm':
      return 'yes to confirm';
  }
}

/** What the person is told when a confirmation is dropped: nothing changed. */
export function cancelledMessage(action: ConfirmAction): string {
  switch (action.kind) {
    case 'build':
      return 'Build not started; the project stays in Planning.';
    case 'skip':
      return `${action.taskId} is not skipped.`;
    case 'reset':
      return 'Reset cancelled; nothing changed.';
  }
}

/** How each confirmed action is carried out. */
export interface ConfirmedActions {
  build(): Promise<void>;
  skip(taskId: string): Promise<void>;
  reset(): Promise<void>;
}

/** The answer to a yes/no confirmation: only `yes` carries the action out. */
export async function answerConfirm(text: string, action: ConfirmAction, actions: ConfirmedActions, emit: (input: EntryInput) => void): Promise<void> {
  if (text.trim().toLowerCase() !== 'yes') {
    emit(entry.info(cancelledMessage(action)));
    return;
  }
  switch (action.kind) {
    case 'build':
      return actions.build();
    case 'skip':
      return actions.skip(action.taskId);
    case 'reset':
      return actions.reset();
  }
}
