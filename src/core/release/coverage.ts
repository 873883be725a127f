import { packageJsonSubsetSchema } from '../build/gate-commands.js';

/**
 * Coverage, when the project can measure it: its own `coverage` script, or Node's built-in
 * coverage for a `node --test` suite. Anything else is "could not measure", said with the
 * reason, never a silent pass.
 */

/** How coverage would be measured, or why it cannot be. */
export type CoveragePlan = { readonly kind: 'command'; readonly command: string } | { readonly kind: 'unsupported'; readonly reason: string };

const NODE_TEST = /\bnode\s+--test\b/;

/** Pure: the coverage command for a parsed package.json (`unknown`, validated here). */
export function coveragePlanFor(packageJson: unknown): CoveragePlan {
  const parsed = packageJsonSubsetSchema.safeParse(packageJson);
  if (!parsed.success) return { kind: 'unsupported', reason: 'package.json has no readable "scripts"' };
  const scripts = parsed.data.scripts ?? {};
  if (scripts.coverage?.trim()) return { kind: 'command', command: 'npm run coverage' };
  const test = scripts.test?.trim();
  if (test && NODE_TEST.test(test) && !test.includes('--experimental-test-coverage')) {
    return { kind: 'command', command: test.replace(NODE_TEST, 'node --test --experimental-test-coverage') };
  }
  return { kind: 'unsupported', reason: 'the project has no "coverage" script and its tests do not run with `node --test`' };
}

/**
 * Pure: the line coverage from a coverage report's "all files" row: Node's test runner prints
 * `# all files | 87.50 | 75.00 | 100.00 |` (line % first), istanbul/c8 `All files | 87.5 | ...`
 * (statements first). Undefined when there is no such row.
 */
export function parseCoveragePercent(output: string): number | undefined {
  const match = /all files\s*\|\s*(\d+(?:\.\d+)?)/i.exec(output);
  if (!match) return undefined;
  const value = Number(match[1]);
  return Number.isFinite(value) && value >= 0 && value <= 100 ? value : undefined;
}
