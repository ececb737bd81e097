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
import { deliveryStore } from '../mongo/stores.js';
import { deliveryAppendSchema, deliveryListSchema, toDate } from './schemas.js';
import type { DeliveriesApi } from './types.js';

/** A message is delivered a handful of times; this only guards against a runaway consumer. */
const MAX_DELIVERIES_LISTED = 10_000;

/** Builds `m.deliveries` for the tenant of `ctx`. */
export function deliveriesApi(ctx: MessagingContext): DeliveriesApi {
  const deliveries = deliveryStore(ctx.db, ctx.tenantId);
  const { tenantId } = ctx;

  return {
    async append(input) {
      const { ts, consumerId, reason, ...rest } = parseInput(deliveryAppendSchema, input);
      await ctx.indexesReady();
      try {
        await deliveries.insert({
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
      const rows = await deliveries.ofMessage(topic, msgId, subscription, MAX_DELIVERIES_LISTED);
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
