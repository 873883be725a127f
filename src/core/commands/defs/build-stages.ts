import type { Stage } from '../../pipeline/stages.js';

/** Where the Builder's commands apply: from the build on (fix tasks and Maintenance build too). */
export const BUILDER_STAGES: readonly Stage[] = ['building', 'critique', 'security', 'verification', 'maintenance'];

/** TASK-001 from `task-1`, `TASK-001`, `1`; undefined when it is no task id. */
export function parseTaskId(text: string): string | undefined {
  const match = /^(?:task-?)?(\d{1,6})$/i.exec(text.trim());
  if (!match?.[1]) return undefined;
  return `TASK-${match[1].padStart(3, '0')}`;
}
