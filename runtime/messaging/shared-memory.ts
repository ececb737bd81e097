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
import { ObjectId } from 'mongodb';
import { ConflictError } from '../errors.js';
import { isDuplicateKeyError } from '../mongo/duplicate-key.js';
import { parseInput } from '../validation/parse-input.js';
import type { MessagingContext } from './context.js';
import { sharedMemoryStore } from '../mongo/stores.js';
import type { SharedDoc, SharedMemoryStore } from './store/shared-memory-store.js';
import { assertWithinLimit, bsonSize } from './payload-size.js';
import { sharedLoadSchema, sharedSaveSchema, sharedTombstoneSchema } from './schemas.js';
import type {
  SharedLoadInput,
  SharedMemoryApi,
  SharedSaveResult,
  SharedTombstoneResult,
} from './types.js';
import { startRetries } from '../retry/policy.js';
import { SHARED_SAVE_RACES } from '../retry/schedules.js';

/** `_id` of a key's `latest` document: a hash, so any namespace/key fits and tenants never collide. */
function latestDocumentId(tenantId: string, namespace: string, key: string): string {
  return createHash('sha256').update(JSON.stringify(['latest', tenantId, namespace, key])).digest('hex');
}

/** Builds `m.shared` for the tenant of `ctx`. */
export function sharedMemoryApi(ctx: MessagingContext): SharedMemoryApi {
  const docs = sharedMemoryStore(ctx.db, ctx.tenantId);
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
          ? await docs.latestValue(latestDocumentId(tenantId, namespace, key))
          : await docs.appendedValue(namespace, key, version);
      return found ? (found.val as T) : null;
    },

    async tombstone(input): Promise<SharedTombstoneResult> {
      const { namespace, key, reason, actor } = parseInput(sharedTombstoneSchema, input);
      await ctx.indexesReady();
      // The audit record goes first: a crash after it leaves a record of intent (removed: null)
      // and the retry removes the rest; a crash the other way round would lose the audit.
      const tombstoneId = new ObjectId().toHexString();
      await docs.insertTombstone({
        _id: tombstoneId,
        tenantId,
        namespace,
        key,
        actor: actor ?? null,
        reason: reason ?? null,
        at: new Date(),
        removed: null,
      });
      const deletedCount = await docs.removeKey(namespace, key);
      await docs.setTombstoneRemoved(tombstoneId, deletedCount);
      return { tombstoneId, removed: deletedCount };
    },
  };
}

type SharedBody = Omit<SharedDoc, '_id' | 'strategy' | 'version'>;

async function saveLatest(docs: SharedMemoryStore, body: SharedBody): Promise<SharedSaveResult> {
  const id = latestDocumentId(body.tenantId, body.namespace, body.key);
  const tries = startRetries(SHARED_SAVE_RACES);
  for (;;) {
    try {
      await docs.replaceLatest(id, { ...body, strategy: 'latest' });
      return { id };
    } catch (error) {
      // Two first-time upserts both insert; the loser's duplicate `_id` means the document now
      // exists, so the next try replaces it.
      if (!isDuplicateKeyError(error) || !(await tries.next())) throw error;
    }
  }
}

async function saveAppend(docs: SharedMemoryStore, body: SharedBody): Promise<SharedSaveResult> {
  const newest = (): Promise<number> => docs.newestVersion(body.namespace, body.key);
  let version = (await newest()) + 1;
  const tries = startRetries(SHARED_SAVE_RACES);
  for (;;) {
    const id = new ObjectId().toHexString();
    try {
      await docs.insertAppend({ ...body, _id: id, strategy: 'append', version });
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
