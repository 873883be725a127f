import { hostname } from 'node:os';
import { open, readFile, unlink, mkdir } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { LockOutcome } from '../core/session/ports.js';

const lockFileSchema = z.object({ pid: z.number().int().positive(), since: z.string(), host: z.string() });

const heldByThisProcess = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A last resort for exits that skip the orderly shutdown; the lock of a killed process is
  // recognised as stale by the next REPL anyway.
  process.on('exit', () => {
    for (const file of heldByThisProcess) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One REPL per project: an exclusive-create lock file holding the owner's pid. A lock whose
 * process is gone (or that is unreadable) is stale and taken over.
 */
export async function acquireProjectLock(file: string): Promise<LockOutcome> {
  await mkdir(path.dirname(file), { recursive: true });
  let tookOverFromPid: number | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const since = new Date().toISOString();
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, since, host: hostname() }));
      await handle.close();
      heldByThisProcess.add(file);
      installExitHook();
      const release = async () => {
        heldByThisProcess.delete(file);
        await unlink(file).catch(() => undefined);
      };
      return tookOverFromPid === undefined ? { kind: 'acquired', release } : { kind: 'acquired', release, tookOverFromPid };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(file);
    if (heldByThisProcess.has(file)) {
      return { kind: 'held', pid: process.pid, since: holder?.since ?? 'now', file };
    }
    if (holder && holder.pid !== process.pid && holder.host === hostname() && isAlive(holder.pid)) {
      return { kind: 'held', pid: holder.pid, since: holder.since, file };
    }
    if (holder && holder.host !== hostname()) {
      return { kind: 'held', pid: holder.pid, since: `${holder.since} on host ${holder.host}`, file };
    }
    if (holder) tookOverFromPid = holder.pid;
    await unlink(file).catch(() => undefined);
  }
  throw new Error(`could not take the lock ${file}; another CodeSleuth keeps recreating it`);
}

async function readHolder(file: string): Promise<z.infer<typeof lockFileSchema> | undefined> {
  try {
    const parsed = lockFileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `fn` while holding `file` as a short-lived lock, waiting (up to `timeoutMs`) while a
 * live process holds it. Serialises read-modify-write of shared files such as context.json
 * between REPLs that share a home.
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lock = await acquireProjectLock(file);
    if (lock.kind === 'acquired') {
      try {
        return await fn();
      } finally {
        await lock.release();
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`${file} stayed locked by process ${lock.pid} for ${timeoutMs} ms; is another CodeSleuth stuck? Remove the file if no CodeSleuth is running.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 15 + Math.random() * 20));
  }
}
