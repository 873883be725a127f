# Sets up CodeSleuth on Windows: checks Node, installs npm dependencies, builds dist/, and
# creates config/context.json when it is missing. Safe to run again.
$ErrorActionPreference = 'Stop'
Set-Location -Path $PSScriptRoot
function Say($text) { Write-Host "[setup] $text" -ForegroundColor Cyan }
function Fail($text) { Write-Host "[setup] $text" -ForegroundColor Red; exit 1 }

# 1. Node.js >= 20
if (-not (Get-Command node -ErrorAction SilentlyContinue)) {
  Fail 'Node.js is not installed. Install Node.js 20 or newer (winget install OpenJS.NodeJS.LTS), then run .\SETUP.ps1 again.'
}
$major = [int](node -p "process.versions.node.split('.')[0]")
if ($major -lt 20) { Fail "Node.js $(node --version) is too old: CodeSleuth needs 20 or newer." }

# 2. git is needed: every project is a git repository.
if (-not (Get-Command git -ErrorAction SilentlyContinue)) {
  Fail 'git is not installed. Install it (winget install Git.Git), then run .\SETUP.ps1 again.'
}

# 3. npm dependencies, only when package-lock.json changed.
$lockSum = (Get-FileHash -Algorithm SHA256 package-lock.json).Hash.ToLower()
$stamp = 'node_modules/.codesleuth-install'
if (-not (Test-Path $stamp) -or ((Get-Content $stamp -Raw) -ne $lockSum)) {
  Say 'installing npm dependencies (npm ci)'
  npm ci --no-audit --no-fund --loglevel=error
  if ($LASTEXITCODE -ne 0) { Fail 'npm ci failed; see the messages above.' }
  Set-Content -Path $stamp -Value $lockSum -NoNewline
} else { Say 'npm dependencies are up to date' }

# 4. Build dist/ when a source is newer than the bundle.
$bundle = 'dist/cli.js'
$stale = -not (Test-Path $bundle)
if (-not $stale) {
  $built = (Get-Item $bundle).LastWriteTime
  $stale = [bool](Get-ChildItem -Recurse -File src, scripts, package.json | Where-Object { $_.LastWriteTime -gt $built } | Select-Object -First 1)
}
if ($stale) {
  Say 'building dist/'
  node scripts/build.mjs
  if ($LASTEXITCODE -ne 0) { Fail 'the build failed; see the messages above.' }
} else { Say 'dist/ is up to date' }

# 5. config/context.json in the CodeSleuth home; created when missing, its registered projects kept.
$homeDir = if ($env:CODESLEUTH_HOME) { $env:CODESLEUTH_HOME } else { $PSScriptRoot }
node scripts/setup-context.mjs $homeDir
if ($LASTEXITCODE -ne 0) { Fail "could not set up $homeDir/config/context.json; see the message above." }

Say 'ready. Next:'
Say '  npm start    open the REPL, then type: Start agent 0'
Say '  npm test     run every test'
