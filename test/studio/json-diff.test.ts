/** The path diff the Studio shows between two versions. */
import { describe, expect, it } from 'vitest';
import { diffJson } from '../../cli/studio/json-diff.js';

describe('diffJson', () => {
  it('names added, removed and changed paths inside nested objects', () => {
    const diff = diffJson({ a: 1, b: { c: 'x', d: true }, gone: 1 }, { a: 2, b: { c: 'x', e: null }, fresh: [1] });
    expect(diff).toEqual({
      added: [{ path: 'b.e', after: null }, { path: 'fresh', after: [1] }],
      removed: [{ path: 'b.d', before: true }, { path: 'gone', before: 1 }],
      changed: [{ path: 'a', before: 1, after: 2 }],
    });
  });

  it('compares arrays index by index', () => {
    expect(diffJson({ tags: ['a', 'b'] }, { tags: ['a', 'c', 'd'] })).toEqual({
      added: [{ path: 'tags[2]', after: 'd' }],
      removed: [],
      changed: [{ path: 'tags[1]', before: 'b', after: 'c' }],
    });
  });

  it('reports a change of type as one change at its path', () => {
    expect(diffJson({ v: { x: 1 } }, { v: [1] }).changed).toEqual([{ path: 'v', before: { x: 1 }, after: [1] }]);
    expect(diffJson({ v: null }, { v: {} }).changed).toEqual([{ path: 'v', before: null, after: {} }]);
  });

  it('finds nothing between equal values', () => {
    expect(diffJson({ a: [{ b: 1 }] }, { a: [{ b: 1 }] })).toEqual({ added: [], removed: [], changed: [] });
  });
});
