// Resident memory of the CLI sitting at its first, idle prompt (VmRSS from /proc/<pid>/status).
import { existsSync } from 'node:fs';
import { CLI_BIN, PROMPT_MARK, makeBenchHome, median, residentMb, sleep, spawnUntil } from './lib/harness.mjs';

const GOAL_MB = 100;
/** Lets start-up garbage settle and lazy imports finish before reading the figure. */
const SETTLE_MS = 1000;

/** Starts the CLI `runs` times and reads its RSS once it is idle at the prompt. */
export async function benchIdleMemory({ runs = 3, log = () => undefined } = {}) {
  const name = `RSS at the idle prompt (median of ${runs}; max)`;
  if (!existsSync('/proc/self/status')) return [{ name, value: 'n/a (no /proc)', goal: `< ${GOAL_MB} MB`, status: 'MISS' }];
  const home = makeBenchHome();
  const samples = [];
  try {
    for (let i = 0; i < runs; i++) {
      const run = await spawnUntil(process.execPath, [CLI_BIN, '--home', home.home], PROMPT_MARK);
      try {
        await sleep(SETTLE_MS);
        samples.push(residentMb(run.pid));
      } finally {
        await run.stop();
      }
      log(`memory ${i + 1}/${runs}: ${samples.at(-1).toFixed(1)} MB`);
    }
  } finally {
    home.remove();
  }
  const mid = median(samples);
  return [{ name, value: `${mid.toFixed(1)} MB; ${Math.max(...samples).toFixed(1)} MB`, goal: `< ${GOAL_MB} MB`, status: mid < GOAL_MB ? 'PASS' : 'MISS' }];
}
