import { afterEach, describe, expect, it } from 'vitest';
import { findCodePatternsInLine } from '../../src/core/security/code-rules.js';
import { findSecretsInLine } from '../../src/core/security/secret-rules.js';
import { scanDangerousPatterns } from '../../src/scanners/patterns-scanner.js';
import { createTempRepo, PLANTED, type TempRepo } from './temp-repo.js';

// Dangerous samples are joined at run time so that scanning this file finds nothing.
const j = (...parts: string[]): string => parts.join('');

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

describe('dangerous-pattern scanner on a project', () => {
  it('finds a planted eval on the request body at its exact file:line', async () => {
    repo = await createTempRepo({ git: false });
    await repo.write(
      'src/server.js',
      [
        "const express = require('express');",
        'const app = express();',
        'app.use(express.json());',
        '',
        "app.post('/run', (req, res) => {",
        '  // evaluates what the caller sent',
        `  const result = ${PLANTED.evalOnRequest};`,
        '  res.json({ result });',
        '});',
        '',
      ].join('\n'),
    );
    await repo.write('node_modules/x/index.js', `${PLANTED.evalOnRequest};\n`);
    const result = await scanDangerousPatterns(repo.root);
    expect(result.findings).toEqual([
      {
        id: 'patterns:eval-request-input:src/server.js:7',
        severity: 'CRITICAL',
        domain: 'S4',
        title: 'eval or new Function on request input',
        file: 'src/server.js',
        line: 7,
        evidence: `src/server.js:7:18: const result = ${PLANTED.evalOnRequest};`,
        source: 'scanner:patterns',
        status: 'open',
        fix: expect.stringContaining('Never evaluate caller input'),
      },
    ]);
    expect(result.notes[0]?.message).toMatch(/^1 text file scanned;/);
  });
});

describe('code rules, line by line', () => {
  const fires: [string, string, string][] = [
    ['eval-request-input', 'app.js', j('ev', 'al(req.query.expr)')],
    ['eval-request-input', 'app.ts', j('const f = new Func', 'tion("x", request.body.src);')],
    ['exec-dynamic-command', 'app.js', j('ex', 'ec(`ls ', '${dir}`, cb);')],
    ['exec-dynamic-command', 'app.js', j("child_process.exec", "Sync('git log ' + branch);")],
    ['exec-dynamic-command', 'app.js', j('cp.ex', 'ec(cmd + ', "' --force');")],
    ['sql-concatenation', 'db.ts', j('db.query(`SELE', 'CT * FROM users WHERE id = ', '${id}`);')],
    ['sql-concatenation', 'db.js', j(`const q = "DELETE FROM posts WHERE id = "`, ' + req.params.id;')],
    ['sql-concatenation', 'db.js', j("pool.query('update users set name = ", "' + name);")],
    ['tls-verification-disabled', 'client.js', j('https.request({ host, rejectUnauthorized', ': false });')],
    ['tls-verification-disabled', 'config.yml', j('  rejectUnauthorized', ': false')],
    ['tls-verification-disabled-env', '.env', j('NODE_TLS_REJECT_UNAUTHORIZED', '=0')],
    ['tls-verification-disabled-env', 'start.js', j("process.env.NODE_TLS_REJECT_UNAUTHORIZED", " = '0';")],
    ['weak-password-hash', 'auth.js', j('const h = crypto.createHa', "sh('md5').update(password).digest('hex');")],
    ['weak-password-hash', 'auth.ts', j('user.pwd = sha1', '(input);')],
    ['insecure-random-token', 'auth.js', j('const resetToken = Math.random', '().toString(36).slice(2);')],
  ];

  it.each(fires)('%s fires on %s: %s', (id, file, line) => {
    expect(findCodePatternsInLine(file, line).map((hit) => hit.rule.id)).toContain(id);
  });

  const quiet: [string, string][] = [
    ['app.js', 'eval(trustedConstant);'],
    ['app.js', j("exec", "File('git', ['log', branch]);")],
    ['app.js', j('const m = /x/.exec(`a', '${b}`);')],
    ['app.js', "exec('ls -la', cb);"],
    ['db.js', "db.query('SELECT * FROM users WHERE id = $1', [id]);"],
    ['ui.js', j('const label = `Please select one option from ', '${list}`;')],
    ['client.js', j('rejectUnauthorized', ': true')],
    ['hash.js', j("crypto.createHash('md5", "').update(fileContents)")],
    ['dice.js', 'const roll = Math.floor(Math.random() * 6) + 1;'],
    ['notes.md', j('ev', 'al(req.body.code)')],
    ['app.js', j('// ev', 'al(req.body.code) was removed')],
  ];

  it.each(quiet)('stays quiet on %s: %s', (file, line) => {
    expect(findCodePatternsInLine(file, line)).toEqual([]);
  });
});

describe('secret rules, line by line', () => {
  const key = (...parts: string[]): string => parts.join('');
  it.each([
    ['aws-access-key-id', 'a.js', `id = "${PLANTED.awsKeyId}"`],
    ['aws-secret-access-key', 'credentials', key('aws_secret_access_key = ', 'abcdEFGHijklMNOPqrstUVWXyz0123456789/+AB')],
    ['github-token', 'a.js', PLANTED.githubToken],
    ['github-token', 'a.js', key('github', '_pat_', 'A'.repeat(30))],
    ['slack-token', 'a.js', key('xox', 'b-', '1234567890-abcdefghij')],
    ['stripe-live-key', 'a.js', key('sk', '_live_', 'a1'.repeat(12))],
    ['google-api-key', 'a.js', key('AI', 'za', 'B'.repeat(35))],
    ['private-key', 'id_rsa', key('-----BEGIN RSA ', 'PRIVATE KEY-----')],
    ['private-key', 'k.pem', key('-----BEGIN ', 'PRIVATE KEY-----')],
    ['anthropic-api-key', 'a.ts', key('sk-', 'ant-api03-', 'x'.repeat(30))],
    ['jwt', 'a.ts', key('ey', 'JhbGciOiJIUzI1NiJ9.', 'ey', 'JzdWIiOiIxMjM0In0.', 'c2lnbmF0dXJlLXZhbHVl')],
    ['config-password', 'settings.yml', key('  pass', 'word: s3cr3t-value')],
    ['config-password', 'app.config.js', key('  db_pass', "word: 'letmein42',")],
  ])('%s on %s', (id, file, line) => {
    expect(findSecretsInLine(file, line).map((match) => match.rule.id)).toContain(id);
  });

  it.each([
    ['app.js', key('const pass', "word = 'not in a config file';")],
    ['settings.yml', key('pass', 'word: ${DB_PASSWORD}')],
    ['settings.json', key('"pass', 'word": "changeme"')],
    ['package.json', key('"secret', '": "^1.0.0"')],
    ['.env.example', key('PASS', 'WORD=example-only')],
    ['a.js', key('AKIA', 'short')],
  ])('stays quiet on %s: %s', (file, line) => {
    expect(findSecretsInLine(file, line)).toEqual([]);
  });
});

function key(...parts: string[]): string {
  return parts.join('');
}
