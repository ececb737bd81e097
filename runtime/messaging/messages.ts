/**
 * The warm/audit copy of a tenant's messages. `save` is idempotent through the unique index
 * `(tenantId, topic, msgId)`: a redelivered or replayed message meets the stored one on that
 * index and is dropped, so consumers can save at-least-once without creating duplicates.
 */
import { ObjectId } from 'mongodb';
import { isDuplicateKeyError } from '../mongo/duplicate-key.js';
import { parseInput } from '../validation/parse-input.js';
import type { MessagingContext } from './context.js';
import { messageStore } from '../mongo/stores.js';
import { assertWithinLimit, bsonSize } from './payload-size.js';
import { DEFAULT_LIST_LIMIT, listSchema, messageGetSchema, messageSaveSchema, toDate } from './schemas.js';
import type { ListInput, MessageRecord, MessageSaveInput, MessagesApi, Page } from './types.js';

/** Builds `m.messages` for the tenant of `ctx`. */
export function messagesApi(ctx: MessagingContext): MessagesApi {
  const messages = messageStore(ctx.db, ctx.tenantId);
  const { tenantId } = ctx;

  return {
    async save<P = unknown>(input: MessageSaveInput<P>) {
      const parsed = parseInput(messageSaveSchema, input);
      const headers = parsed.headers ?? {};
      assertWithinLimit({ payload: parsed.payload, headers }, ctx.maxPayloadBytes);
      await ctx.indexesReady();
      const now = new Date();
      try {
        await messages.insert({
          _id: new ObjectId().toHexString(),
          tenantId,
          topic: parsed.topic,
          msgId: parsed.msgId,
          headers,
          payload: parsed.payload,
          firstSeenAt: toDate(parsed.firstSeenAt, now),
          size: parsed.size ?? bsonSize(parsed.payload),
          savedAt: now,
        });
        return { inserted: true };
      } catch (error) {
        if (isDuplicateKeyError(error)) return { inserted: false };
        throw error;
      }
    },

    async get<P = unknown>(input: { topic: string; msgId: string }) {
      const { topic, msgId } = parseInput(messageGetSchema, input);
      return messages.get<P>(topic, msgId);
    },

    async list<P = unknown>(input: ListInput): Promise<Page<MessageRecord<P>>> {
      const { topic, after, limit = DEFAULT_LIST_LIMIT } = parseInput(listSchema, input);
      // One extra row tells whether a next page exists without a count.
      const rows = await messages.page<P>(topic, after, limit + 1);
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return rows.length > limit && last ? { items, nextCursor: last.msgId } : { items };
    },
  };
}
