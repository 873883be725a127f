import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/core/commands/defs/index.js';
import { parseInput } from '../../../src/core/commands/parser.js';
import type { Place } from '../../../src/core/commands/registry.js';
import { suggestGate } from '../../../src/core/commands/nl-hints.js';
import { closestName } from '../../../src/core/commands/suggest.js';

const registry = createBuiltinRegistry();
const none: Place = { kind: 'no-project' };
const discovery: Place = { kind: 'project', stage: 'discovery', paused: false };
const planning: Place = { kind: 'project', stage: 'planning', paused: false };
const pausedPlanning: Place = { kind: 'project', stage: 'planning', paused: true };

describe('parseInput', () => {
  it.each([
    ['Start agent 0', 0],
    ['start   AGENT 0', 0],
    ['  START\tagent\t0  ', 0],
    ['start agent 3', 3],
  ])('reads %j as starting agent %d', (line, agent) => {
    expect(parseInput(line, registry, none)).toEqual({ kind: 'start-agent', agent });
  });

  it.each([
    ['!help', 'help', ''],
    ['!h', 'help', ''],
    ['!?', 'help', ''],
    ['!HELP build', 'help', 'build'],
    ['!st', 'status', ''],
    ['!exit', 'quit', ''],
    ['  !plan  ', 'plan', ''],
  ])('resolves %j to !%s with args %j', (line, name, args) => {
    const parsed = parseInput(line, registry, discovery);
    expect(parsed.kind).toBe('command');
    if (parsed.kind !== 'command') return;
    expect(parsed.definition.name).toBe(name);
    expect(parsed.args).toBe(args);
  });

  it.each([
    ['!bild', 'build'],
    ['!stat', 'state'],
    ['!pase', 'pause'],
    ['!verfy', 'verify'],
  ])('suggests a close name for %j', (line, suggestion) => {
    expect(parseInput(line, registry, discovery)).toEqual({ kind: 'unknown-command', name: line.slice(1), suggestion });
  });

  it('has no suggestion for a name far from every command', () => {
    expect(parseInput('!xyzzyplugh', registry, discovery)).toEqual({ kind: 'unknown-command', name: 'xyzzyplugh' });
    expect(parseInput('!', registry, discovery)).toEqual({ kind: 'unknown-command', name: '' });
  });

  it.each([
    ['!build', discovery, '!build is valid in planning, in building, in critique, in security, in verification, in maintenance; the project is in discovery.'],
    ['!verify', planning, '!verify is valid in security, in verification, in maintenance; the project is in planning.'],
    ['!resume', planning, '!resume is valid while paused; the project is in planning.'],
    ['!pause', pausedPlanning, '!pause is valid in discovery, in planning, in building, in critique, in security, in verification, in maintenance; the project is paused in planning. It is already paused.'],
    ['!build', pausedPlanning, '!build is valid in planning, in building, in critique, in security, in verification, in maintenance; the project is paused in planning. Type !resume first.'],
    ['!status', none, '!status needs an open project. Type `Start agent 0` to start or resume one.'],
    ['!plan', none, '!plan needs an open project. Type `Start agent 0` to start or resume one.'],
  ] as const)('says when %j is valid (%j)', (line, place, reason) => {
    const parsed = parseInput(line, registry, place);
    expect(parsed).toMatchObject({ kind: 'unavailable', reason });
  });

  it('accepts a gate in a later stage, where it re-approves', () => {
    expect(parseInput('!plan', registry, planning).kind).toBe('command');
  });

  it('treats anything else as text', () => {
    expect(parseInput('looks good to me', registry, discovery)).toEqual({ kind: 'text', text: 'looks good to me' });
    expect(parseInput('   ', registry, discovery)).toEqual({ kind: 'empty' });
  });
});

describe('closestName', () => {
  it('prefers a unique prefix', () => {
    expect(closestName('pip', ['pipeline', 'plan', 'pause'])).toBe('pipeline');
  });
});

describe('suggestGate', () => {
  it.each([
    ['looks good', 'discovery', '!plan'],
    ["I'm happy with this", 'discovery', '!plan'],
    ["let's build", 'planning', '!build'],
    ['go ahead and build it', 'planning', '!build'],
    ['check security please', 'critique', '!security'],
    ['ready to ship!', 'security', '!verify'],
  ] as const)('suggests for %j in %s: %s', (text, stage, command) => {
    expect(suggestGate(text, stage)?.command).toBe(command);
    expect(suggestGate(text, stage)?.message).toContain(`type ${command}`);
  });

  it('stays quiet for ordinary words or a phrase out of its stage', () => {
    expect(suggestGate('the users are teachers', 'discovery')).toBeUndefined();
    expect(suggestGate("let's build", 'discovery')).toBeUndefined();
  });
});
