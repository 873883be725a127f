import { createBuiltinRegistry } from '../core/commands/defs/index.js';
import { Session } from '../core/session/session.js';
import { createWorkspace } from '../git/workspace.js';
import { createConfigStore } from '../store/config-store.js';
import { createProjectStore } from '../store/project-store.js';

/** Where this run keeps its state and where CodeSleuth is installed. */
export interface AppPaths {
  readonly homeDir: string;
  readonly installDir: string;
  readonly cwd: string;
}

/** The one place that wires the pure core to its adapters. */
export function composeSession(paths: AppPaths, now: () => Date = () => new Date()): Session {
  return new Session(
    {
      config: createConfigStore(paths),
      projects: createProjectStore(paths.homeDir, now),
      workspace: createWorkspace(paths.cwd),
      env: { installDir: paths.installDir, homeDir: paths.homeDir, now },
    },
    createBuiltinRegistry(),
  );
}
