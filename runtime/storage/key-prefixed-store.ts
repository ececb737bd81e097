/**
 * A view of an {@link ObjectStore} in which every key lives under `<keyPrefix>/`: the way one
 * database's payloads share a bucket with other databases' (`keyPrefix` in the config). Callers
 * use the same keys as on an unshared bucket; the view adds the prefix on the way in and strips
 * it from listings on the way out, so no key it hands out or accepts can reach outside the prefix.
 */
import { ValidationError } from '../errors.js';
import type { ListOptions, ObjectListPage, ObjectStore } from './object-store.js';

/** What a key prefix may be: one key segment of `A-Z a-z 0-9 _ -` (as `keyPrefix` in the config). */
const KEY_PREFIX = /^[A-Za-z0-9_-]{1,63}$/;

/**
 * The view of `store` under `keyPrefix`, or `store` itself when `keyPrefix` is undefined (the
 * layout of a bucket that holds one database). Closing the view does not close `store`, which
 * belongs to the connection pool and serves other databases.
 *
 * @throws {@link ValidationError} when `keyPrefix` is not one segment of `A-Z a-z 0-9 _ -`.
 */
export function withKeyPrefix(store: ObjectStore, keyPrefix: string | undefined): ObjectStore {
  if (keyPrefix === undefined) return store;
  if (!KEY_PREFIX.test(keyPrefix)) {
    throw ValidationError.at(['keyPrefix'], `${JSON.stringify(keyPrefix)} must be 1 to 63 of A-Z a-z 0-9 _ -`);
  }
  const root = `${keyPrefix}/`;
  const inside = (key: string): string => `${root}${key}`;
  return {
    kind: store.kind,
    ensureBucket: (bucket) => store.ensureBucket(bucket),
    put: (bucket, key, body, options) => store.put(bucket, inside(key), body, options),
    get: (bucket, key) => store.get(bucket, inside(key)),
    head: (bucket, key) => store.head(bucket, inside(key)),
    delete: (bucket, key) => store.delete(bucket, inside(key)),
    deleteMany: (bucket, keys) => store.deleteMany(bucket, keys.map(inside)),
    list: async (bucket, options: ListOptions = {}): Promise<ObjectListPage> => {
      const page = await store.list(bucket, { ...options, prefix: inside(options.prefix ?? '') });
      // Every key of the page starts with the asked prefix, so with `root`.
      return { ...page, keys: page.keys.map((key) => key.slice(root.length)) };
    },
    presignGet: (bucket, key, ttlSeconds) => store.presignGet(bucket, inside(key), ttlSeconds),
    close: async () => {},
  };
}
