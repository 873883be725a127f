import { readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../src/core/policy/config.js';
import { createTempProject } from './temp-project.js';
import type { TempProject } from './temp-project.js';

let project: TempProject;
beforeEach(async () => {
  project = await createTempProject();
  await project.write('src/a.ts', 'export const a = 1;\nexport const b = 2;\n');
  await project.write('src/deep/b.ts', 'import { a } from "../a.js";\nconsole.log(a);\n');
  await project.write('README.md', '# Demo\nTODO: write docs\n');
  await project.write('.env', 'ANTHROPIC_API_KEY=sk-ant-secret\n');
  await project.write('.env.example', 'ANTHROPIC_API_KEY=\n');
  await project.write('keys/id_rsa', '-----BEGIN OPENSSH PRIVATE KEY-----\n');
  await project.write('.git/config', '[core]\n');
  await project.write('node_modules/dep/index.js', 'TODO in a dependency\n');
  await writeFile(path.join(project.outside, 'secret.txt'), 'outside the project\n');
});
afterEach(async () => {
  await project.cleanup();
});

describe('sandbox escapes are refused', () => {
  it.each([
    ['read_file', { path: '../outside/secret.txt' }, 'outside the project root'],
    ['read_file', { path: '/etc/passwd' }, 'outside the project root'],
    ['read_file', { path: '.env' }, 'secret file'],
    ['read_file', { path: 'keys/id_rsa' }, 'secret file'],
    ['write_file', { path: '.git/config', content: '[core]\n\thooksPath = /tmp\n' }, '.git/'],
    ['write_file', { path: '../outside/new.txt', content: 'x' }, 'outside the project root'],
    ['edit_file', { path: '.env', old_string: 'sk', new_string: 'x' }, 'secret file'],
    ['list_files', { path: '..' }, 'outside the project root'],
    ['glob', { pattern: '*', path: '/etc' }, 'outside the project root'],
    ['grep', { pattern: 'root', path: '/etc/passwd' }, 'outside the project root'],
  ])('%s %j', async (tool, input, reason) => {
    const result = await project.call(tool, input);
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain('Denied by the sandbox policy');
    expect(result.llmContent).toContain(reason);
    expect(project.approve).not.toHaveBeenCalled();
  });

  it('refuses a symlink that points out of the project, for reading and for writing', async () => {
    await symlink(path.join(project.outside, 'secret.txt'), path.join(project.root, 'innocent.txt'));
    await symlink(project.outside, path.join(project.root, 'linked-dir'));
    const read = await project.call('read_file', { path: 'innocent.txt' });
    expect(read.isError).toBe(true);
    expect(read.llmContent).toContain('symlink');
    const write = await project.call('write_file', { path: 'linked-dir/planted.sh', content: 'x' });
    expect(write.isError).toBe(true);
    expect(write.llmContent).toContain('symlink');
    await expect(readFile(path.join(project.outside, 'planted.sh'))).rejects.toThrow();
  });

  it('refuses a symlink inside the project that points at a secret', async () => {
    await symlink(path.join(project.root, '.env'), path.join(project.root, 'notes.txt'));
    const result = await project.call('read_file', { path: 'notes.txt' });
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain('secret file');
  });

  it('does not write .git/config even when asked twice', async () => {
    await project.call('write_file', { path: '.git/config', content: 'evil' });
    expect(await readFile(path.join(project.root, '.git/config'), 'utf8')).toBe('[core]\n');
  });
});

describe('read_file', () => {
  it('returns numbered lines', async () => {
    const result = await project.call('read_file', { path: 'src/a.ts' });
    expect(result).toMatchObject({ isError: false, display: 'Read src/a.ts (2 lines)' });
    expect(result.llmContent).toBe('     1\texport const a = 1;\n     2\texport const b = 2;');
  });

  it('reads a window and says how to read on', async () => {
    await project.write('long.txt', Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n'));
    const result = await project.call('read_file', { path: 'long.txt', offset: 10, limit: 5 });
    expect(result.llmContent).toContain('    10\tline 10');
    expect(result.llmContent).toContain('    14\tline 14');
    expect(result.llmContent).not.toContain('line 15');
    expect(result.llmContent).toContain('[Lines 10-14 of 50. Use offset=15 to read on.]');
  });

  it('reads .env.example, which is meant to be shared', async () => {
    expect((await project.call('read_file', { path: '.env.example' })).isError).toBe(false);
  });

  it.each([
    [{ path: 'missing.ts' }, 'File not found: missing.ts'],
    [{ path: 'src' }, 'is a directory'],
    [{ path: 'src/a.ts', offset: 99 }, 'past the end'],
  ])('explains %j', async (input, message) => {
    const result = await project.call('read_file', input);
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain(message);
  });

  it('turns a wrongly typed argument into an is_error naming the field', async () => {
    const result = await project.call('read_file', { path: 'src/a.ts', offset: 'ten' });
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain('- offset:');
  });
});

describe('write_file', () => {
  it('creates parent folders and reports the changed file', async () => {
    const result = await project.call('write_file', { path: 'src/new/deep/c.ts', content: 'a\nb\n' });
    expect(result).toMatchObject({ isError: false, changedFiles: ['src/new/deep/c.ts'], display: 'Created src/new/deep/c.ts (2 lines)' });
    expect(await readFile(path.join(project.root, 'src/new/deep/c.ts'), 'utf8')).toBe('a\nb\n');
  });

  it('overwrites and says so', async () => {
    const result = await project.call('write_file', { path: 'src/a.ts', content: 'x\n' });
    expect(result.display).toBe('Overwrote src/a.ts (1 lines, was 2)');
  });

  it('asks before writing a CI workflow and shows the person the path and content', async () => {
    project.approve.mockResolvedValueOnce('yes');
    const result = await project.call('write_file', { path: '.github/workflows/ci.yml', content: 'on: push\n' });
    expect(project.approve).toHaveBeenCalledWith(
      expect.objectContaining({ toolName: 'write_file', kind: 'write', action: '.github/workflows/ci.yml', detail: '+ on: push' }),
    );
    expect(result.isError).toBe(false);
  });

  it("does not write when the person says 'no'", async () => {
    const result = await project.call('write_file', { path: '.github/workflows/ci.yml', content: 'on: push\n' });
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain('The person declined');
    await expect(readFile(path.join(project.root, '.github/workflows/ci.yml'))).rejects.toThrow();
  });

  it('stops waiting for the person when the task is stopped, says so, and writes nothing', async () => {
    const task = new AbortController();
    project.ctx.signal = task.signal;
    // A person who never answers: only the stop ends the wait (nothing is denied on a timeout).
    project.approve.mockImplementationOnce(() => new Promise<never>(() => {}));
    const pending = project.call('write_file', { path: '.github/workflows/ci.yml', content: 'on: push\n' });
    await new Promise((r) => setTimeout(r, 20));
    expect(project.approve).toHaveBeenCalledTimes(1);

    task.abort();
    const result = await pending;

    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain('The task was stopped while this write waited for the person\'s approval, so it was not done: .github/workflows/ci.yml');
    await expect(readFile(path.join(project.root, '.github/workflows/ci.yml'))).rejects.toThrow();
    // A task already stopped asks no one.
    const again = await project.call('write_file', { path: '.github/workflows/ci.yml', content: 'on: push\n' });
    expect(again.isError).toBe(true);
    expect(project.approve).toHaveBeenCalledTimes(1);
  });
});

describe('edit_file', () => {
  it('replaces a unique string and shows the result around it', async () => {
    const result = await project.call('edit_file', { path: 'src/a.ts', old_string: 'b = 2', new_string: 'b = 3' });
    expect(result).toMatchObject({ isError: false, changedFiles: ['src/a.ts'] });
    expect(result.llmContent).toContain('replaced 1 occurrence');
    expect(result.llmContent).toContain('     2\texport const b = 3;');
    expect(result.display).toContain('- b = 2\n+ b = 3');
    expect(await readFile(path.join(project.root, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\nexport const b = 3;\n');
  });

  it('refuses when the old text is missing', async () => {
    const result = await project.call('edit_file', { path: 'src/a.ts', old_string: 'const c', new_string: 'x' });
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain('0 matches');
  });

  it('refuses an ambiguous edit, saying how many matches, and changes nothing', async () => {
    const result = await project.call('edit_file', { path: 'src/a.ts', old_string: 'export const', new_string: 'const' });
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain('matches 2 times');
    expect(await readFile(path.join(project.root, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\nexport const b = 2;\n');
  });

  it('replaces all when asked', async () => {
    const result = await project.call('edit_file', { path: 'src/a.ts', old_string: 'export const', new_string: 'const', replace_all: true });
    expect(result.llmContent).toContain('replaced 2 occurrences');
  });

  it('points to write_file for a file that does not exist', async () => {
    const result = await project.call('edit_file', { path: 'src/none.ts', old_string: 'a', new_string: 'b' });
    expect(result.llmContent).toContain('use write_file');
  });

  it('does not ask the person about an edit that would fail', async () => {
    await project.write('.github/workflows/ci.yml', 'on: push\n');
    const result = await project.call('edit_file', { path: '.github/workflows/ci.yml', old_string: 'nope', new_string: 'x' });
    expect(result.llmContent).toContain('0 matches');
    expect(project.approve).not.toHaveBeenCalled();
  });
});

describe('list_files', () => {
  it('lists one folder, folders marked, .git and node_modules skipped', async () => {
    const result = await project.call('list_files', {});
    expect(result.llmContent.split('\n')).toEqual(['.env', '.env.example', 'README.md', 'keys/', 'src/']);
  });

  it('lists recursively with project-relative paths', async () => {
    const result = await project.call('list_files', { path: 'src', recursive: true });
    expect(result.llmContent.split('\n')).toEqual(['src/a.ts', 'src/deep/', 'src/deep/b.ts']);
  });

  it('stops at max_entries and says so', async () => {
    const result = await project.call('list_files', { recursive: true, max_entries: 2 });
    expect(result.llmContent).toContain('[Stopped at 2 entries');
  });

  it('marks symlinks and does not follow them', async () => {
    await symlink(project.outside, path.join(project.root, 'out'));
    const result = await project.call('list_files', { recursive: true });
    expect(result.llmContent).toContain('out@');
    expect(result.llmContent).not.toContain('secret.txt');
  });
});

describe('glob', () => {
  it.each([
    ['**/*.ts', '.', ['src/a.ts', 'src/deep/b.ts']],
    ['*.ts', 'src', ['src/a.ts']],
    ['**/*.{md,ts}', '.', ['README.md', 'src/a.ts', 'src/deep/b.ts']],
    ['**/index.js', '.', []],
  ])('%s in %s', async (pattern, dir, expected) => {
    const result = await project.call('glob', { pattern, path: dir });
    expect(result.isError).toBe(false);
    if (expected.length === 0) expect(result.llmContent).toContain('No files match');
    else expect(result.llmContent.split('\n')).toEqual(expected);
  });
});

describe('grep', () => {
  it('finds lines as path:line:text, skipping node_modules and secret files', async () => {
    const result = await project.call('grep', { pattern: 'TODO|ANTHROPIC' });
    expect(result.llmContent).toContain('README.md:2:TODO: write docs');
    expect(result.llmContent).toContain('.env.example:1:ANTHROPIC_API_KEY=');
    expect(result.llmContent).not.toContain('sk-ant-secret');
    expect(result.llmContent).not.toContain('node_modules');
    expect(result.llmContent).toContain('Skipped 2 secret file(s)');
  });

  it('filters by glob and is case-insensitive on request', async () => {
    const result = await project.call('grep', { pattern: 'EXPORT', glob: '*.ts', case_insensitive: true });
    expect(result.llmContent.split('\n')).toEqual(['src/a.ts:1:export const a = 1;', 'src/a.ts:2:export const b = 2;']);
  });

  it('stops at max_results', async () => {
    const result = await project.call('grep', { pattern: 'const', max_results: 1 });
    expect(result.llmContent).toContain('[Stopped at 1 matches');
  });

  it('reports an invalid regular expression to the model', async () => {
    const result = await project.call('grep', { pattern: '(' });
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain('Invalid regular expression');
  });
});

describe('policy passed in', () => {
  it('can let a person approve secret reads instead of refusing them', async () => {
    const lenient = await createTempProject({ policy: resolvePolicy({ secretFiles: { read: 'ask' } }) });
    try {
      await lenient.write('.env', 'K=v\n');
      lenient.approve.mockResolvedValueOnce('yes');
      const result = await lenient.call('read_file', { path: '.env' });
      expect(lenient.approve).toHaveBeenCalledWith(expect.objectContaining({ kind: 'read', action: '.env' }));
      expect(result.llmContent).toContain('K=v');
    } finally {
      await lenient.cleanup();
    }
  });
});
