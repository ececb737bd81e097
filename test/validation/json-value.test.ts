/**
 * The value walk on its own: the two storage rules (JSON payloads and
 * Mongo documents) and the exact copy it returns.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../runtime/errors.js';
import { findMongoUnsafeKey, MAX_JSON_DEPTH, toJsonValue } from '../../runtime/validation/json-value.js';

const JSON_RULES = { dates: 'iso-string', mongoDocument: false } as const;
const MONGO_RULES = { dates: 'date', mongoDocument: true } as const;

function refusedAt(value: unknown, rules: typeof JSON_RULES | typeof MONGO_RULES): Array<string | number> {
  try {
    toJsonValue(value, ['v'], rules);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return [...((error as ValidationError).issues[0]?.path ?? [])];
  }
  throw new Error('expected a ValidationError');
}

describe('toJsonValue', () => {
  it('copies JSON exactly, as a new value that shares nothing with the input', () => {
    const input = { a: [1, 'two', null, true, { b: -0 }], shared: { x: 1 } };
    const copy = toJsonValue({ ...input, again: input.shared }, [], JSON_RULES) as Record<string, unknown>;
    expect(copy).toStrictEqual({ a: [1, 'two', null, true, { b: 0 }], shared: { x: 1 }, again: { x: 1 } });
    expect(copy['shared']).not.toBe(input.shared);
  });

  it('keeps Dates for Mongo documents and writes ISO strings for JSON payloads', () => {
    const at = new Date('2026-02-03T04:05:06.007Z');
    expect(toJsonValue({ at }, [], JSON_RULES)).toEqual({ at: '2026-02-03T04:05:06.007Z' });
    const kept = toJsonValue({ at }, [], MONGO_RULES) as { at: Date };
    expect(kept.at).toEqual(at);
    expect(kept.at).not.toBe(at);
  });

  it('refuses $ and . keys and arrays in arrays only under the Mongo document rule', () => {
    const value = { q: { $gt: 1 }, 'a.b': 1, grid: [[1]] };
    expect(toJsonValue(value, [], JSON_RULES)).toEqual(value);
    expect(refusedAt({ q: { $gt: 1 } }, MONGO_RULES)).toEqual(['v', 'q', '$gt']);
    expect(refusedAt({ 'a.b': 1 }, MONGO_RULES)).toEqual(['v', 'a.b']);
    expect(refusedAt({ grid: [[1]] }, MONGO_RULES)).toEqual(['v', 'grid', 0]);
  });

  it('refuses an array of objects under a key named like an Object.prototype member in Mongo documents (the driver reads it back raw)', () => {
    const value = JSON.parse('{"constructor": [{"a": 1}], "valueOf": [{"b": 2}], "toString": [1, "x"], "ok": [{"c": 3}]}') as Record<string, unknown>;
    expect(toJsonValue(value, [], JSON_RULES)).toEqual(value);
    expect(refusedAt(value, MONGO_RULES)).toEqual(['v', 'constructor']);
    expect(toJsonValue({ toString: [1, 'x'], ok: [{ c: 3 }] }, [], MONGO_RULES)).toEqual({ toString: [1, 'x'], ok: [{ c: 3 }] });
  });

  it('refuses the keys __proto__ and _bsontype under both rules, leaving Object.prototype alone', () => {
    const proto = JSON.parse('{"a": {"__proto__": {"polluted": 1}}}') as unknown;
    expect(refusedAt(proto, JSON_RULES)).toEqual(['v', 'a', '__proto__']);
    expect(refusedAt(proto, MONGO_RULES)).toEqual(['v', 'a', '__proto__']);
    expect(refusedAt({ id: { _bsontype: 'ObjectId', id: 'abc' } }, JSON_RULES)).toEqual(['v', 'id', '_bsontype']);
    expect(refusedAt({ id: { _bsontype: 'ObjectId', id: 'abc' } }, MONGO_RULES)).toEqual(['v', 'id', '_bsontype']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('judges a Date by its internal time value: own props, subclasses and fake Dates are refused', () => {
    const ownIso = Object.defineProperty(new Date(0), 'toISOString', { value: () => '2099-01-01T00:00:00.000Z' });
    expect(refusedAt({ at: ownIso }, JSON_RULES)).toEqual(['v', 'at']);
    expect(refusedAt({ at: Object.assign(new Date(0), { getTime: () => 5 }) }, MONGO_RULES)).toEqual(['v', 'at']);
    expect(refusedAt({ at: Object.assign(new Date(0), { valueOf: () => 5 }) }, MONGO_RULES)).toEqual(['v', 'at']);
    expect(refusedAt({ at: Object.assign(new Date(0), { toJSON: () => 'x' }) }, JSON_RULES)).toEqual(['v', 'at']);
    expect(refusedAt({ at: new (class Later extends Date {})(0) }, JSON_RULES)).toEqual(['v', 'at']);
    expect(refusedAt({ at: Object.create(Date.prototype) as object }, JSON_RULES)).toEqual(['v', 'at']);
    // A patched Date.prototype method (after load) is not what the walk calls either.
    const original = Date.prototype.toISOString;
    Date.prototype.toISOString = () => 'patched';
    try {
      expect(toJsonValue({ at: new Date(0) }, [], JSON_RULES)).toEqual({ at: '1970-01-01T00:00:00.000Z' });
    } finally {
      Date.prototype.toISOString = original;
    }
  });

  it(`allows ${MAX_JSON_DEPTH} levels of nesting and refuses one more`, () => {
    const nest = (levels: number): unknown => (levels === 0 ? 'leaf' : { a: nest(levels - 1) });
    expect(() => toJsonValue(nest(MAX_JSON_DEPTH), [], JSON_RULES)).not.toThrow();
    expect(refusedAt(nest(MAX_JSON_DEPTH + 1), JSON_RULES)).toHaveLength(MAX_JSON_DEPTH + 1);
  });

  it('turns a throwing Proxy or getter into a ValidationError, never a raw error', () => {
    const proxy = new Proxy({}, { ownKeys: () => { throw new TypeError('trap'); } });
    expect(refusedAt({ p: proxy }, JSON_RULES)).toEqual(['v']);
    expect(refusedAt(Object.defineProperty({}, 'g', { get: () => { throw new Error('boom'); }, enumerable: true }), JSON_RULES)).toEqual(['v', 'g']);
  });

  it('finds the first Mongo-unsafe key of a filter value with its path', () => {
    expect(findMongoUnsafeKey({ a: [{ ok: 1 }, { 'x.y': 1 }] }, ['f'])).toEqual({ key: 'x.y', path: ['f', 'a', 1, 'x.y'] });
    expect(findMongoUnsafeKey({ a: [1, { ok: new Date(0) }] }, ['f'])).toBeUndefined();
  });
});
