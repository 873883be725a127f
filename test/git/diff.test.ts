import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSandbox, ok, write, type Sandbox } from './git-fixtures.js';

/* diffFiles on real repositories: what a task's commit would hold, and nothing touched. */

let box: Sandbox;
beforeEach(async () => {
  box = await makeSandbox();
});
afterEach(async () => box.cleanup());

describe('diffFiles', () => {
  it("shows a task's modified, new and deleted files against HEAD, not the person's other changes, and leaves the index alone", async () => {
    const repo = await box.repo();
    await write(repo, 'src/app.js', 'export const a = 1;\n');
    await write(repo, 'src/old.js', 'export const old = true;\n');
    await write(repo, 'notes.md', 'mine\n');
    box.git(repo, 'add', '-A');
    box.git(repo, 'commit', '-q', '-m', 'base');
    // The task's work: one change, one new file, one deletion.
    await write(repo, 'src/app.js', 'export const a = 2;\n');
    await write(repo, 'src/new.js', 'export const fresh = true;\n');
    box.git(repo, 'rm', '-q', '--cached', 'src/old.js');
    await rm(path.join(repo, 'src', 'old.js'));
    // The person's own staged edit, which is not the task's.
    await write(repo, 'notes.md', 'mine, edited\n');
    box.git(repo, 'add', 'notes.md');
    const indexBefore = box.git(repo, 'diff', '--cached', '--name-status');

    const diff = ok(await box.port.diffFiles(repo, ['src/app.js', 'src/new.js', 'src/old.js']));

    expect(diff).toContain('diff --git a/src/app.js b/src/app.js');
    expect(diff).toContain('-export const a = 1;\n+export const a = 2;');
    expect(diff).toContain('new file mode 100644');
    expect(diff).toContain('+export const fresh = true;');
    expect(diff).toContain('deleted file mode 100644');
    expect(diff).toContain('-export const old = true;');
    expect(diff).not.toContain('notes.md');
    expect(box.git(repo, 'diff', '--cached', '--name-status')).toBe(indexBefore);
    expect(box.git(repo, 'status', '--porcelain')).toContain('?? src/new.js');
  });

  it('shows every file as new before the first commit, and nothing for no files', async () => {
    const repo = await box.repo('fresh', { empty: true });
    await write(repo, 'package.json', '{ "name": "fresh" }\n');
    const diff = ok(await box.port.diffFiles(repo, ['package.json']));
    expect(diff).toContain('new file mode 100644');
    expect(diff).toContain('+{ "name": "fresh" }');
    expect(ok(await box.port.diffFiles(repo, []))).toBe('');
    expect(box.git(repo, 'status', '--porcelain')).toBe('?? package.json\n');
  });
});
