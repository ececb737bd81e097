/**
 * Shared memory: values kept per `(namespace, key)` for one tenant, either as one overwritten
 * document (`latest`) or as numbered versions (`append`).
 *
 * Neither strategy rests on an atomic update (FerretDB's are read-modify-write across
 * connections) nor on a partial index (FerretDB has none):
 * - `append` claims version n by inserting it under the unique index
 *   `(tenantId, namespace, key, strategy, version)`; a duplicate-key error means another writer
 *   holds n, so it re-reads the newest version and claims the one after.
 * - `latest` writes one document whose `_id` is derived from `(tenantId, namespace, key)`; two
 *   first-time upserts racing to insert it meet on `_id`, and the loser retries as a replace.
 */
import { createHash } from 'node:crypto';
import { ObjectId, type Collection } from 'mongodb';
import { ConflictError } from '../errors.js';
import { isDuplicateKeyError } from '../mongo/duplicate-key.js';
import { parseInput } from '../validation/parse-input.js';
import type { MessagingContext } from './context.js';
import { MESSAGING_COLLECTIONS } from './indexes.js';
import { assertWithinLimit, bsonSize } from './payload-size.js';
import { sharedLoadSchema, sharedSaveSchema, sharedTombstoneSchema } from './schemas.js';
import type {
  SharedLoadInput,
  SharedMemoryApi,
  SharedSaveResult,
  SharedStrategy,
  SharedTombstoneResult,
} from './types.js';
import { startRetries } from '../retry/policy.js';
import { SHARED_SAVE_RACES } from '../retry/schedules.js';

interface SharedDoc {
  _id: string;
  tenantId: string;
  namespace: string;
  key: string;
  strategy: SharedStrategy;
  /** Set for `append` documents only. */
  version?: number;
  val: unknown;
  size: number;
  savedAt: Date;
}

interface TombstoneDoc {
  _id: string;
  tenantId: string;
  namespace: string;
  key: string;
  actor: string | null;
  reason: string | null;
  at: Date;
  /** Documents removed; null until the removal has run. */
  removed: number | null;
}

/** `_id` of a key's `latest` document: a hash, so any namespace/key fits and tenants never collide. */
export function latestDocumentId(tenantId: string, namespace: string, key: string): string {
  return createHash('sha256').update(JSON.stringify(['latest', tenantId, namespace, key])).digest('hex');
}

/** Builds `m.shared` for the tenant of `ctx`. */
export function sharedMemoryApi(ctx: MessagingContext): SharedMemoryApi {
  const docs = ctx.db.collection<SharedDoc>(MESSAGING_COLLECTIONS.shared);
  const tombstones = ctx.db.collection<TombstoneDoc>(MESSAGING_COLLECTIONS.sharedTombstones);
  const { tenantId } = ctx;

  return {
    async save(input) {
      const { namespace, key, val, strategy } = parseInput(sharedSaveSchema, input);
      assertWithinLimit({ val }, ctx.maxPayloadBytes);
      await ctx.indexesReady();
      const body = { tenantId, namespace, key, val, size: bsonSize(val), savedAt: new Date() };
      return strategy === 'latest' ? saveLatest(docs, body) : saveAppend(docs, body);
    },

    async load<T = unknown>(input: SharedLoadInput): Promise<T | null> {
      const { namespace, key, strategy, version } = parseInput(sharedLoadSchema, input);
      const found =
        strategy === 'latest'
          ? await docs.findOne({ _id: latestDocumentId(tenantId, namespace, key), tenantId }, { projection: { val: 1 } })
          : await docs.findOne(
              { tenantId, namespace, key, strategy: 'append', ...(version === undefined ? {} : { version }) },
              { projection: { val: 1 }, sort: { version: -1 } },
            );
      return found ? (found.val as T) : null;
    },

    async tombstone(input): Promise<SharedTombstoneResult> {
      const { namespace, key, reason, actor } = parseInput(sharedTombstoneSchema, input);
      await ctx.indexesReady();
      // The audit record goes first: a crash after it leaves a record of intent (removed: null)
      // and the retry removes the rest; a crash the other way round would lose the audit.
      const tombstoneId = new ObjectId().toHexString();
      await tombstones.insertOne({
        _id: tombstoneId,
        tenantId,
        namespace,
        key,
        actor: actor ?? null,
        reason: reason ?? null,
        at: new Date(),
        removed: null,
      });
      const { deletedCount } = await docs.deleteMany({ tenantId, namespace, key });
      await tombstones.updateOne({ _id: tombstoneId, tenantId }, { $set: { removed: deletedCount } });
      return { tombstoneId, removed: deletedCount };
    },
  };
}

type SharedBody = Omit<SharedDoc, '_id' | 'strategy' | 'version'>;

async function saveLatest(docs: Collection<SharedDoc>, body: SharedBody): Promise<SharedSaveResult> {
  const id = latestDocumentId(body.tenantId, body.namespace, body.key);
  const tries = startRetries(SHARED_SAVE_RACES);
  for (;;) {
    try {
      await docs.replaceOne({ _id: id, tenantId: body.tenantId }, { ...body, strategy: 'latest' }, { upsert: true });
      return { id };
    } catch (error) {
      // Two first-time upserts both insert; the loser's duplicate `_id` means the document now
      // exists, so the next try replaces it.
      if (!isDuplicateKeyError(error) || !(await tries.next())) throw error;
    }
  }
}

async function saveAppend(docs: Collection<SharedDoc>, body: SharedBody): Promise<SharedSaveResult> {
  const newest = async (): Promise<number> => {
    const top = await docs.findOne(
      { tenantId: body.tenantId, namespace: body.namespace, key: body.key, strategy: 'append' },
      { projection: { version: 1 }, sort: { version: -1 } },
    );
    return top?.version ?? -1;
  };
  let version = (await newest()) + 1;
  const tries = startRetries(SHARED_SAVE_RACES);
  for (;;) {
    const id = new ObjectId().toHexString();
    try {
      await docs.insertOne({ ...body, _id: id, strategy: 'append', version });
      return { id, version };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      if (!(await tries.next())) {
        throw new ConflictError(
          `shared.save: could not claim a version of ${body.namespace}/${body.key} after ${tries.failures} attempts`,
          version - 1,
        );
      }
      // Someone holds `version`; the one after the newest is the lowest that can still be free.
      version = Math.max(version, await newest()) + 1;
    }
  }
}
