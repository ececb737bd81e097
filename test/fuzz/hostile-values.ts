/**
 * Generators of hostile JSON-ish input for the fuzz suite: JSON with every value JSON or BSON
 * would change or choke on mixed in (NaN, ±Infinity, -0, invalid Dates, Map, Set, binary data,
 * functions, Symbols, BigInt, class instances, BSON types, RegExp, own `toJSON`, getters, sparse
 * arrays, circular references, lone surrogates, NUL), values that carry their own methods (Dates
 * with an own toISOString/getTime/valueOf/toJSON, Date subclasses and fakes, getters that answer
 * differently on each read, Proxies whose reads disagree with their descriptors), BSON-shaped
 * objects (`_bsontype`), keys MongoDB reads as operators or paths, `__proto__` and `_bsontype`
 * keys, deep and wide structures and huge strings. Every generated value is built fresh, so a run can
 * never see another run's objects.
 */
import { types } from 'node:util';
import fc from 'fast-check';
import { Code, Decimal128, Long, ObjectId } from 'mongodb';

/** Keys an attacker (or an unlucky `JSON.parse`) would send. */
const HOSTILE_KEYS = [
  '$gt', '$where', '$function', '$expr', '$set', '$in', '$regex', '$code',
  'a.b', '.', '__proto__', 'constructor', 'prototype', '', '\u0000', 'k\u0000', '\ud800', 'x\udfff',
  'toJSON', '_id', '_system', '_bsontype', 'valueOf', 'orderId', 'status', 'email',
] as const;

class Point {
  x = 1;
  y = 2;
}

/** Non-JSON leaves, each made fresh. */
const exotic: fc.Arbitrary<unknown> = fc
  .constantFrom(
    'map', 'set', 'u8', 'f64', 'buffer', 'arraybuffer', 'dataview', 'function', 'symbol', 'bigint', 'class',
    'regexp', 'code', 'objectid', 'long', 'decimal', 'toJSON', 'getter', 'sparse', 'named-array', 'throwing-proxy',
    'invalid-date', 'nan', 'infinity', '-infinity', 'undefined', 'lone-surrogate', 'null-proto',
    'date-own-toISOString', 'date-own-getTime', 'date-own-valueOf', 'date-own-toJSON', 'date-subclass', 'fake-date',
    'bsontype', 'shifting-getter', 'lying-proxy', 'proto-key', 'number-object',
  )
  .map((kind): unknown => {
    switch (kind) {
      case 'map': return new Map([['a', 1]]);
      case 'set': return new Set([1, 2]);
      case 'u8': return new Uint8Array([1, 2, 3]);
      case 'f64': return new Float64Array([1.5]);
      case 'buffer': return Buffer.from('hello');
      case 'arraybuffer': return new ArrayBuffer(4);
      case 'dataview': return new DataView(new ArrayBuffer(2));
      case 'function': return () => 1;
      case 'symbol': return Symbol('s');
      case 'bigint': return 12345678901234567890n;
      case 'class': return new Point();
      case 'regexp': return /.*/;
      case 'code': return new Code('while (true) {}');
      case 'objectid': return new ObjectId();
      case 'long': return Long.fromNumber(42);
      case 'decimal': return Decimal128.fromString('1.5');
      case 'toJSON': return { ok: 1, toJSON: () => ({ _id: 'f'.repeat(24), _system: { ov: 99 } }) };
      case 'getter': return Object.defineProperty({}, 'g', { get: () => ({ _id: 'x' }), enumerable: true });
      case 'sparse': { const a: unknown[] = [1]; a[3] = 4; return a; }
      case 'named-array': return Object.assign([1, 2], { extra: true });
      case 'throwing-proxy': return new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
      case 'invalid-date': return new Date(Number.NaN);
      case 'nan': return Number.NaN;
      case 'infinity': return Number.POSITIVE_INFINITY;
      case '-infinity': return Number.NEGATIVE_INFINITY;
      case 'undefined': return undefined;
      case 'lone-surrogate': return 'ab\ud83d';
      case 'date-own-toISOString': return Object.defineProperty(new Date(0), 'toISOString', { value: () => '2099-01-01T00:00:00.000Z' });
      case 'date-own-getTime': return Object.assign(new Date(0), { getTime: () => 4_102_444_800_000 });
      case 'date-own-valueOf': return Object.assign(new Date(0), { valueOf: () => Number.NaN });
      case 'date-own-toJSON': return Object.assign(new Date(0), { toJSON: () => ({ _id: 'f'.repeat(24) }) });
      case 'date-subclass': return new (class Later extends Date {})(0);
      case 'fake-date': return Object.create(Date.prototype) as object;
      case 'bsontype': return { _bsontype: 'ObjectId', id: 'abcdefghijkl' };
      case 'shifting-getter': {
        // Small on the first read, 9 MiB on every later one: a second read must never be what is stored.
        let reads = 0;
        return Object.defineProperty({}, 'grow', { enumerable: true, get: () => (reads++ === 0 ? 'small' : 'x'.repeat(9 * 1024 * 1024)) });
      }
      case 'lying-proxy': return new Proxy({ a: 1 }, { get: () => 'x'.repeat(9 * 1024 * 1024) });
      case 'proto-key': return JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
      case 'number-object': return new Number(1);
      default: return Object.assign(Object.create(null) as object, { a: 1 });
    }
  });

/** Strings: ordinary, any code unit (lone surrogates, NUL, controls), and now and then huge. */
const strings: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', 'a\udc00b', '\u0000', '\u2028', '😀', 'é') },
  { weight: 1, arbitrary: fc.constantFrom(70_000, 300_000, 9_000_000).map((n) => 'x'.repeat(n)) },
);

/** JSON-ish leaves: JSON scalars (doubles include NaN, ±Infinity and -0), Dates, and exotics. */
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: strings },
  { weight: 3, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: false }) },
  { weight: 3, arbitrary: exotic },
  // What item.json once used to mark an externalised blob: must round-trip as data.
  { weight: 1, arbitrary: fc.constant({ $chronosBlob: { file: 'blob.bin', contentType: 'x', size: 1 } }) },
);

/** Notes (actor, reason, opId, functionId): ordinary, any code unit (lone surrogates), astral, too long. */
export const notes: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) },
  { weight: 2, arbitrary: fc.constantFrom('op-\ud800', 'op-\ud801', 'x\udfff', '😀', 'é\u0000', '') },
  { weight: 1, arbitrary: fc.constantFrom(201, 1001).map((n) => 'n'.repeat(n)) },
);

/** Object keys: mostly ordinary, often hostile. */
export const keys: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_KEYS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
);

/** A tree of leaves, arrays and objects, a few levels deep. */
export const tree: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown; arr: unknown[]; obj: Record<string, unknown> }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('arr'), tie('obj')),
  arr: fc.array(tie('node'), { maxLength: 4 }),
  obj: fc.dictionary(keys, tie('node'), { maxKeys: 4 }),
})).node;

function nest(levels: number, inner: unknown): unknown {
  let value = inner;
  for (let i = 0; i < levels; i += 1) value = i % 3 === 2 ? [value] : { d: value };
  return value;
}

function circular(inner: Record<string, unknown>): Record<string, unknown> {
  const loop: Record<string, unknown> = { ...inner };
  loop['again'] = { back: loop };
  return loop;
}

/**
 * A top-level document (a plain object of props): mostly a tree of hostile props, sometimes
 * nested very deep, very wide, or circular.
 */
export const hostileDocument: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 8, arbitrary: fc.dictionary(keys, tree, { maxKeys: 6 }) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 150 }), leaf).map(([n, inner]) => ({ deep: nest(n, inner) })) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 3000 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))) },
  { weight: 1, arbitrary: fc.dictionary(keys, tree, { maxKeys: 3 }).map(circular) },
);

/**
 * The exact value a store should give back for `value` if it accepted it, under the documented
 * normalisations only (README "Values"): valid Dates become ISO strings (`dates: 'iso'`) or stay
 * Dates, -0 becomes 0, props whose value is undefined are left out, null-prototype objects come
 * back as plain objects. Anything else is kept as it
 * is, so a silent coercion (NaN to null, a Map to {}) shows up as a difference.
 */
export function documentedCopy(value: unknown, dates: 'iso' | 'date'): unknown {
  if (types.isDate(value)) {
    const time = Date.prototype.getTime.call(value);
    if (Number.isNaN(time)) return value;
    return dates === 'iso' ? Date.prototype.toISOString.call(new Date(time)) : new Date(time);
  }
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
  if (Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype) return value.map((v) => documentedCopy(v, dates));
  const proto = typeof value === 'object' && value !== null ? (Object.getPrototypeOf(value) as unknown) : undefined;
  if (proto === Object.prototype || proto === null) {
    // A value is its own data: each prop's descriptor value (what a Proxy's get trap says is not data).
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object)) {
      const v = (Object.getOwnPropertyDescriptor(value, k) as PropertyDescriptor).value as unknown;
      if (v !== undefined) Object.defineProperty(out, k, { value: documentedCopy(v, dates), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
