/**
 * Entry point of the messaging database: binds the five parts of the API to one database and
 * one tenant. The router calls it for `chronos.messaging(tenantId)`; nothing here reads config.
 */
import type { Db } from 'mongodb';
import { withChronosErrors } from '../error-boundary.js';
import { parseInput } from '../validation/parse-input.js';
import { messagingContext } from './context.js';
import { deadLettersApi } from './dead-letters.js';
import { deliveriesApi } from './deliveries.js';
import { messagesApi } from './messages.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './payload-size.js';
import { messagingOptionsSchema, tenantIdSchema } from './schemas.js';
import { sharedMemoryApi } from './shared-memory.js';
import { topicsApi } from './topics.js';
import type { DeliveriesApi, MessagingApi, MessagingOptions } from './types.js';

/**
 * The messaging API of one tenant over `db` (the configured `databases.messaging` database,
 * shared by all tenants). Every document it writes carries `tenantId` and every query filters
 * on it; `m.deliveries` exists only when `options.captureDeliveries` is true. Indexes are
 * created on the first write per database per process (see {@link messagingIndexes} for
 * `chronos migrate`). Every failure is a ChronosError (driver errors become `DatabaseError`s).
 *
 * @example
 * ```ts
 * const m = createMessagingApi(client.db('chronos_messaging'), 'acme', { captureDeliveries: true });
 * await m.topics.ensure({ topic: 'orders' });
 * await m.messages.save({ topic: 'orders', msgId: '1700000000000-0', payload: { orderId: 7 } });
 * const { version } = await m.shared.save({ namespace: 'agent', key: 'plan', val: ['a'], strategy: 'append' });
 * ```
 */
export function createMessagingApi(
  db: Db,
  tenantId: string,
  options: MessagingOptions & { captureDeliveries: true },
): MessagingApi & { readonly deliveries: DeliveriesApi };
export function createMessagingApi(db: Db, tenantId: string, options: MessagingOptions): MessagingApi;
export function createMessagingApi(db: Db, tenantId: string, options: MessagingOptions): MessagingApi {
  const tenant = parseInput(tenantIdSchema, tenantId, ['tenantId']);
  const { captureDeliveries, maxPayloadBytes } = parseInput(messagingOptionsSchema, options, ['messaging']);
  const ctx = messagingContext(db, tenant, maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
  const named = (area: string) => ({ name: (method: string) => `${area}.${method}` });
  return {
    tenantId: tenant,
    shared: withChronosErrors(sharedMemoryApi(ctx), named('messaging shared')),
    topics: withChronosErrors(topicsApi(ctx), named('messaging topics')),
    messages: withChronosErrors(messagesApi(ctx), named('messaging messages')),
    ...(captureDeliveries ? { deliveries: withChronosErrors(deliveriesApi(ctx), named('messaging deliveries')) } : {}),
    deadLetters: withChronosErrors(deadLettersApi(ctx), named('messaging deadLetters')),
  };
}
