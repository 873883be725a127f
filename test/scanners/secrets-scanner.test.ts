import { afterEach, describe, expect, it } from 'vitest';
import { scanSecrets } from '../../src/scanners/secrets-scanner.js';
import { createTempRepo, PLANTED, type TempRepo } from './temp-repo.js';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

describe('secrets in the working tree', () => {
  it('finds a planted AWS key at its exact file:line, redacted, and skips what it should', async () => {
    repo = await createTempRepo({ git: false });
    await repo.write('config/app.js', ["'use strict';", "const region = 'eu-west-1';", `const accessKeyId = '${PLANTED.awsKeyId}';`, ''].join('\n'));
    await repo.write('node_modules/some-pkg/index.js', `module.exports = '${PLANTED.awsKeyId}';\n`);
    await repo.write('assets/logo.bin', Buffer.concat([Buffer.from([0x89, 0x00, 0x01]), Buffer.from(PLANTED.awsKeyId)]));
    await repo.write('dist/huge.js', `${'x'.repeat(2_000)}\n${PLANTED.awsKeyId}\n`);

    const result = await scanSecrets(repo.root, { maxFileBytes: 1_000 });

    expect(result.findings).toEqual([
      expect.objectContaining({
        id: 'secrets:aws-access-key-id:config/app.js:3',
        severity: 'CRITICAL',
        domain: 'S7',
        file: 'config/app.js',
        line: 3,
        source: 'scanner:secrets',
        status: 'open',
        evidence: 'AWS access key id at column 22: AKIA… (20 characters, redacted).',
      }),
    ]);
    expect(JSON.stringify(result.findings)).not.toContain(PLANTED.awsKeyId);
    expect(result.notes).toEqual([
      {
        scanner: 'secrets',
        ran: true,
        message: 'working tree: 1 text file scanned; 1 binary skipped; 1 over the size limit skipped (dist/huge.js); .git and node_modules not entered',
      },
      { scanner: 'history', ran: false, message: expect.stringMatching(/^git history not scanned: not a git repository/) },
    ]);
  });

  it('finds several kinds on their lines and leaves placeholders alone', async () => {
    repo = await createTempRepo({ git: false });
    await repo.write(
      '.env',
      ['# local settings', `GITHUB_TOKEN=${PLANTED.githubToken}`, 'DB_PASSWORD=${DB_PASSWORD}', 'ADMIN_PASSWORD=hunter2-prod', ''].join('\n'),
    );
    await repo.write('.env.example', 'ADMIN_PASSWORD=correct-horse\n');
    const result = await scanSecrets(repo.root, { history: false });
    expect(result.findings.map((f) => [f.file, f.line, f.title, f.severity])).toEqual([
      ['.env', 2, 'GitHub token', 'CRITICAL'],
      ['.env', 4, 'Password or secret in a configuration file', 'HIGH'],
    ]);
    expect(result.notes[1]).toEqual({ scanner: 'history', ran: false, message: 'git history not scanned: turned off for this run' });
  });
});

describe('secrets in git history', () => {
  it('finds a key that was committed and then deleted, at the commit that added it', async () => {
    repo = await createTempRepo();
    await repo.write('README.md', '# demo\n');
    repo.commit('first');
    await repo.write('deploy/prod.env', ['REGION=eu-west-1', `AWS_ACCESS_KEY_ID=${PLANTED.awsKeyId}`, ''].join('\n'));
    const leaked = repo.commit('add deploy settings');
    repo.git('rm', '-q', 'deploy/prod.env');
    repo.commit('remove deploy settings');

    const result = await scanSecrets(repo.root);

    expect(result.findings).toEqual([
      expect.objectContaining({
        id: `secrets:history:aws-access-key-id:${leaked.slice(0, 12)}:deploy/prod.env:2`,
        severity: 'CRITICAL',
        title: 'AWS access key id in git history',
        file: 'deploy/prod.env',
        line: 2,
        commit: leaked,
        source: 'scanner:secrets',
      }),
    ]);
    expect(result.findings[0]?.evidence).toContain(`added in commit ${leaked.slice(0, 12)} at deploy/prod.env:2, column 19`);
    expect(result.notes).toContainEqual({ scanner: 'history', ran: true, message: '3 commits scanned (added lines of every branch)' });
  });

  it('reports a secret still in the tree once, there, with the commit that first added it', async () => {
    repo = await createTempRepo();
    await repo.write('src/keys.js', `export const id = '${PLANTED.awsKeyId}';\n`);
    const first = repo.commit('add key');
    await repo.write('src/keys.js', `// moved\nexport const id = '${PLANTED.awsKeyId}';\n`);
    repo.commit('move key');

    const result = await scanSecrets(repo.root);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ file: 'src/keys.js', line: 2 });
    expect(result.findings[0]?.commit).toBeUndefined();
    expect(result.findings[0]?.evidence).toContain(`First committed in ${first.slice(0, 12)}.`);
  });

  it('reads a repository without commits as empty history', async () => {
    repo = await createTempRepo();
    const result = await scanSecrets(repo.root);
    expect(result.notes).toContainEqual({ scanner: 'history', ran: true, message: '0 commits scanned (added lines of every branch)' });
  });
});
