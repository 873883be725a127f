// Time to the first prompt: spawning the CLI in a pseudo-terminal until `›` is drawn, against
// the same harness spawning a bare `node -e "console.log('ready')"` until 'ready' appears.
import { CLI_BIN, PROMPT_MARK, makeBenchHome, median, quantile, spawnUntil, spawnUntilLive } from './lib/harness.mjs';

const GOAL_RATIO = 2.0;

async function timeOnce(file, args, mark) {
  const run = await spawnUntil(file, args, mark);
  await run.stop();
  return run.ms;
}

/** Runs both commands `runs` times, interleaved so load on the machine hits both alike. */
export async function benchStartup({ runs = 15, log = () => undefined } = {}) {
  const home = makeBenchHome();
  const cli = () => timeOnce(process.execPath, [CLI_BIN, '--home', home.home], PROMPT_MARK);
  const baseline = () => timeOnce(process.execPath, ['-e', "console.log('ready')"], 'ready');
  // Loads the bundle and prints, without Ink: splits the gap into "loading" and "drawing".
  const version = () => timeOnce(process.execPath, [CLI_BIN, '--version'], '.');
  // The prompt is drawn before Ink has loaded; a key typed at once shows when Ink is live.
  const live = async () => (await spawnUntilLive(process.execPath, [CLI_BIN, '--home', home.home], PROMPT_MARK)).liveMs;
  try {
    // One discarded run of each warms the file cache, as on a machine where node was just used.
    await cli();
    await baseline();
    await version();
    const cliMs = [];
    const baseMs = [];
    const versionMs = [];
    const liveMs = [];
    for (let i = 0; i < runs; i++) {
      cliMs.push(await cli());
      baseMs.push(await baseline());
      versionMs.push(await version());
      liveMs.push(await live());
      log(`startup ${i + 1}/${runs}: cli ${cliMs.at(-1).toFixed(0)} ms, node ${baseMs.at(-1).toFixed(0)} ms, --version ${versionMs.at(-1).toFixed(0)} ms`);
    }
    const ratio = median(cliMs) / median(baseMs);
    const ms = (v) => `${v.toFixed(0)} ms`;
    return [
      { name: `first prompt, CLI in a pty (median / p90, n=${runs})`, value: `${ms(median(cliMs))} / ${ms(quantile(cliMs, 0.9))}`, goal: '', status: '' },
      { name: `node -e "console.log('ready')" in a pty (median / p90)`, value: `${ms(median(baseMs))} / ${ms(quantile(baseMs, 0.9))}`, goal: '', status: '' },
      { name: `codesleuth --version in a pty (median / p90; no Ink)`, value: `${ms(median(versionMs))} / ${ms(quantile(versionMs, 0.9))}`, goal: '', status: '' },
      { name: 'prompt live: a key typed at once echoed (median)', value: `${ms(median(liveMs))} / ${ms(quantile(liveMs, 0.9))}`, goal: '', status: '' },
      { name: 'prompt live ÷ bare node (medians; no goal)', value: `${(median(liveMs) / median(baseMs)).toFixed(2)}×`, goal: '', status: '' },
      { name: 'first prompt ÷ bare node (medians)', value: `${ratio.toFixed(2)}×`, goal: `≤ ${GOAL_RATIO.toFixed(1)}×`, status: ratio <= GOAL_RATIO ? 'PASS' : 'MISS' },
    ];
  } finally {
    home.remove();
  }
}
