/**
 * The delivery log (only when `captureDeliveries` is on): one record per status of each attempt
 * to deliver a message to a subscription. The unique index
 * `(tenantId, topic, msgId, subscription, attempt, status)` makes a retried append a no-op while
 * still letting one attempt go `pending` → `ack`.
 */
import { ObjectId } from 'mongodb';
import { isDuplicateKeyError } from '../mongo/duplicate-key.js';
import { parseInput } from '../validation/parse-input.js';
import type { MessagingContext } from './context.js';
import { MESSAGING_COLLECTIONS } from './indexes.js';
import { deliveryAppendSchema, deliveryListSchema, toDate } from './schemas.js';
import type { DeliveriesApi, DeliveryRecord } from './types.js';

interface DeliveryDoc extends DeliveryRecord {
  _id: string;
}

/** A message is delivered a handful of times; this only guards against a runaway consumer. */
const MAX_DELIVERIES_LISTED = 10_000;

const DELIVERY_FIELDS = {
  _id: 0,
  tenantId: 1,
  topic: 1,
  subscription: 1,
  msgId: 1,
  attempt: 1,
  status: 1,
  consumerId: 1,
  reason: 1,
  ts: 1,
} as const;

/** Builds `m.deliveries` for the tenant of `ctx`. */
export function deliveriesApi(ctx: MessagingContext): DeliveriesApi {
  const deliveries = ctx.db.collection<DeliveryDoc>(MESSAGING_COLLECTIONS.deliveries);
  const { tenantId } = ctx;

  return {
    async append(input) {
      const { ts, consumerId, reason, ...rest } = parseInput(deliveryAppendSchema, input);
      await ctx.indexesReady();
      try {
        await deliveries.insertOne({
          _id: new ObjectId().toHexString(),
          tenantId,
          ...rest,
          ...(consumerId === undefined ? {} : { consumerId }),
          ...(reason === undefined ? {} : { reason }),
          ts: toDate(ts, new Date()),
        });
        return { inserted: true };
      } catch (error) {
        if (isDuplicateKeyError(error)) return { inserted: false };
        throw error;
      }
    },

    async listByMessage(input) {
      const { topic, msgId, subscription } = parseInput(deliveryListSchema, input);
      const rows = await deliveries
        .find<DeliveryRecord>(
          { tenantId, topic, msgId, ...(subscription === undefined ? {} : { subscription }) },
          { projection: DELIVERY_FIELDS, sort: { subscription: 1, attempt: 1 }, limit: MAX_DELIVERIES_LISTED },
        )
        .toArray();
      // The index orders by subscription and attempt; the few statuses of one attempt are put
      // in time order here rather than by a server sort on a field the index does not hold.
      return rows.sort(
        (x, y) =>
          (x.subscription < y.subscription ? -1 : x.subscription > y.subscription ? 1 : 0) ||
          x.attempt - y.attempt ||
          x.ts.getTime() - y.ts.getTime(),
      );
    },
  };
}
