/**
 * The topic registry of one tenant. `ensure` is an insert under the unique index
 * `(tenantId, topic)`: of concurrent ensures exactly one creates the topic and the others read
 * what it created, with no read-then-write window.
 */
import { ObjectId } from 'mongodb';
import { ValidationError } from '../errors.js';
import { isDuplicateKeyError } from '../mongo/duplicate-key.js';
import { parseInput } from '../validation/parse-input.js';
import type { MessagingContext } from './context.js';
import { topicStore } from '../mongo/stores.js';
import { topicEnsureSchema, topicGetSchema } from './schemas.js';
import type { TopicRecord, TopicsApi } from './types.js';

/** Builds `m.topics` for the tenant of `ctx`. */
export function topicsApi(ctx: MessagingContext): TopicsApi {
  const topics = topicStore(ctx.db, ctx.tenantId);
  const { tenantId } = ctx;

  const get = (topic: string): Promise<TopicRecord | null> => topics.get(topic);

  return {
    async ensure(input) {
      const { topic, shards } = parseInput(topicEnsureSchema, input);
      await ctx.indexesReady();
      const record: TopicRecord = { tenantId, topic, shards: shards ?? 1, createdAt: new Date() };
      try {
        await topics.insert(new ObjectId().toHexString(), record);
        return record;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const existing = await get(topic);
      if (!existing) throw new Error(`topics.ensure: ${topic} reported as existing but not found`);
      if (shards !== undefined && existing.shards !== shards) {
        throw ValidationError.at(
          ['shards'],
          `topic ${topic} already exists with ${existing.shards} shard(s); ensure cannot change it (omit shards to accept the existing topic)`,
        );
      }
      return existing;
    },

    async get(input) {
      const { topic } = parseInput(topicGetSchema, input);
      return get(topic);
    },
  };
}
