/**
 * The one walk that decides what caller data may be stored: JSON-shaped values (and valid Dates)
 * are copied exactly; everything JSON or BSON would silently change or choke on is refused with a
 * {@link ValidationError} naming its path. The table of decisions is in the README ("Values").
 *
 * The copy is built from own, enumerable data properties only, read once, so what was checked is
 * what gets stored: an own `toJSON`, a getter or a Proxy cannot show the check one thing and the
 * store another.
 */
import { isChronosError, ValidationError } from '../errors.js';
import { isWellFormed } from './well-formed.js';
import { dateOddity, copyDate, isDate, isoOf, timeOf } from './intrinsic-date.js';

/** How deep objects and arrays may nest (MongoDB stores at most 100 levels; messages wrap values). */
export const MAX_JSON_DEPTH = 64;

/** What a store can keep besides plain JSON. */
export interface JsonValueRules {
  /**
   * A valid Date becomes its ISO-8601 string (`'iso-string'`, for JSON payloads) or stays a
   * Date (`'date'`, for values stored as BSON, which keeps Dates exactly).
   */
  readonly dates: 'iso-string' | 'date';
  /**
   * Refuse what a document on every supported MongoDB-wire server cannot hold, for values stored
   * in Mongo rather than in object storage: keys starting with `$` or containing `.`, and arrays
   * directly inside arrays (FerretDB stores no nested arrays).
   */
  readonly mongoDocument: boolean;
}

type Path = Array<string | number>;

function refuse(path: Path, message: string): never {
  throw ValidationError.at(path, message);
}

function checkString(value: string, path: Path, what: string): void {
  if (!isWellFormed(value)) {
    refuse(path, `${what} holds a lone UTF-16 surrogate, which UTF-8 (and so MongoDB) cannot store: send well-formed Unicode (String.prototype.toWellFormed)`);
  }
}

function checkKey(key: string, path: Path, rules: JsonValueRules): void {
  checkString(key, path, 'the key');
  if (key.includes('\u0000')) refuse(path, 'the key holds a NUL character, which BSON cannot store: rename the key');
  if (key === '__proto__') {
    // One rule for every path: zod (the declared schemas) neither checks nor keeps this key, and
    // plain assignment turns it into a prototype, so it is refused rather than kept on some paths only.
    refuse(path, 'the key "__proto__" is refused (declared schemas cannot check it and JavaScript objects read it as the prototype): rename the key');
  }
  if (key === '_bsontype') {
    refuse(path, 'the key "_bsontype" makes the MongoDB driver read the object as a BSON value: rename the key');
  }
  if (rules.mongoDocument && key.startsWith('$')) {
    refuse(path, `the key "${key}" starts with $, which MongoDB reads as an operator: rename the key`);
  }
  if (rules.mongoDocument && key.includes('.')) {
    refuse(path, `the key "${key}" contains a dot, which MongoDB reads as a path: rename the key`);
  }
}

/** Why a non-plain object is refused, with the fix. */
function describeObject(value: object): string {
  if (value instanceof Map) return 'a Map is not JSON (it would be stored as {}): pass Object.fromEntries(map)';
  if (value instanceof Set) return 'a Set is not JSON (it would be stored as {}): pass [...set]';
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return 'binary data (a Buffer, typed array or ArrayBuffer) is not JSON: pass a base64 string (declare it in base64Props to store it as a blob)';
  }
  if (value instanceof RegExp) return 'a RegExp is not JSON: pass its source as a string (filters take $eq/$in, never regular expressions)';
  if (typeof (value as { _bsontype?: unknown })._bsontype === 'string') {
    return `a BSON ${(value as { _bsontype: string })._bsontype} is not JSON: pass a string or number`;
  }
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return `an instance of ${typeof name === 'string' && name !== '' ? name : 'a class'} is not plain data: pass a plain object (e.g. a copy of its fields)`;
}

class Walker {
  private readonly ancestors = new Set<object>();

  constructor(private readonly rules: JsonValueRules) {}

  value(value: unknown, path: Path, depth: number, inArray = false): unknown {
    switch (typeof value) {
      case 'string':
        checkString(value, path, 'the string');
        return value;
      case 'boolean':
        return value;
      case 'number':
        if (!Number.isFinite(value)) refuse(path, `${String(value)} is not a finite number (JSON would turn it into null): send a finite number, null or a string`);
        return Object.is(value, -0) ? 0 : value;
      case 'bigint':
        return refuse(path, 'a BigInt is not JSON: send a number (when safe) or a decimal string');
      case 'symbol':
        return refuse(path, 'a Symbol is not JSON (it would vanish): send a string');
      case 'function':
        return refuse(
          path,
          path[path.length - 1] === 'toJSON'
            ? 'an own toJSON would replace the data when stored: pass the plain data itself'
            : 'a function is not JSON (it would vanish): remove it',
        );
      case 'undefined':
        return refuse(path, 'undefined is not JSON: send null, or leave the prop out');
      default:
        return value === null ? null : this.object(value as object, path, depth, inArray);
    }
  }

  private object(value: object, path: Path, depth: number, inArray: boolean): unknown {
    if (depth >= MAX_JSON_DEPTH) refuse(path, `nested deeper than ${MAX_JSON_DEPTH} levels: flatten the structure`);
    if (this.ancestors.has(value)) refuse(path, 'a circular reference (the value contains itself) is not JSON: break the cycle');
    if (isDate(value)) return this.date(value, path);
    this.ancestors.add(value);
    try {
      if (Array.isArray(value)) return this.array(value, path, depth, inArray);
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) refuse(path, describeObject(value));
      return this.plain(value as Record<string | symbol, unknown>, path, depth);
    } finally {
      this.ancestors.delete(value);
    }
  }

  /** Judged by its internal time value only: own props (an own toISOString, getTime, toJSON) are refused. */
  private date(value: Date, path: Path): unknown {
    const odd = dateOddity(value);
    if (odd !== undefined) refuse(path, odd);
    if (Number.isNaN(timeOf(value))) refuse(path, 'an invalid Date is not storable (it would become null): send a valid Date or an ISO-8601 string');
    return this.rules.dates === 'date' ? copyDate(value) : isoOf(value);
  }

  private array(value: unknown[], path: Path, depth: number, inArray: boolean): unknown[] {
    if (Object.getPrototypeOf(value) !== Array.prototype) refuse(path, describeObject(value));
    if (inArray && this.rules.mongoDocument) {
      refuse(path, 'an array directly inside an array cannot be stored in a MongoDB-wire document here (FerretDB has no nested arrays): wrap it in an object, e.g. [{ items: [...] }]');
    }
    const keys = Reflect.ownKeys(value);
    if (keys.length !== value.length + 1) {
      for (let i = 0; i < value.length; i += 1) {
        if (!Object.hasOwn(value, i)) refuse([...path, i], 'a sparse array (a hole here) is not JSON (the hole would become null): fill it with null');
      }
      const extra = keys.find((k) => k !== 'length' && !(typeof k === 'string' && /^(0|[1-9]\d*)$/.test(k)));
      refuse([...path, typeof extra === 'string' ? extra : String(extra)], 'an array with named props is not JSON (they would vanish): use an object');
    }
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i += 1) {
      const descriptor = Object.getOwnPropertyDescriptor(value, i);
      if (!descriptor || !('value' in descriptor)) refuse([...path, i], 'an accessor (getter) is not plain data: pass the value itself');
      out[i] = this.value(descriptor.value, [...path, i], depth + 1, true);
    }
    return out;
  }

  private plain(value: Record<string | symbol, unknown>, path: Path, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key === 'symbol') refuse([...path, String(key)], 'a Symbol key is not JSON (it would vanish): use a string key');
      const at = [...path, key];
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (!descriptor) continue;
      if (!('value' in descriptor)) refuse(at, 'an accessor (getter) is not plain data: pass the value itself');
      if (!descriptor.enumerable) refuse(at, 'a non-enumerable prop is not JSON (it would vanish): make it a plain prop');
      checkKey(key, at, this.rules);
      // An undefined prop is left out, as JSON.stringify does (documented in the README).
      if (descriptor.value === undefined) continue;
      const copy = this.value(descriptor.value, at, depth + 1);
      if (this.rules.mongoDocument && key in Object.prototype && Array.isArray(copy) && copy.some((item) => typeof item === 'object' && item !== null)) {
        // The driver (js-bson) looks field names up in a plain options object, so an array of
        // documents under `constructor`, `toString`, `valueOf`... is read back as raw bytes.
        refuse(at, `an array of objects under the key "${key}" (a name of Object.prototype) is read back by the MongoDB driver as raw bytes: rename the key`);
      }
      // defineProperty, so no key can reach an inherited setter of the copy.
      Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
}

/**
 * Returns an exact, plain copy of `value` (JSON-shaped, with Dates per `rules.dates`), or throws
 * a {@link ValidationError} naming the path (starting at `path`) of the first value that is not
 * storable: NaN, ±Infinity, invalid Dates and Dates with own props, BigInt, Symbols, functions
 * (an own `toJSON` included), Map, Set, binary data, RegExp, BSON and other class instances,
 * circular references, sparse arrays, getters, lone surrogates, keys with NUL, the keys
 * `__proto__` and `_bsontype` (and, with
 * `rules.mongoDocument`, keys starting with `$` or containing `.`, arrays directly inside
 * arrays, and arrays of objects under a key named like an `Object.prototype` member), and
 * nesting deeper than
 * {@link MAX_JSON_DEPTH}. Props whose value is `undefined` are left out.
 *
 * @example
 * ```ts
 * const clean = toJsonValue(input, ['data'], { dates: 'iso-string', mongoDocument: false });
 * ```
 */
export function toJsonValue(value: unknown, path: ReadonlyArray<string | number>, rules: JsonValueRules): unknown {
  try {
    return new Walker(rules).value(value, [...path], 0);
  } catch (error) {
    if (isChronosError(error)) throw error;
    // A Proxy trap or an exotic object threw while being read: still the caller's input.
    throw ValidationError.at([...path], `reading the value failed (${error instanceof Error ? error.message : String(error)}): pass plain data`);
  }
}

/**
 * The first key anywhere in a plain JSON `value` (as {@link toJsonValue} returns) that MongoDB
 * cannot store as a field name, with its path; undefined when there is none.
 */
export function findMongoUnsafeKey(value: unknown, path: ReadonlyArray<string | number>): { key: string; path: Array<string | number> } | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const hit = findMongoUnsafeKey(value[i], [...path, i]);
      if (hit) return hit;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null || isDate(value)) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (key.startsWith('$') || key.includes('.')) return { key, path: [...path, key] };
    const hit = findMongoUnsafeKey(inner, [...path, key]);
    if (hit) return hit;
  }
  return undefined;
}
