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
import { MESSAGING_COLLECTIONS } from './indexes.js';
import { topicEnsureSchema, topicGetSchema } from './schemas.js';
import type { TopicRecord, TopicsApi } from './types.js';

interface TopicDoc extends TopicRecord {
  _id: string;
}

const TOPIC_FIELDS = { _id: 0, tenantId: 1, topic: 1, shards: 1, createdAt: 1 } as const;

/** Builds `m.topics` for the tenant of `ctx`. */
export function topicsApi(ctx: MessagingContext): TopicsApi {
  const topics = ctx.db.collection<TopicDoc>(MESSAGING_COLLECTIONS.topics);
  const { tenantId } = ctx;

  const get = async (topic: string): Promise<TopicRecord | null> =>
    topics.findOne<TopicRecord>({ tenantId, topic }, { projection: TOPIC_FIELDS });

  return {
    async ensure(input) {
      const { topic, shards } = parseInput(topicEnsureSchema, input);
      await ctx.indexesReady();
      const record: TopicRecord = { tenantId, topic, shards: shards ?? 1, createdAt: new Date() };
      try {
        await topics.insertOne({ _id: new ObjectId().toHexString(), ...record });
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
