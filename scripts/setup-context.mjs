// Set-up's last step, shared by SETUP.sh and SETUP.ps1: config/context.json in the CodeSleuth
// home. A missing file is created; an existing one keeps its registered projects, and only a
// `_setup_complete` that is not true is set to true. A file that is not JSON is left alone.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const home = path.resolve(process.argv[2] ?? '.');
const file = path.join(home, 'config', 'context.json');
const say = (text) => console.log(`${process.stdout.isTTY ? '\x1b[36m[setup]\x1b[0m' : '[setup]'} ${text}`);

function write(value) {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temp, file);
}

if (!existsSync(file)) {
  mkdirSync(path.join(home, 'config'), { recursive: true });
  mkdirSync(path.join(home, 'artifacts'), { recursive: true });
  write({ _setup_complete: true, registered_projects: [] });
  say(`created ${file}`);
} else {
  let context;
  try {
    context = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    say(`keeping ${file}, which is not valid JSON (${error.message}); fix it or move it aside and run set-up again`);
    process.exit(0);
  }
  if (context !== null && typeof context === 'object' && !Array.isArray(context) && context._setup_complete !== true) {
    write({ ...context, _setup_complete: true });
    say(`marked set-up complete in ${file} (its registered projects are kept)`);
  } else {
    say(`keeping ${file}`);
  }
}
