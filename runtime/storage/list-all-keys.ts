/**
 * Walks every page of {@link ObjectStore.list} so callers that need all keys under a prefix
 * (retention, the reconciler, tests) do not each write the pagination loop.
 */
import type { ObjectStore } from './object-store.js';

/**
 * Yields every key under `prefix` in the store's list order, fetching one page at a time.
 *
 * @example
 * ```ts
 * for await (const key of listAllKeys(store, 'tenant-a', { prefix: 'orders/' })) console.log(key);
 * ```
 */
export async function* listAllKeys(
  store: ObjectStore,
  bucket: string,
  options: { readonly prefix?: string; readonly pageSize?: number } = {},
): AsyncGenerator<string, void, undefined> {
  let continuationToken: string | undefined;
  do {
    const page = await store.list(bucket, {
      ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
      ...(options.pageSize !== undefined ? { maxKeys: options.pageSize } : {}),
      ...(continuationToken !== undefined ? { continuationToken } : {}),
    });
    yield* page.keys;
    continuationToken = page.nextToken;
  } while (continuationToken !== undefined);
}
