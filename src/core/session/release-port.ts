import type { GateCommand } from '../build/gate-commands.js';
import type { CleanRun } from '../release/release-checks.js';
import type { ScannerNote, SecurityFinding } from '../security/finding.js';

/**
 * The runtime's own checks around the Security and Verifier agents, as one port: the
 * scanners over the project, and the clean-worktree run of the build's HEAD. Adapter:
 * src/release/release-checks-adapter.ts, wired in src/app/compose.ts.
 */
export interface ReleaseChecksPort {
  /** Secrets (tree and history), dangerous patterns and the dependency audit, every location checked. */
  scan(projectPath: string, signal?: AbortSignal): Promise<{ readonly findings: readonly SecurityFinding[]; readonly notes: readonly ScannerNote[] }>;
  /**
   * Checks out the build's commit (the tip of `branch`, else the project's HEAD) into a fresh worktree at `worktreeDir` (outside the person's
   * repository), runs the gate commands (`gateCommands` when the person set them, else the
   * committed package.json's) and coverage there, and removes the worktree. Never throws for
   * a failing check: failures are in the result.
   */
  cleanRun(request: {
    readonly projectPath: string;
    /** The build's branch (HANDOFF's build.branch): its tip is what is checked out. Absent: the project's HEAD. */
    readonly branch?: string;
    readonly worktreeDir: string;
    readonly gateCommands?: readonly GateCommand[];
    readonly signal?: AbortSignal;
  }): Promise<CleanRun>;
}
