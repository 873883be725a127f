import { describe, expect, it } from 'vitest';
import { detectGateCommands, effectiveGateCommands, parseGateCommands } from '../../../src/core/build/gate-commands.js';

describe('detectGateCommands', () => {
  it.each([
    ['all four, listed in another order', { lint: 'eslint .', build: 'tsc -p .', test: 'vitest run', typecheck: 'tsc --noEmit' }, [
      { name: 'lint', command: 'npm run lint' },
      { name: 'typecheck', command: 'npm run typecheck' },
      { name: 'test', command: 'npm test' },
      { name: 'build', command: 'npm run build' },
    ]],
    ['typecheck named tsc', { tsc: 'tsc --noEmit', test: 'node --test' }, [
      { name: 'typecheck', command: 'npm run tsc' },
      { name: 'test', command: 'npm test' },
    ]],
    ['typecheck named type-check', { 'type-check': 'tsc --noEmit' }, [{ name: 'typecheck', command: 'npm run type-check' }]],
    ['typecheck wins over tsc', { tsc: 'tsc', typecheck: 'tsc --noEmit' }, [{ name: 'typecheck', command: 'npm run typecheck' }]],
    ['only a build', { build: 'esbuild src/index.ts', start: 'node .', dev: 'vite' }, [{ name: 'build', command: 'npm run build' }]],
    ['an empty script is no gate', { lint: '  ', test: 'node --test' }, [{ name: 'test', command: 'npm test' }]],
    ['no scripts', undefined, []],
  ])('%s', (_title, scripts, expected) => {
    const result = detectGateCommands(scripts === undefined ? { name: 'x' } : { name: 'x', scripts });
    expect(result.commands).toEqual(expected);
    expect(result.problem).toBeUndefined();
  });

  it('leaves out the npm init placeholder test and says why', () => {
    const result = detectGateCommands({ scripts: { test: 'echo "Error: no test specified" && exit 1', lint: 'eslint .' } });
    expect(result.commands).toEqual([{ name: 'lint', command: 'npm run lint' }]);
    expect(result.notes).toEqual(['the "test" script is the npm init placeholder that always fails; it is not used as a gate']);
  });

  it('notes when nothing can gate the build', () => {
    expect(detectGateCommands({ scripts: { start: 'node .' } }).notes).toEqual([
      'no lint, typecheck, test or build script found in package.json; add one, or type !gates set test <command>',
    ]);
  });

  it.each([
    ['scripts is not an object', { scripts: ['npm test'] }, '- scripts:'],
    ['a script is not a string', { scripts: { test: 42 } }, '- scripts.test:'],
    ['package.json is not an object', 'hello', '- (input):'],
  ])('reports a package.json where %s', (_title, json, field) => {
    const result = detectGateCommands(json);
    expect(result.commands).toEqual([]);
    expect(result.problem).toContain('package.json is not what was expected');
    expect(result.problem).toContain(field);
    expect(result.problem).toContain('type !gates set test <command>');
  });
});

describe('parseGateCommands (a person overrides the list)', () => {
  it('accepts the stored shape and trims it', () => {
    const result = parseGateCommands([{ name: 'check', command: ' make check ' }, { name: 'e2e', command: 'npm run e2e' }], 'config/settings.json');
    expect(result).toEqual({ ok: true, commands: [{ name: 'check', command: 'make check' }, { name: 'e2e', command: 'npm run e2e' }] });
  });

  it.each([
    ['an empty list', [], '(input): give at least one gate command'],
    ['an extra field', [{ name: 't', command: 'x', cwd: '.' }], 'Unrecognized key'],
    ['an empty command', [{ name: 't', command: ' ' }], '0.command: a gate command must not be empty'],
    ['two lines', [{ name: 't', command: 'a\nb' }], '0.command: a gate command is one line'],
    ['a name with spaces', [{ name: 'unit tests', command: 'x' }], '0.name: a gate name is one word'],
    ['a repeated name', [{ name: 't', command: 'a' }, { name: 't', command: 'b' }], '1.name: the gate name "t" is used twice'],
  ])('rejects %s with the field and an example', (_title, raw, message) => {
    const result = parseGateCommands(raw, 'config/settings.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('config/settings.json: the gate commands are not valid');
    expect(result.message).toContain(message);
    expect(result.message).toContain('[{"name": "test", "command": "npm test"}]');
  });

  it('uses the override over the detected list', () => {
    const detected = detectGateCommands({ scripts: { test: 'vitest' } });
    expect(effectiveGateCommands(detected)).toEqual([{ name: 'test', command: 'npm test' }]);
    expect(effectiveGateCommands(detected, [{ name: 'ci', command: 'make ci' }])).toEqual([{ name: 'ci', command: 'make ci' }]);
  });
});
