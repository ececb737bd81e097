/**
 * Dead letters: messages a subscription gave up on, with what is needed to inspect or redrive
 * them. Each save is a new record (a message can die again after a redrive); ids are ObjectIds,
 * so id order is roughly save order and serves as the list cursor.
 */
import { ObjectId } from 'mongodb';
import { parseInput } from '../validation/parse-input.js';
import type { MessagingContext } from './context.js';
import { deadLetterStore } from '../mongo/stores.js';
import { assertWithinLimit } from './payload-size.js';
import { DEFAULT_LIST_LIMIT, deadLetterSaveSchema, listSchema, toDate } from './schemas.js';
import type { DeadLetterInput, DeadLetterRecord, DeadLettersApi, ListInput, Page } from './types.js';

/** Builds `m.deadLetters` for the tenant of `ctx`. */
export function deadLettersApi(ctx: MessagingContext): DeadLettersApi {
  const deadLetters = deadLetterStore(ctx.db, ctx.tenantId);
  const { tenantId } = ctx;

  return {
    async save<P = unknown>(input: DeadLetterInput<P>) {
      const { failedAt, subscription, reason, headers = {}, ...rest } = parseInput(deadLetterSaveSchema, input);
      assertWithinLimit({ payload: rest.payload, headers }, ctx.maxPayloadBytes);
      await ctx.indexesReady();
      const id = new ObjectId().toHexString();
      await deadLetters.insert({
        _id: id,
        tenantId,
        ...rest,
        headers,
        ...(subscription === undefined ? {} : { subscription }),
        ...(reason === undefined ? {} : { reason }),
        failedAt: toDate(failedAt, new Date()),
      });
      return { id };
    },

    async list<P = unknown>(input: ListInput): Promise<Page<DeadLetterRecord<P>>> {
      const { topic, after, limit = DEFAULT_LIST_LIMIT } = parseInput(listSchema, input);
      const rows = await deadLetters.page(topic, after, limit + 1);
      const items = rows.slice(0, limit).map(({ _id, ...doc }) => ({ id: _id, ...doc }) as DeadLetterRecord<P>);
      const last = items[items.length - 1];
      return rows.length > limit && last ? { items, nextCursor: last.id } : { items };
    },
  };
}
