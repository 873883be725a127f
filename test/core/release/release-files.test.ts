import { describe, expect, it } from 'vitest';
import { findReleaseFiles, manifestVersion } from '../../../src/core/release/release-files.js';

describe('findReleaseFiles', () => {
  it('finds a README, a licence and a changelog by name, whatever the case and extension', () => {
    expect(findReleaseFiles(['src', 'Readme.rst', 'LICENCE.txt', 'CHANGES.md', 'package.json'], { name: 'package.json', text: '{"version":"1.2.3"}' })).toEqual({
      readme: 'Readme.rst',
      licence: 'LICENCE.txt',
      changelog: 'CHANGES.md',
      manifest: 'package.json',
      version: '1.2.3',
    });
    expect(findReleaseFiles(['COPYING', 'HISTORY', 'README'], undefined)).toMatchObject({ readme: 'README', licence: 'COPYING', changelog: 'HISTORY', manifest: null, version: null });
    expect(findReleaseFiles(['LICENSE-MIT', 'NEWS.md'], undefined)).toMatchObject({ licence: 'LICENSE-MIT', changelog: 'NEWS.md' });
  });

  it('says null for what is missing, and does not take look-alikes', () => {
    expect(findReleaseFiles(['readme-notes', 'licensing.md', 'changelogs', 'src'], undefined)).toEqual({ readme: null, licence: null, changelog: null, manifest: null, version: null });
  });
});

describe('manifestVersion', () => {
  it('reads package.json, and says null for a missing, empty or unreadable version', () => {
    expect(manifestVersion('package.json', '{"name":"a","version":"0.1.0"}')).toBe('0.1.0');
    expect(manifestVersion('package.json', '{"name":"a"}')).toBeNull();
    expect(manifestVersion('package.json', '{"version":"  "}')).toBeNull();
    expect(manifestVersion('package.json', 'not json')).toBeNull();
  });

  it('reads the version of the [package] table of Cargo.toml, not of a dependency', () => {
    const cargo = '[dependencies]\nserde = { version = "1" }\n\n[package]\nname = "tidy"\nversion = "0.3.1"\n';
    expect(manifestVersion('Cargo.toml', cargo)).toBe('0.3.1');
    expect(manifestVersion('Cargo.toml', '[workspace]\nmembers = ["a"]\n')).toBeNull();
  });

  it('reads [project] or [tool.poetry] of pyproject.toml', () => {
    expect(manifestVersion('pyproject.toml', '[project]\nname = "tidy"\nversion = "2.0.0"\n[tool.ruff]\nline-length = 100\n')).toBe('2.0.0');
    expect(manifestVersion('pyproject.toml', "[tool.poetry]\nversion = '1.0'\n")).toBe('1.0');
    expect(manifestVersion('pyproject.toml', '[project]\nname = "x"\ndynamic = ["version"]\n')).toBeNull();
  });
});
