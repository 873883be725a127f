import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../../../src/core/agents/', import.meta.url));
const FORBIDDEN = /from\s+['"](ink|react|node:fs|fs|node:fs\/promises|fs-extra|node:child_process|child_process|execa|simple-git|@anthropic-ai\/sdk)(\/[^'"]*)?['"]/;

describe('src/core/agents purity', () => {
  it.each(readdirSync(dir).filter((name) => name.endsWith('.ts')))('%s imports no side-effecting module', (name) => {
    const source = readFileSync(`${dir}${name}`, 'utf8');
    expect(source).not.toMatch(FORBIDDEN);
  });
});
