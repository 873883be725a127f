import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/core/build/canonical-json.js';

describe('canonicalJson', () => {
  it.each([
    ['keys sorted at every level', { b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}'],
    ['arrays keep their order', [3, 1, 2], '[3,1,2]'],
    ['undefined fields dropped', { a: undefined, b: 'x' }, '{"b":"x"}'],
    ['plain values', 'text', '"text"'],
    ['undefined itself', undefined, 'undefined'],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { b: 2, a: 1 }), '{"a":1,"b":2}'],
  ])('%s', (_title, value, json) => {
    expect(canonicalJson(value)).toBe(json);
  });

  it('gives the same text for the same input written in another key order', () => {
    expect(canonicalJson({ path: 'src/a.ts', offset: 1, limit: 50 })).toBe(canonicalJson({ limit: 50, offset: 1, path: 'src/a.ts' }));
  });
});
