/**
 * Checks of caller input that run before anything is read or written: ids, version numbers,
 * times, documents (shape, `_system`, size, base64 props, required indexed props). Every failure
 * is a ValidationError naming the field and the fix.
 */
import { ObjectId } from 'mongodb';
import { ValidationError } from '../errors.js';
import type { CollectionSettings } from './context.js';
import { readPath } from './meta.js';
import { isPlainObject } from '../validation/plain-object.js';
import { writtenBytes } from './store/written-bytes.js';
import { toJsonValue } from '../validation/json-value.js';
import { isWellFormed } from '../validation/well-formed.js';
import { copyDate, dateOddity, isDate, timeOf } from '../validation/intrinsic-date.js';

/** Where a field sits in the input, as zod reports paths. */
export type FieldPath = string | ReadonlyArray<string | number>;

function pathOf(field: FieldPath): Array<string | number> {
  return typeof field === 'string' ? [field] : [...field];
}

const HEX24 = /^[0-9a-f]{24}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A new record id: a 24-hex ObjectId string. */
export function newId(): string {
  return new ObjectId().toHexString();
}

/** Checks a record id (24 lowercase hex chars, as ids are issued). */
export function checkId(id: unknown, field: FieldPath = 'id'): string {
  if (typeof id !== 'string' || !HEX24.test(id)) {
    throw ValidationError.at(pathOf(field), `expected a record id (24 hex characters, as returned by create), got ${describe(id)}`);
  }
  return id;
}

/** Checks an object version number: a non-negative integer. */
export function checkOv(ov: unknown, field: FieldPath = 'ov'): number {
  if (typeof ov !== 'number' || !Number.isSafeInteger(ov) || ov < 0) {
    throw ValidationError.at(pathOf(field), `expected a non-negative integer version, got ${describe(ov)}`);
  }
  return ov;
}

/** Checks a per-call batch size: an integer from 1 to 1000 (absent: the configured one). */
export function checkBatchSize(value: unknown, field: FieldPath = ['options', 'batchSize']): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > 1000) {
    throw ValidationError.at(pathOf(field), `expected an integer from 1 to 1000, got ${describe(value)}`);
  }
  return value;
}

/** Checks a collection version number: a positive integer. */
export function checkCv(cv: unknown, field: FieldPath = 'cv'): number {
  if (typeof cv !== 'number' || !Number.isSafeInteger(cv) || cv < 0) {
    throw ValidationError.at(pathOf(field), `expected a non-negative integer collection version, got ${describe(cv)}`);
  }
  return cv;
}

/**
 * Parses an instant given as a Date or an ISO-8601 string into a fresh Date: a Date is judged by
 * its internal time value, and one with own props (an own getTime, valueOf, toISOString) is refused.
 */
export function checkTime(at: unknown, field: FieldPath = 'at'): Date {
  if (isDate(at)) {
    const odd = dateOddity(at);
    if (odd !== undefined) throw ValidationError.at(pathOf(field), odd);
  }
  const date = isDate(at) ? copyDate(at) : typeof at === 'string' && /^\d{4}-\d{2}-\d{2}/.test(at) ? new Date(at) : null;
  if (!date || Number.isNaN(timeOf(date))) {
    throw ValidationError.at(pathOf(field), `expected a Date or an ISO-8601 time such as "2024-01-01T00:00:00Z", got ${describe(at)}`);
  }
  return date;
}

/**
 * Refuses a string holding a lone UTF-16 surrogate: MongoDB stores UTF-8, which would write
 * U+FFFD in its place, so two distinct notes (two opIds) could be stored as one.
 */
export function checkWellFormed(value: string, field: FieldPath): string {
  if (!isWellFormed(value)) {
    throw ValidationError.at(pathOf(field), 'holds a lone UTF-16 surrogate, which MongoDB (UTF-8) would store as U+FFFD: send well-formed Unicode (String.prototype.toWellFormed)');
  }
  return value;
}

/** Checks an optional actor/reason/functionId string: at most 1,000 characters, well-formed Unicode. */
export function checkNote(value: unknown, field: FieldPath): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 1000) {
    throw ValidationError.at(pathOf(field), `expected a string of at most 1,000 characters, got ${describe(value)}`);
  }
  return checkWellFormed(value, field);
}

/** Checks an optional enrich `functionId`: a non-empty note (an empty one would record nothing). */
export function checkFunctionId(value: unknown, field: FieldPath = 'functionId'): string | undefined {
  if (value === undefined) return undefined;
  if (value === '' || value === null) throw ValidationError.at(pathOf(field), 'expected a non-empty string (the function that enriched the record), or leave it out');
  return checkNote(value, field);
}

/** Checks an optional `opId` (see `WriteOptions`): a non-empty, well-formed string of at most 200 characters. */
export function checkOpId(value: unknown, field: FieldPath = ['options', 'opId']): { opId?: string } {
  if (value === undefined) return {};
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    throw ValidationError.at(pathOf(field), `expected a non-empty string of at most 200 characters, got ${describe(value)}`);
  }
  return { opId: checkWellFormed(value, field) };
}

/** How caller data is copied for a versioned write: JSON, with Dates as ISO strings. */
const PAYLOAD_RULES = { dates: 'iso-string', mongoDocument: false } as const;
/** Indexed props are also stored in Mongo (head `meta`, version rows): keys must be field names. */
const INDEXED_RULES = { dates: 'iso-string', mongoDocument: true } as const;

/**
 * Checks application data for a write and returns its exact JSON copy (valid Dates become ISO
 * strings, undefined props disappear; every other non-JSON value is refused with its path, see
 * {@link toJsonValue}), which is what gets stored, indexed and returned. `_system` and `_id` are
 * refused, not stripped: a caller that sends them has a bug worth hearing about.
 *
 * The input is read once, into that copy (a getter or a Proxy cannot answer differently later);
 * every check runs on the copy, and on the declared schema's output where there is one (copied
 * again, so a schema's transform cannot hand the store anything JSON would change). The size
 * limit is measured on the bytes the store writes for exactly that data (see {@link writtenBytes}).
 */
export function checkData(data: unknown, settings: CollectionSettings, field: FieldPath = 'data'): Record<string, unknown> {
  if (!isPlainObject(data)) {
    throw ValidationError.at(pathOf(field), `expected a plain object of application data, got ${describe(data)}`);
  }
  const snapshot = toJsonValue(data, pathOf(field), PAYLOAD_RULES) as Record<string, unknown>;
  if (Object.hasOwn(snapshot, '_system')) {
    throw ValidationError.at([...pathOf(field), '_system'], '_system is managed by Chronos: remove it from the input');
  }
  if (Object.hasOwn(snapshot, '_id')) {
    throw ValidationError.at([...pathOf(field), '_id'], '_id is assigned by Chronos: remove it from the input');
  }
  const clean = settings.validate
    ? (toJsonValue(settings.validate(snapshot, pathOf(field), data), pathOf(field), PAYLOAD_RULES) as Record<string, unknown>)
    : snapshot;
  for (const prop of Object.keys(settings.base64Props)) {
    const value = clean[prop];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || !BASE64.test(value)) {
      throw ValidationError.at([...pathOf(field), prop], `${prop} is a base64 prop: expected a base64 string (A-Z a-z 0-9 + / with = padding)`);
    }
  }
  const size = writtenBytes(clean, settings.base64Props);
  if (size > settings.maxPayloadBytes) {
    throw ValidationError.at(
      pathOf(field),
      `the document is ${size} bytes as stored (item.json data and blobs), over the limit of ${settings.maxPayloadBytes} bytes (maxPayloadBytes): store large content elsewhere or raise the limit`,
    );
  }
  for (const prop of settings.indexedProps) {
    const value = readPath(clean, prop);
    if (value !== undefined) toJsonValue(value, [...pathOf(field), ...prop.split('.')], INDEXED_RULES);
  }
  for (const prop of settings.requiredIndexed) {
    const value = readPath(clean, prop);
    if (value === undefined || value === null) {
      throw ValidationError.at([...pathOf(field), ...prop.split('.')], `${prop} is required (validation.requiredIndexed): give it a value`);
    }
  }
  return clean;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (isDate(value)) return 'an invalid Date';
  if (value === null) return 'null';
  return typeof value === 'number' ? String(value) : typeof value;
}
