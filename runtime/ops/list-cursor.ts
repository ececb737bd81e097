/**
 * The `listByMeta` cursor: an opaque string to callers, a typed value inside. With the default
 * order it is the last record id; with a `sort` it is base64url JSON of the sort field, the
 * direction, the last sort value (tagged with its type) and the last id. On the way in it is
 * checked with zod: anything that is not exactly such a value (a tampered cursor, one from
 * another sort, operators or BSON types smuggled in) is a ValidationError at `afterId`, so a
 * cursor can only ever move the start of a page within the query it came from.
 *
 * Not signed: a well-typed cursor the caller forges selects records the same handle could list
 * with a filter anyway, and a signature would need a key shared by every process that serves
 * the next page (see SECURITY.md).
 */
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { toJsonValue } from '../validation/json-value.js';

/** The order a page is listed in: a head field and a direction. */
export interface ListOrder {
  field: string;
  dir: 1 | -1;
}

/** Longest cursor accepted (a sort value is at most a few MB; Mongo filters stop at 16 MB). */
const MAX_CURSOR_LENGTH = 4 * 1024 * 1024;

const recordId = z.string().regex(/^[0-9a-f]{24}$/);

/** The last sort value, tagged with its type so it decodes to exactly what was encoded. */
const sortKeySchema = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('s'), v: z.string() }),
  z.strictObject({ t: z.literal('n'), v: z.number() }),
  z.strictObject({ t: z.literal('b'), v: z.boolean() }),
  z.strictObject({ t: z.literal('null') }),
  z.strictObject({ t: z.literal('d'), v: z.iso.datetime() }),
  z.strictObject({ t: z.literal('j'), v: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]) }),
]);

/** The decoded form of a cursor of a sorted listing. */
const sortedCursorSchema = z.strictObject({
  v: z.literal(1),
  f: z.string(),
  d: z.union([z.literal(1), z.literal(-1)]),
  k: sortKeySchema,
  i: recordId,
});

type SortKey = z.infer<typeof sortKeySchema>;

function tag(value: unknown): SortKey {
  if (value === null || value === undefined) return { t: 'null' };
  if (value instanceof Date) return { t: 'd', v: value.toISOString() };
  switch (typeof value) {
    case 'string':
      return { t: 's', v: value };
    case 'number':
      return { t: 'n', v: value };
    case 'boolean':
      return { t: 'b', v: value };
    default:
      return { t: 'j', v: value as Record<string, unknown> };
  }
}

function untag(key: SortKey): unknown {
  switch (key.t) {
    case 'null':
      return null;
    case 'd':
      return new Date(key.v);
    default:
      return key.v;
  }
}

function refused(order: ListOrder): ValidationError {
  const what = order.field === '_id' ? 'the nextCursor of the previous page (or a record id)' : 'the nextCursor of the previous page with the same sort';
  return ValidationError.at(['afterId'], `expected ${what}; this cursor is malformed, was changed, or comes from another sort`);
}

/**
 * MongoDB's sort order across the types a head field can hold (null and missing first). A range
 * operator only matches values of its own type, so a cursor continues into the later types with
 * `$type` (arrays sort by their elements and cannot be paged reliably: see the README).
 */
const TYPE_ORDER = ['null', 'number', 'string', 'object', 'array', 'bool', 'date'] as const;

function typeOf(value: unknown): (typeof TYPE_ORDER)[number] {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}

/**
 * The filter for the records after the cursor position (`value`, `id`) in `order`: a greater (or,
 * descending, smaller) value of the same type, the same value with a later id, or a value of a
 * type that sorts after it.
 */
export function afterPosition(order: ListOrder, value: unknown, id: string): Record<string, unknown> {
  const after = order.dir === 1 ? '$gt' : '$lt';
  if (order.field === '_id') return { _id: { [after]: id } };
  const rank = TYPE_ORDER.indexOf(typeOf(value));
  const laterTypes = TYPE_ORDER.filter((_, i) => (order.dir === 1 ? i > rank : i < rank));
  return {
    $or: [
      { [order.field]: { [after]: value } },
      { [order.field]: value, _id: { [after]: id } },
      ...laterTypes.map((type) => (type === 'null' ? { [order.field]: null } : { [order.field]: { $type: type } })),
    ],
  };
}

/** The cursor that continues after `lastId`, whose sort field holds `lastValue`. */
export function encodeCursor(order: ListOrder, lastValue: unknown, lastId: string): string {
  if (order.field === '_id') return lastId;
  const cursor = { v: 1, f: order.field, d: order.dir, k: tag(lastValue), i: lastId };
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/**
 * Checks `cursor` against `order` and returns the last (value, id) it points after, or throws a
 * ValidationError at `afterId`. The value is JSON (or a Date for `_system` times) without any
 * key MongoDB could read as an operator.
 */
export function decodeCursor(order: ListOrder, cursor: unknown): { value: unknown; id: string } {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) throw refused(order);
  if (order.field === '_id') {
    if (!recordId.safeParse(cursor).success) throw refused(order);
    return { value: cursor, id: cursor };
  }
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw refused(order);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refused(order);
  }
  const parsed = sortedCursorSchema.safeParse(decoded);
  if (!parsed.success || parsed.data.f !== order.field || parsed.data.d !== order.dir) throw refused(order);
  const value = untag(parsed.data.k);
  if (value instanceof Date && Number.isNaN(value.getTime())) throw refused(order);
  try {
    // Finite numbers, well-formed strings, no `$` or `.` keys inside a JSON sort value.
    toJsonValue(value, ['afterId'], { dates: 'date', mongoDocument: true });
  } catch {
    throw refused(order);
  }
  return { value, id: parsed.data.i };
}
