/**
 * The warm/audit copy of a tenant's messages. `save` is idempotent through the unique index
 * `(tenantId, topic, msgId)`: a redelivered or replayed message meets the stored one on that
 * index and is dropped, so consumers can save at-least-once without creating duplicates.
 */
import { ObjectId } from 'mongodb';
import { isDuplicateKeyError } from '../mongo/duplicate-key.js';
import { parseInput } from '../validation/parse-input.js';
import type { MessagingContext } from './context.js';
import { MESSAGING_COLLECTIONS } from './indexes.js';
import { assertWithinLimit, bsonSize } from './payload-size.js';
import { DEFAULT_LIST_LIMIT, listSchema, messageGetSchema, messageSaveSchema, toDate } from './schemas.js';
import type { ListInput, MessageRecord, MessageSaveInput, MessagesApi, Page } from './types.js';

interface MessageDoc extends MessageRecord {
  _id: string;
  savedAt: Date;
}

const MESSAGE_FIELDS = { _id: 0, tenantId: 1, topic: 1, msgId: 1, headers: 1, payload: 1, firstSeenAt: 1, size: 1 } as const;

/** Builds `m.messages` for the tenant of `ctx`. */
export function messagesApi(ctx: MessagingContext): MessagesApi {
  const messages = ctx.db.collection<MessageDoc>(MESSAGING_COLLECTIONS.messages);
  const { tenantId } = ctx;

  return {
    async save<P = unknown>(input: MessageSaveInput<P>) {
      const parsed = parseInput(messageSaveSchema, input);
      const headers = parsed.headers ?? {};
      assertWithinLimit({ payload: parsed.payload, headers }, ctx.maxPayloadBytes);
      await ctx.indexesReady();
      const now = new Date();
      try {
        await messages.insertOne({
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
      return messages.findOne<MessageRecord<P>>({ tenantId, topic, msgId }, { projection: MESSAGE_FIELDS });
    },

    async list<P = unknown>(input: ListInput): Promise<Page<MessageRecord<P>>> {
      const { topic, after, limit = DEFAULT_LIST_LIMIT } = parseInput(listSchema, input);
      // One extra row tells whether a next page exists without a count.
      const rows = await messages
        .find<MessageRecord<P>>(
          { tenantId, topic, ...(after === undefined ? {} : { msgId: { $gt: after } }) },
          { projection: MESSAGE_FIELDS, sort: { msgId: 1 }, limit: limit + 1 },
        )
        .toArray();
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return rows.length > limit && last ? { items, nextCursor: last.msgId } : { items };
    },
  };
}
