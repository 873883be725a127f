import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanDangerousPatterns } from '../../src/scanners/patterns-scanner.js';
import { scanSecrets } from '../../src/scanners/secrets-scanner.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The scanners' own code, rules and tests: full of patterns about secrets, and none of them one. */
const OWN_PATHS = ['src/scanners', 'src/core/security', 'src/core/verdicts', 'test/scanners', 'test/core/verdicts', 'rules'];

describe('scanning CodeSleuth\'s own scanner code and tests', () => {
  it('finds no secret and no dangerous pattern', async () => {
    const secrets = await scanSecrets(ROOT, { paths: OWN_PATHS, history: false });
    const patterns = await scanDangerousPatterns(ROOT, { paths: OWN_PATHS });
    expect([...secrets.findings, ...patterns.findings].map((f) => `${f.file}:${f.line} ${f.title}`)).toEqual([]);
    expect(secrets.notes[0]?.message).toMatch(/^working tree: \d{2,} text files scanned/);
  });
});
