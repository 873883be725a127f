import { describe, expect, it } from 'vitest';
import { isSensitiveEnvName, sandboxEnv, scrubEnv } from '../../src/sandbox/scrub-env.js';

describe('scrubEnv', () => {
  it.each([
    'ANTHROPIC_API_KEY',
    'OPENAI_API_KEY',
    'GITHUB_TOKEN',
    'GH_TOKEN',
    'NPM_TOKEN',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'PGPASSWORD',
    'DB_PASSWD',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'SSH_AUTH_SOCK',
    'npm_config__auth',
    'npm_config_//registry.npmjs.org/:_authToken',
    'stripe_secret',
    'GPG_PRIVATE',
    'SESSION_COOKIE',
    'GIT_ASKPASS',
  ])('drops %s', (name) => {
    expect(isSensitiveEnvName(name)).toBe(true);
    expect(scrubEnv({ [name]: 'value' })).toEqual({});
  });

  it.each(['PATH', 'HOME', 'LANG', 'LC_ALL', 'TERM', 'TMPDIR', 'NODE_ENV', 'NODE_OPTIONS', 'npm_config_cache', 'npm_config_registry', 'CI', 'SHELL', 'USER', 'PWD'])(
    'keeps %s',
    (name) => {
      expect(scrubEnv({ [name]: 'value' })).toEqual({ [name]: 'value' });
    },
  );

  it('drops a variable whose value is a URL with a password, whatever its name', () => {
    expect(scrubEnv({ DATABASE_URL: 'postgres://app:hunter2@db:5432/app', HOMEPAGE: 'https://example.com/a' })).toEqual({
      HOMEPAGE: 'https://example.com/a',
    });
  });

  it('skips undefined values and leaves its input alone', () => {
    const input = { PATH: '/bin', ANTHROPIC_API_KEY: 'sk-ant-x', EMPTY: undefined };
    expect(scrubEnv(input)).toEqual({ PATH: '/bin' });
    expect(input.ANTHROPIC_API_KEY).toBe('sk-ant-x');
  });
});

describe('sandboxEnv', () => {
  it('adds the no-prompt, no-pager defaults and scrubs the extras too', () => {
    const env = sandboxEnv({ PATH: '/bin', OPENAI_API_KEY: 'x' }, { FOO: '1', MY_TOKEN: 'leak' });
    expect(env).toEqual({ PATH: '/bin', FOO: '1', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', PAGER: 'cat' });
  });
});
