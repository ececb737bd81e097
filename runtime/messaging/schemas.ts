/**
 * Zod schemas of the messaging API's input. Objects are strict, so a misspelt option is an
 * error instead of being silently ignored; `tenantId` is not a field of any of them because the
 * tenant comes from the API handle, never from the caller's data.
 */
import { z } from 'zod';
import { jsonValueTransform } from '../validation/json-value-schema.js';
import { wellFormedString } from '../validation/well-formed.js';
import { isPlainObject } from '../validation/plain-object.js';
import { copyDate, dateOddity, isDate, timeOf } from '../validation/intrinsic-date.js';

/** Page size of the `list` methods when the caller names none. */
export const DEFAULT_LIST_LIMIT = 100;
/** Largest page the `list` methods give. */
const MAX_LIST_LIMIT = 1000;

const name = (what: string) =>
  wellFormedString(`${what} must be a string`).pipe(z.string().min(1, `${what} must be a non-empty string`));
/** Values, payloads and headers are stored as BSON: JSON plus Dates, keys MongoDB can store. */
const STORED_VALUE_RULES = { dates: 'date', mongoDocument: true } as const;
// A Date is judged by its internal time value: one with own props (an own getTime or toISOString,
// which BSON serialisation would call) is refused, and the value kept is a fresh copy.
const plainDate = z
  .custom<Date>((v) => isDate(v) && dateOddity(v) === undefined && !Number.isNaN(timeOf(v)))
  .transform((v) => copyDate(v));
const time = z.union([plainDate, z.iso.datetime({ offset: true })], {
  error: 'must be a valid plain Date or an ISO-8601 date-time string',
});
const definedValue = (field: string) =>
  z.unknown().refine((v) => v !== undefined, `${field} is required (store null for "no value")`).transform(jsonValueTransform(STORED_VALUE_RULES));
// Walked before any zod object copy: zod's record rebuilds objects by assignment, which drops a
// `__proto__` key instead of storing it.
const headers = z
  .unknown()
  .transform(jsonValueTransform(STORED_VALUE_RULES))
  .refine(isPlainObject, 'headers must be an object of header name to value')
  .transform((value) => value as Record<string, unknown>);
const note = wellFormedString('must be a string');
const count = (what: string) =>
  z.number({ error: `${what} must be a number` }).int(`${what} must be an integer`).nonnegative(`${what} must be >= 0`);

/** A tenant id as the API handle takes it. */
export const tenantIdSchema = name('tenantId');

/** `latest` or `append`. */
const strategySchema = z.enum(['latest', 'append'], { error: "strategy must be 'latest' or 'append'" });

/** Input of `m.shared.save`. */
export const sharedSaveSchema = z.strictObject({
  namespace: name('namespace'),
  key: name('key'),
  val: definedValue('val'),
  strategy: strategySchema,
});

/** Input of `m.shared.load`; a version only makes sense for `append`. */
export const sharedLoadSchema = z
  .strictObject({
    namespace: name('namespace'),
    key: name('key'),
    strategy: strategySchema,
    version: count('version').optional(),
  })
  .refine((v) => v.version === undefined || v.strategy === 'append', {
    path: ['version'],
    message: "version applies to strategy 'append' only; a 'latest' key has one value",
  });

/** Input of `m.shared.tombstone`. */
export const sharedTombstoneSchema = z.strictObject({
  namespace: name('namespace'),
  key: name('key'),
  reason: note.optional(),
  actor: note.optional(),
});

/** Input of `m.topics.ensure`. */
export const topicEnsureSchema = z.strictObject({
  topic: name('topic'),
  shards: z.number().int('shards must be an integer').min(1, 'shards must be >= 1').optional(),
});

/** Input of `m.topics.get`. */
export const topicGetSchema = z.strictObject({ topic: name('topic') });

/** Input of `m.messages.save`. */
export const messageSaveSchema = z.strictObject({
  topic: name('topic'),
  msgId: name('msgId'),
  headers: headers.optional(),
  payload: definedValue('payload'),
  firstSeenAt: time.optional(),
  size: count('size').optional(),
});

/** Input of `m.messages.get`. */
export const messageGetSchema = z.strictObject({ topic: name('topic'), msgId: name('msgId') });

/** Input of the `list` methods: a topic, an optional cursor and a bounded page size. */
export const listSchema = z.strictObject({
  topic: name('topic'),
  after: name('after').optional(),
  limit: z
    .number()
    .int('limit must be an integer')
    .min(1, 'limit must be >= 1')
    .max(MAX_LIST_LIMIT, `limit must be <= ${MAX_LIST_LIMIT}; page with after`)
    .optional(),
});

/** Input of `m.deliveries.append`. */
export const deliveryAppendSchema = z.strictObject({
  topic: name('topic'),
  subscription: name('subscription'),
  msgId: name('msgId'),
  attempt: count('attempt'),
  status: z.enum(['pending', 'ack', 'nack', 'dead'], { error: "status must be 'pending', 'ack', 'nack' or 'dead'" }),
  consumerId: note.optional(),
  reason: note.optional(),
  ts: time.optional(),
});

/** Input of `m.deliveries.listByMessage`. */
export const deliveryListSchema = z.strictObject({
  topic: name('topic'),
  msgId: name('msgId'),
  subscription: name('subscription').optional(),
});

/** Input of `m.deadLetters.save`; `deliveries` is the number of attempts made. */
export const deadLetterSaveSchema = z.strictObject({
  topic: name('topic'),
  subscription: name('subscription').optional(),
  msgId: name('msgId'),
  headers: headers.optional(),
  payload: definedValue('payload'),
  deliveries: count('deliveries'),
  reason: note.optional(),
  failedAt: time.optional(),
});

/**
 * Options of `createMessagingApi`. Not strict, so the router may pass the whole
 * `databases.messaging` entry (its `dbConnRef`/`dbName` are ignored here).
 */
export const messagingOptionsSchema = z.object({
  captureDeliveries: z.boolean().default(false),
  maxPayloadBytes: z.number().int().min(1, 'maxPayloadBytes must be >= 1').optional(),
});

/** Accepts a Date or an ISO string (already validated) and gives a Date. */
export function toDate(value: Date | string | undefined, fallback: Date): Date {
  if (value === undefined) return fallback;
  return isDate(value) ? copyDate(value) : new Date(value);
}
