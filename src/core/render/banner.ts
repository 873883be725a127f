/** The CodeSleuth banner, drawn once when the Orchestrator starts. */
export const BANNER = [
  '   ____          _      ____  _            _   _',
  '  / ___|___   __| | ___/ ___|| | ___ _   _| |_| |__',
  " | |   / _ \\ / _` |/ _ \\___ \\| |/ _ \\ | | | __| '_ \\",
  ' | |__| (_) | (_| |  __/___) | |  __/ |_| | |_| | | |',
  '  \\____\\___/ \\__,_|\\___|____/|_|\\___|\\__,_|\\__|_| |_|',
  '',
].join('\n');

export const TAGLINE = 'From an idea to shipped code — agents do the work, you hold every gate.';
