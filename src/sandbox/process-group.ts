import { spawnSync } from 'node:child_process';

/**
 * Killing a whole process tree. On POSIX the command runs as the leader of its own process
 * group (spawned detached), so signalling `-pid` reaches every child and grandchild.
 * Windows has no process groups; `taskkill /T` walks the tree instead.
 */

const live = new Set<number>();
let exitHookInstalled = false;

/** Sends `signal` to the group led by `pid`. Quietly does nothing when it is already gone. */
export function killProcessTree(pid: number, signal: NodeJS.Signals): void {
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group has already ended, which is the goal. EPERM cannot happen for a
    // group we started; if it did there would be nothing more this process could do.
  }
}

/**
 * Remembers a running group so that, should CodeSleuth itself exit mid-command, the group
 * is not left running (detached children are not killed with their parent). Returns the
 * function that forgets it.
 */
export function trackProcessGroup(pid: number): () => void {
  live.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const group of live) killProcessTree(group, 'SIGKILL');
    });
  }
  return () => {
    live.delete(pid);
  };
}
