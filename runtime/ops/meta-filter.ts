/**
 * Validation and translation of `listByMeta` filters. A filter may name indexed props (matched
 * against the head's `meta`), `_system.<field>`, and `_id`; it may use comparison operators and
 * `$and`/`$or`/`$nor`. Values are JSON (and Dates): a RegExp literal, a BSON value or NaN is
 * refused like an unknown operator. Server-side JavaScript (`$where`, `$function`, `$accumulator`) is refused
 * anywhere in the filter, as is every operator not listed here, so a filter can never reach
 * beyond the handle's head collection or run code on the server.
 */
import { ValidationError } from '../errors.js';
import type { CollectionSettings } from './context.js';
import { isPlainObject } from '../validation/plain-object.js';
import { findServerCode } from '../validation/server-code.js';
import { findMongoUnsafeKey, toJsonValue } from '../validation/json-value.js';
import type { MetaFilter } from './types.js';

/** `_system` fields a filter or sort may use, mapped to their head field. */
const SYSTEM_FILTER_FIELDS: Readonly<Record<string, string>> = {
  ov: 'ov',
  cv: 'cv',
  insertedAt: 'insertedAt',
  updatedAt: 'updatedAt',
  deletedAt: 'deletedAt',
  deleted: 'deleted',
  functionIds: 'functionIds',
  parentId: 'parentId',
  parentCollection: 'parentCollection',
  originId: 'originId',
  originCollection: 'originCollection',
};

/** Filter values: JSON and Dates; keys are checked per position by the translation below. */
const FILTER_VALUE_RULES = { dates: 'date', mongoDocument: false } as const;
const DATE_FIELDS = new Set(['insertedAt', 'updatedAt', 'deletedAt']);
const COMPARISONS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists']);
const LOGICAL = new Set(['$and', '$or', '$nor']);

type Path = (string | number)[];

/** Refuses server-side code operators wherever they appear, even nested inside values. */
function refuseCode(value: unknown, path: Path): void {
  const [hit] = findServerCode(value, path);
  if (hit) {
    throw ValidationError.at(hit.path, `${hit.operator} runs code on the server and is refused in filters; use comparison operators on indexed props`);
  }
}

function indexedNames(settings: CollectionSettings): string {
  return settings.indexedProps.length > 0 ? settings.indexedProps.join(', ') : '(every top-level scalar prop)';
}

/** The head field a filter key addresses, or a ValidationError naming what is allowed. */
export function headField(key: string, settings: CollectionSettings, path: Path): string {
  if (key === '_id') return '_id';
  if (key.startsWith('_system.')) {
    const field = SYSTEM_FILTER_FIELDS[key.slice('_system.'.length)];
    if (field) return field;
    throw ValidationError.at(path, `unknown system field "${key}": use one of ${Object.keys(SYSTEM_FILTER_FIELDS).map((f) => `_system.${f}`).join(', ')}`);
  }
  const indexed = settings.indexedProps.length > 0 ? settings.indexedProps.includes(key) : /^[^.$][^.]*$/.test(key);
  if (!indexed) {
    throw ValidationError.at(path, `"${key}" is not an indexed prop; filter on indexed props (${indexedNames(settings)}) or _system fields`);
  }
  return `meta.${key}`;
}

function operand(value: unknown, field: string, path: Path): unknown {
  const unsafe = findMongoUnsafeKey(value, path);
  if (unsafe) {
    throw ValidationError.at(unsafe.path, unsafe.key.startsWith('$') ? 'an operator value cannot contain operators' : 'a key with a dot cannot be compared: MongoDB reads it as a path');
  }
  if (DATE_FIELDS.has(field) && (typeof value === 'string' || value instanceof Date)) {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw ValidationError.at(path, `expected an ISO-8601 time for ${field}`);
    return date;
  }
  // Indexed props hold the stored JSON, where a Date is its ISO string.
  return value instanceof Date ? value.toISOString() : value;
}

function translateCondition(value: unknown, field: string, path: Path): unknown {
  if (!isPlainObject(value) || !Object.keys(value).some((k) => k.startsWith('$'))) return operand(value, field, path);
  const out: Record<string, unknown> = {};
  for (const [op, arg] of Object.entries(value)) {
    if (!COMPARISONS.has(op)) {
      throw ValidationError.at([...path, op], `operator ${op} is not allowed in filters; use ${[...COMPARISONS].join(' ')}`);
    }
    if (op === '$in' || op === '$nin') {
      if (!Array.isArray(arg)) throw ValidationError.at([...path, op], `${op} takes an array`);
      out[op] = arg.map((v, i) => operand(v, field, [...path, op, i]));
    } else if (op === '$exists') {
      if (typeof arg !== 'boolean') throw ValidationError.at([...path, op], '$exists takes true or false');
      out[op] = arg;
    } else {
      out[op] = operand(arg, field, [...path, op]);
    }
  }
  return out;
}

function translate(filter: unknown, settings: CollectionSettings, path: Path): Record<string, unknown> {
  if (!isPlainObject(filter)) throw ValidationError.at(path, 'expected a filter object');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (LOGICAL.has(key)) {
      if (!Array.isArray(value) || value.length === 0) throw ValidationError.at([...path, key], `${key} takes a non-empty array of filters`);
      out[key] = value.map((f, i) => translate(f, settings, [...path, key, i]));
    } else if (key.startsWith('$')) {
      throw ValidationError.at([...path, key], `operator ${key} is not allowed at the top of a filter; use $and, $or or $nor`);
    } else {
      const field = headField(key, settings, [...path, key]);
      out[field] = translateCondition(value, field, [...path, key]);
    }
  }
  return out;
}

/**
 * Checks a `listByMeta` filter and returns the Mongo filter on the head collection. Throws a
 * ValidationError (with the path of the offending key) for code operators, unknown operators,
 * and props that are neither indexed nor `_system`.
 */
export function translateMetaFilter(filter: MetaFilter | undefined, settings: CollectionSettings): Record<string, unknown> {
  if (filter === undefined) return {};
  // A plain JSON copy first: RegExp literals, BSON values (Code...), NaN, functions, getters and
  // cycles are refused here with their path, so only JSON and Dates reach the translation.
  const plain = toJsonValue(filter, ['filter'], FILTER_VALUE_RULES);
  refuseCode(plain, ['filter']);
  return translate(plain, settings, ['filter']);
}
