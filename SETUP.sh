#!/usr/bin/env bash
# Sets up CodeSleuth on Linux or macOS: checks Node, installs system packages the tests need,
# installs npm dependencies, builds dist/, and creates config/context.json when it is missing.
# Safe to run again: every step is skipped when it is already done.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(pwd)"
say() { printf '\033[36m[setup]\033[0m %s\n' "$*"; }
fail() { printf '\033[31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

# 1. Node.js >= 20
command -v node >/dev/null 2>&1 || fail "Node.js is not installed. Install Node.js 20 or newer (https://nodejs.org or your package manager), then run bash SETUP.sh again."
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$NODE_MAJOR" -lt 20 ]; then
  fail "Node.js $(node --version) is too old: CodeSleuth needs 20 or newer. Upgrade Node, then run bash SETUP.sh again."
fi

# 2. System packages: git (projects are git repositories), and a C++ toolchain for node-pty,
#    which the end-to-end tests use to drive the CLI in a pseudo-terminal.
missing=()
command -v git >/dev/null 2>&1 || missing+=(git)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    say "installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    fail "missing ${missing[*]}: install them with your package manager, then run bash SETUP.sh again."
  fi
fi

# 3. npm dependencies, only when package-lock.json changed since the last install.
LOCK_SUM="$(node -e "process.stdout.write(require('crypto').createHash('sha256').update(require('fs').readFileSync('package-lock.json')).digest('hex'))")"
STAMP="node_modules/.codesleuth-install"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$LOCK_SUM" ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  printf '%s' "$LOCK_SUM" > "$STAMP"
else
  say "npm dependencies are up to date"
fi

# 4. Build dist/ when any source is newer than the bundle.
if [ ! -f dist/cli.js ] || [ -n "$(find src scripts package.json -newer dist/cli.js -type f -print -quit)" ]; then
  say "building dist/"
  node scripts/build.mjs
else
  say "dist/ is up to date"
fi

# 5. config/context.json in the CodeSleuth home (CODESLEUTH_HOME, default: this folder).
#    Created when missing; an existing file keeps its registered projects.
node scripts/setup-context.mjs "${CODESLEUTH_HOME:-$ROOT}"

say "ready. Next:"
say "  npm start    open the REPL, then type: Start agent 0"
say "  npm test     run every test"
