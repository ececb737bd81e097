/**
 * Values of versioned writes: every value that JSON would change silently is
 * refused with a ValidationError naming its path, and nothing is written; everything accepted
 * reads back exactly (README "Values").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectId, Code, Long } from 'mongodb';
import { ValidationError } from '../../runtime/errors.js';
import type { EngineCollectionOps } from '../../runtime/ops/collection-ops.js';
import { openFixture, type Fixture } from './support/fixture.js';
import { snapshot } from './support/invariants.js';
import { mergePatches } from '../../runtime/ops/enrich.js';

let fx: Fixture;
let ops: EngineCollectionOps;
let id: string;
const coll = 'values';

beforeAll(async () => {
  fx = await openFixture('local');
  ops = fx.ops(coll, { settings: { indexedProps: ['orderId', 'status'] } });
  ({ id } = await ops.create({ orderId: 'A-1', status: 'placed' }));
});
afterAll(async () => {
  await fx.teardown();
});

/** Expects every write path to refuse `data` with an issue at `path` (under data/patch), writing nothing. */
async function refusedEverywhere(data: Record<string, unknown>, path: Array<string | number>): Promise<void> {
  const before = await snapshot(fx, coll);
  const calls: Array<[string, () => Promise<unknown>]> = [
    ['data', () => ops.create(data)],
    ['data', () => ops.update(id, data)],
    ['patch', () => ops.enrich(id, data)],
  ];
  for (const [root, call] of calls) {
    const error = await call().then(() => undefined, (e: unknown) => e);
    expect(error, `${root}: ${String(error)}`).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toContainEqual([root, ...path]);
  }
  expect(await snapshot(fx, coll)).toEqual(before);
}

function circular(): Record<string, unknown> {
  const inner: Record<string, unknown> = { a: 1 };
  inner['self'] = inner;
  return { nested: inner };
}

function sparse(): unknown[] {
  const holes: unknown[] = [1];
  holes[2] = 3;
  return holes;
}

describe('an own toJSON cannot bypass the _id / _system refusal', () => {
  it('refuses a document with an own toJSON that would write a foreign _id', async () => {
    const hostile = { status: 'x', toJSON: () => ({ _id: 'ffffffffffffffffffffffff', _system: { ov: 99 } }) };
    await refusedEverywhere(hostile, ['toJSON']);
  });

  it('refuses a nested toJSON and a getter, so what is checked is what is stored', async () => {
    await refusedEverywhere({ nested: { toJSON: () => 'x' } }, ['nested', 'toJSON']);
    const getter = Object.defineProperty({ status: 'x' }, 'later', { get: () => ({ _id: 'x' }), enumerable: true });
    await refusedEverywhere(getter, ['later']);
  });
});

describe('values JSON would change are refused, naming the path', () => {
  const cases: Array<[string, Record<string, unknown>, Array<string | number>]> = [
    ['NaN', { n: { v: Number.NaN } }, ['n', 'v']],
    ['Infinity', { n: Number.POSITIVE_INFINITY }, ['n']],
    ['-Infinity', { list: [1, Number.NEGATIVE_INFINITY] }, ['list', 1]],
    ['an invalid Date', { at: new Date('nope') }, ['at']],
    ['a Map', { m: new Map([['a', 1]]) }, ['m']],
    ['a Set', { s: new Set([1]) }, ['s']],
    ['a typed array', { t: new Uint8Array([1, 2]) }, ['t']],
    ['a Buffer', { b: Buffer.from('hi') }, ['b']],
    ['an ArrayBuffer', { b: new ArrayBuffer(2) }, ['b']],
    ['a function', { f: () => 1 }, ['f']],
    ['a Symbol', { s: Symbol('s') }, ['s']],
    ['a Symbol key', { [Symbol('k')]: 1 }, ['Symbol(k)']],
    ['a BigInt', { big: 10n }, ['big']],
    ['a class instance', { c: new (class Point { x = 1 })() }, ['c']],
    ['an ObjectId', { o: new ObjectId() }, ['o']],
    ['a BSON Code', { o: new Code('1') }, ['o']],
    ['a BSON Long', { o: Long.fromNumber(1) }, ['o']],
    ['a RegExp', { r: /a/ }, ['r']],
    ['a circular reference', circular(), ['nested', 'self']],
    ['a sparse array', { list: sparse() }, ['list', 1]],
    ['undefined in an array', { list: [undefined] }, ['list', 0]],
    ['a lone surrogate', { s: 'a\ud800b' }, ['s']],
    ['a lone surrogate in a key', { ['k\udc00']: 1 }, ['k\udc00']],
    ['a NUL in a key', { ['a\u0000b']: 1 }, ['a\u0000b']],
    ['a __proto__ key (as JSON.parse makes it)', JSON.parse('{"x": {"__proto__": {"polluted": true}}}') as Record<string, unknown>, ['x', '__proto__']],
    ['a _bsontype key (the driver would read a BSON value)', { o: { _bsontype: 'ObjectId', id: 'x' } }, ['o', '_bsontype']],
    ['a Date with its own toISOString', { at: Object.defineProperty(new Date(0), 'toISOString', { value: () => 'evil' }) }, ['at']],
    ['a Date with its own getTime', { at: Object.assign(new Date(0), { getTime: () => 1 }) }, ['at']],
    ['a Date with its own valueOf', { at: Object.assign(new Date(0), { valueOf: () => 1 }) }, ['at']],
    ['a Date with its own toJSON', { at: Object.assign(new Date(0), { toJSON: () => 'evil' }) }, ['at']],
    ['a Date subclass', { at: new (class Later extends Date {})(0) }, ['at']],
    ['an object pretending to be a Date', { at: Object.create(Date.prototype) as object }, ['at']],
    ['nesting deeper than 64 levels', { deep: nest(70) }, ['deep', ...Array.from({ length: 63 }, () => 'a')]],
  ];
  it.each(cases)('refuses %s', async (_name, data, path) => {
    await refusedEverywhere(data, path);
  });

  it('reads back exactly what it accepted: -0 as 0, valid Dates as ISO strings, undefined props left out', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const data = {
      orderId: 'A-2',
      s: 'é😀\u0000',
      n: [0, -0, 1.5e308, 5e-324, -1],
      at,
      gone: undefined,
      nested: { ['$dollar']: 1, ['a.b']: 2, '': 'empty key' },
    };
    const { id: created } = await ops.create(data);
    const back = (await ops.getLatest(created)) as Record<string, unknown>;
    const { _id, _system, ...rest } = back;
    expect(rest).toStrictEqual(JSON.parse(JSON.stringify({ ...data, at: at.toISOString() })));
  });
});

describe('operator-shaped data in an indexed prop is refused before it reaches Mongo', () => {
  it('refuses { orderId: { $gt: "" } } with a ValidationError at data.orderId.$gt', async () => {
    await refusedEverywhere({ orderId: { $gt: '' } }, ['orderId', '$gt']);
  });

  it('refuses a dotted key or nested arrays inside an indexed prop, and keeps both outside indexed props', async () => {
    await refusedEverywhere({ status: { 'a.b': 1 } }, ['status', 'a.b']);
    await refusedEverywhere({ status: [[1]] }, ['status', 0]);
    const { id: created } = await ops.create({ orderId: 'A-3', other: { $gt: '' }, grid: [[1]] });
    expect(await ops.getLatest(created)).toMatchObject({ other: { $gt: '' }, grid: [[1]] });
  });
});

function nest(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i += 1) value = { a: value };
  return value;
}

describe('__proto__ in the enrich deep-merge', () => {
  it('merges a __proto__ key (as a record stored before the rule could hold) as an own key, never as a prototype, and the write refuses it', async () => {
    const stored = JSON.parse('{"x": {"__proto__": {"a": 1}}}') as Record<string, unknown>;
    const merged = mergePatches(stored, [JSON.parse('{"x": {"__proto__": {"b": 2}}}') as Record<string, unknown>]);
    expect(Object.hasOwn(merged['x'] as object, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(merged['x'])).toBe(Object.prototype);
    expect(JSON.stringify(merged)).toBe('{"x":{"__proto__":{"a":1,"b":2}}}');
    expect(({} as Record<string, unknown>)['a']).toBeUndefined();
    expect(({} as Record<string, unknown>)['b']).toBeUndefined();
    await refusedEverywhere(merged, ['x', '__proto__']);
  });
});
