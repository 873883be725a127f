import { describe, expect, it } from 'vitest';
import { detectFromProjectFiles, hasMakeTarget, type ProjectFiles } from '../../../src/core/build/gate-detection.js';

const files = (names: string[], more: Partial<ProjectFiles> = {}): ProjectFiles => ({ names, pythonTests: false, ...more });

describe('detectFromProjectFiles', () => {
  it.each([
    ['a Rust crate', files(['Cargo.toml', 'src']), [['test', 'cargo test', 'Cargo.toml'], ['build', 'cargo build', 'Cargo.toml']]],
    ['a Go module', files(['go.mod', 'main.go']), [['test', 'go test ./...', 'go.mod'], ['build', 'go build ./...', 'go.mod']]],
    ['a pyproject naming pytest', files(['pyproject.toml'], { pyproject: '[project.optional-dependencies]\ndev = ["pytest>=8"]\n' }), [['test', 'python3 -m pytest', 'pyproject.toml (pytest is named)']]],
    ['a pyproject without pytest', files(['pyproject.toml'], { pyproject: '[project]\nname = "x"\n' }), [['test', 'python3 -m unittest discover', 'pyproject.toml (pytest is not named, so unittest)']]],
    ['setup.py with pytest in requirements-dev.txt', files(['setup.py', 'requirements-dev.txt'], { requirements: 'pytest==8.1\n' }), [['test', 'python3 -m pytest', 'setup.py (pytest is named)']]],
    ['a pytest.ini', files(['pytest.ini']), [['test', 'python3 -m pytest', 'pytest.ini (pytest is named)']]],
    ['only tests/ with Python files', files(['tests', 'app.py'], { pythonTests: true }), [['test', 'python3 -m unittest discover', 'tests/ (pytest is not named, so unittest)']]],
    ['a pytest-cov mention alone is not pytest', files(['pyproject.toml'], { pyproject: 'deps = ["pytest-cov"]\n' }), [['test', 'python3 -m unittest discover', 'pyproject.toml (pytest is not named, so unittest)']]],
    ['Makefile targets before the language tool', files(['Makefile', 'go.mod'], { makefile: 'lint:\n\tgolangci-lint run\ntest: build\n\tgo test -race ./...\n' }), [
      ['lint', 'make lint', 'Makefile target "lint"'],
      ['test', 'make test', 'Makefile target "test"'],
      ['build', 'go build ./...', 'go.mod'],
    ]],
    ['a Makefile alone', files(['Makefile'], { makefile: '.PHONY: test build\nbuild:\n\tcc -o app app.c\ntest:\n\t./run-tests.sh\n' }), [
      ['test', 'make test', 'Makefile target "test"'],
      ['build', 'make build', 'Makefile target "build"'],
    ]],
  ])('%s', (_title, input, expected) => {
    const result = detectFromProjectFiles(input);
    expect(result.commands).toEqual(expected.map(([name, command]) => ({ name, command })));
    expect(result.sources).toEqual(Object.fromEntries(expected.map(([name, , source]) => [name, source])));
    expect(result.notes).toEqual([]);
    expect(result.problem).toBeUndefined();
  });

  it('says what it looked for and what to type when nothing is found', () => {
    const result = detectFromProjectFiles(files(['README.md', 'tests'], { makefile: undefined }));
    expect(result.commands).toEqual([]);
    expect(result.notes).toEqual([expect.stringContaining('type !gates set test <command>')]);
    expect(result.notes[0]).toContain('Cargo.toml, go.mod, pyproject.toml');
  });
});

describe('hasMakeTarget', () => {
  it.each([
    ['test:\n\tx', 'test', true],
    ['all test: build\n', 'test', true],
    ['test::\n\tx', 'test', true],
    ['test := 1\n', 'test', false],
    ['TEST_FLAGS = test:\n', 'test', false],
    ['\ttest: nope\n', 'test', false],
    ['# test:\n', 'test', false],
    ['tests:\n', 'test', false],
  ])('%j has %s: %s', (text, target, expected) => {
    expect(hasMakeTarget(text, target)).toBe(expected);
  });
});
