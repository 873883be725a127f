import { describe, expect, it } from 'vitest';
import { assess, DEFAULT_POLICY, isInside, resolvePolicy } from '../../../src/core/policy/index.js';
import type { Decision, PathRequest } from '../../../src/core/policy/index.js';

const ROOT = '/work/project';

function decide(kind: 'read' | 'write', path: string, realPath?: string): { kind: Decision; reason: string } {
  const request: PathRequest = realPath === undefined ? { kind, root: ROOT, path } : { kind, root: ROOT, path, realPath };
  return assess(request, DEFAULT_POLICY);
}

describe('isInside', () => {
  it.each([
    ['/work/project', true],
    ['/work/project/src/a.ts', true],
    ['/work/project/..foo', true],
    ['/work/project/../x', false],
    ['/work/projectx/a', false],
    ['/work', false],
    ['/etc/passwd', false],
  ])('%s -> %s', (target, expected) => {
    expect(isInside(ROOT, target)).toBe(expected);
  });
});

describe('assess: reading and writing paths', () => {
  it.each<[kind: 'read' | 'write', path: string, expected: Decision, reasonPart: string]>([
    ['read', 'src/index.ts', 'allow', 'inside the project'],
    ['read', './src/../README.md', 'allow', 'inside the project'],
    ['read', '/work/project/package.json', 'allow', 'inside the project'],
    ['read', '../x', 'deny', 'outside the project root'],
    ['read', 'src/../../x', 'deny', 'outside the project root'],
    ['read', '/etc/passwd', 'deny', 'outside the project root'],
    ['write', '/tmp/evil.sh', 'deny', 'outside the project root'],
    ['read', '.env', 'deny', 'secret file'],
    ['read', 'config/.env.local', 'deny', 'secret file'],
    ['read', '.env.production', 'deny', 'secret file'],
    ['read', '.env.example', 'allow', 'inside the project'],
    ['read', 'id_rsa', 'deny', 'secret file'],
    ['read', 'keys/id_ed25519.pub', 'deny', 'secret file'],
    ['read', 'certs/server.pem', 'deny', 'secret file'],
    ['read', 'certs/server.key', 'deny', 'secret file'],
    ['read', '.npmrc', 'deny', 'secret file'],
    ['read', '.netrc', 'deny', 'secret file'],
    ['read', 'home/.aws/credentials', 'deny', 'secret file'],
    ['read', '.ssh/config', 'deny', 'secret file'],
    ['read', 'android/release.keystore', 'deny', 'secret file'],
    ['read', 'cert.p12', 'deny', 'secret file'],
    ['read', 'credentials.json', 'deny', 'secret file'],
    ['read', 'src/environment.ts', 'allow', 'inside the project'],
    ['read', '.git/config', 'allow', 'inside the project'],
    ['write', 'src/new.ts', 'allow', 'inside the project'],
    ['write', '.git/config', 'deny', '.git/'],
    ['write', '.git/hooks/pre-commit', 'deny', '.git/'],
    ['write', 'vendor/lib/.git/HEAD', 'deny', '.git/'],
    ['write', '.', 'deny', 'project directory itself'],
    ['write', '.env', 'ask', 'overwrite credentials'],
    ['write', '.github/workflows/ci.yml', 'ask', '.github/workflows/**'],
    ['read', 'a\0b', 'deny', 'NUL'],
    ['read', '  ', 'deny', 'empty'],
  ])('%s %s -> %s', (kind, path, expected, reasonPart) => {
    const result = decide(kind, path);
    expect(result.kind).toBe(expected);
    expect(result.reason).toContain(reasonPart);
  });

  it('denies a symlink whose real target is outside the root', () => {
    const result = decide('read', 'docs/link', '/etc/passwd');
    expect(result.kind).toBe('deny');
    expect(result.reason).toContain('symlink');
    expect(result.reason).toContain('/etc/passwd');
  });

  it('denies an innocent name that really points at a secret inside the root', () => {
    expect(decide('read', 'notes.txt', `${ROOT}/.env`).kind).toBe('deny');
  });

  it('denies a write through a symlink into .git', () => {
    expect(decide('write', 'hooks', `${ROOT}/.git/hooks`).kind).toBe('deny');
  });

  it('allows a symlink that stays inside', () => {
    expect(decide('read', 'latest', `${ROOT}/dist/v2`).kind).toBe('allow');
  });

  it('asks instead of denying secret reads when the policy says so', () => {
    const policy = resolvePolicy({ secretFiles: { read: 'ask' } });
    expect(assess({ kind: 'read', root: ROOT, path: '.env' }, policy).kind).toBe('ask');
  });

  it('adds project patterns to the built-in secret list', () => {
    const policy = resolvePolicy({ secretFiles: { extraPatterns: ['*.secret.yml'] } });
    expect(assess({ kind: 'read', root: ROOT, path: 'deploy/prod.secret.yml' }, policy).kind).toBe('deny');
    expect(assess({ kind: 'read', root: ROOT, path: '.env' }, policy).kind).toBe('deny');
  });

  it('refuses a relative project root', () => {
    expect(assess({ kind: 'read', root: 'project', path: 'a' }, DEFAULT_POLICY).kind).toBe('deny');
  });
});
