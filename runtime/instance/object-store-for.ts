/**
 * Builds the object store for a storage connection of the config, and makes sure each bucket
 * exists once before the first write to it.
 */
import type { ParsedChronosConfig } from '../config/schema.js';
import { RouteError } from '../errors.js';
import { createObjectStore } from '../storage/create-object-store.js';
import type { ObjectStore } from '../storage/object-store.js';

/** The store for `spacesConnections[connRef]`, or for `localStorage` when `connRef` is undefined. */
export function objectStoreFor(config: ParsedChronosConfig, connRef: string | undefined): ObjectStore {
  if (connRef === undefined) {
    if (!config.localStorage?.enabled) throw new RouteError('localStorage is not enabled and no spaceConnRef was given');
    return createObjectStore({ kind: 'local', basePath: config.localStorage.basePath });
  }
  const conn = config.spacesConnections[connRef];
  if (!conn) throw new RouteError(`unknown storage connection "${connRef}"`);
  return createObjectStore({
    endpoint: conn.endpoint,
    region: conn.region,
    accessKey: conn.accessKey,
    secretKey: conn.secretKey,
    ...(conn.kind !== undefined && { kind: conn.kind }),
    ...(conn.forcePathStyle !== undefined && { forcePathStyle: conn.forcePathStyle }),
  });
}

/**
 * Wraps a store so that the first `put` to each bucket creates the bucket if it is missing
 * (idempotent on every backend). Reads never create anything.
 */
export function withBucketCreation(store: ObjectStore): ObjectStore {
  const ensured = new Map<string, Promise<void>>();
  const ensure = (bucket: string): Promise<void> => {
    let done = ensured.get(bucket);
    if (!done) {
      done = store.ensureBucket(bucket).catch((error: unknown) => {
        ensured.delete(bucket);
        throw error;
      });
      ensured.set(bucket, done);
    }
    return done;
  };
  return {
    kind: store.kind,
    ensureBucket: ensure,
    put: async (bucket, key, body, options) => {
      await ensure(bucket);
      return store.put(bucket, key, body, options);
    },
    get: (bucket, key) => store.get(bucket, key),
    head: (bucket, key) => store.head(bucket, key),
    delete: (bucket, key) => store.delete(bucket, key),
    deleteMany: (bucket, keys) => store.deleteMany(bucket, keys),
    list: (bucket, options) => store.list(bucket, options),
    presignGet: (bucket, key, ttl) => store.presignGet(bucket, key, ttl),
    close: () => store.close(),
  };
}
