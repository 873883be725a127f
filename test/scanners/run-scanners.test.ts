import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SecurityFinding } from '../../src/core/security/finding.js';
import { verifyGate } from '../../src/core/security/gate.js';
import { renderSecurityReport, toSastJsonl } from '../../src/core/security/security-report.js';
import { countLines, createFileIndex } from '../../src/scanners/file-index.js';
import { keepCitedFindings, runSecurityScanners } from '../../src/scanners/run-scanners.js';
import { createTempRepo, PLANTED, type TempRepo } from './temp-repo.js';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

describe('createFileIndex', () => {
  it('counts lines in the working tree and at a commit, and nothing outside the project', async () => {
    repo = await createTempRepo();
    await repo.write('a.txt', 'one\ntwo\nthree\n');
    const first = repo.commit('three lines');
    await repo.write('a.txt', 'one\n');
    await repo.write('no-newline.txt', 'x\ny');
    await symlink('/etc/hostname', path.join(repo.root, 'escape.txt'));
    const index = createFileIndex(repo.root);
    expect(await index.lineCount('a.txt')).toBe(1);
    expect(await index.lineCount('a.txt', first)).toBe(3);
    expect(await index.lineCount('no-newline.txt')).toBe(2);
    expect(await index.lineCount('no-newline.txt', first)).toBeUndefined();
    expect(await index.lineCount('missing.txt')).toBeUndefined();
    expect(await index.lineCount('../outside.txt')).toBeUndefined();
    expect(await index.lineCount('escape.txt')).toBeUndefined();
    expect(await index.lineCount('a.txt', 'ffffffffffffffffffffffffffffffffffffffff')).toBeUndefined();
    expect([countLines(''), countLines('\n'), countLines('a\r\nb\r\n')]).toEqual([0, 1, 2]);
  });
});

describe('runSecurityScanners', () => {
  it('finds the planted key (tree and history) and eval, checks every location, and renders the reports', async () => {
    repo = await createTempRepo();
    await repo.write('src/server.js', ["const app = require('express')();", "app.post('/run', (req, res) => {", `  res.json(${PLANTED.evalOnRequest});`, '});', ''].join('\n'));
    await repo.write('old-settings.env', `AWS_ACCESS_KEY_ID=${PLANTED.awsKeyId}\n`);
    const leaked = repo.commit('initial');
    repo.git('rm', '-q', 'old-settings.env');
    repo.commit('remove settings');
    // The trailing x makes line 1 not a key id, so the removed key is reported from history only.
    await repo.write('config/keys.js', `module.exports = { id: '${PLANTED.awsKeyId}x' };\n// ${PLANTED.githubToken}\n`);

    const result = await runSecurityScanners(repo.root);

    expect(result.dropped).toEqual([]);
    expect(result.findings.map((f) => [f.severity, f.file, f.line, f.commit?.slice(0, 12) ?? null, f.title])).toEqual([
      ['CRITICAL', 'config/keys.js', 2, null, 'GitHub token'],
      ['CRITICAL', 'old-settings.env', 1, leaked.slice(0, 12), 'AWS access key id in git history'],
      ['CRITICAL', 'src/server.js', 3, null, 'eval or new Function on request input'],
    ]);
    expect(result.notes.map((n) => [n.scanner, n.ran])).toEqual([
      ['secrets', true],
      ['history', true],
      ['patterns', true],
      ['deps', false],
    ]);
    expect(result.notes[3]?.message).toBe('npm audit not run: no package.json, so this is not an npm project');

    const gate = verifyGate(result.findings);
    expect(gate.kind).toBe('refuse');
    const markdown = renderSecurityReport({ findings: result.findings, notes: result.notes, gate });
    expect(markdown).toContain(`- Location: \`old-settings.env:1\` in commit \`${leaked}\``);
    expect(markdown).toContain('- deps (did not run): npm audit not run: no package.json');
    const jsonl = toSastJsonl(result.findings);
    expect(jsonl.trimEnd().split('\n')).toHaveLength(3);
    for (const secret of [PLANTED.awsKeyId, PLANTED.githubToken]) {
      expect(markdown).not.toContain(secret);
      expect(jsonl).not.toContain(secret);
    }
  });

  it('drops a finding whose cited line does not exist, and says so', async () => {
    const ghost: SecurityFinding = {
      id: 'ghost',
      severity: 'HIGH',
      domain: 'S4',
      title: 'nowhere',
      file: 'src/a.js',
      line: 99,
      evidence: 'x',
      source: 'scanner:patterns',
      status: 'open',
    };
    const real = { ...ghost, id: 'real', line: 2 };
    const index = { lineCount: async (file: string) => (file === 'src/a.js' ? 10 : undefined) };
    const { kept, dropped, note } = await keepCitedFindings([ghost, real], index);
    expect(kept).toEqual([real]);
    expect(dropped).toEqual([{ finding: ghost, reason: 'ghost: `src/a.js:99`: the file has 10 lines, so line 99 does not exist' }]);
    expect(note).toMatchObject({ scanner: 'citations', message: expect.stringContaining('1 finding dropped') });
  });
});
