/**
 * The local-folder backend (`localStorage.basePath`): buckets are folders under the base path
 * and keys are file paths below them. Meant for development and tests, and for single-machine
 * deployments without object storage.
 *
 * Guarantees and limits, beyond the {@link ObjectStore} contract:
 * - No key or bucket reaches outside the base path (see {@link localPaths}).
 * - Writes are atomic: bytes go to a temp file under `<basePath>/.chronos-tmp/`, are flushed,
 *   then renamed into place, so readers see the old object or the new one, never a part. The base
 *   path must therefore be one filesystem (rename does not cross mounts). A crash can leave a
 *   stray temp file there, never a partial object.
 * - A key cannot be both an object and a folder of other objects (`a/b` and `a/b/c`): S3 allows
 *   it, a filesystem does not, so the second write fails with a non-transient StorageError.
 * - Content types are not kept; `head` reports size and modification time.
 * - `presignGet` returns a `file://` URL that never expires (see {@link createLocalObjectStore}).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { NotFoundError, StorageError } from '../../errors.js';
import { errnoCode, missingBucket, pathConflict, storageError } from './local-errors.js';
import { forEachConcurrently } from '../bounded-concurrency.js';
import { assertKeyPrefix } from '../object-key.js';
import type { ListOptions, ObjectInfo, ObjectListPage, ObjectStore, PutOptions } from '../object-store.js';
import { assertPresignTtl, bodyBytes, listPageSize } from '../request-limits.js';
import { collectKeys } from './local-listing.js';
import { localPaths } from './local-paths.js';
import { startRetries } from '../../retry/policy.js';
import { LOCAL_PUT_RACES } from '../../retry/schedules.js';

/** Options of {@link createLocalObjectStore}. */
export interface LocalObjectStoreOptions {
  /** The folder that holds one sub-folder per bucket; created on first `ensureBucket`. */
  readonly basePath: string;
}

/** How many files `deleteMany` removes at once. */
const DELETE_CONCURRENCY = 16;

async function isFolder(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Creates an {@link ObjectStore} over a local folder.
 *
 * `presignGet` returns a `file://` URL of the object's file. It carries no signature and does
 * **not expire**: `ttlSeconds` is validated like on the other backends but not enforced, since
 * anyone who can open the URL can read the file anyway. Node's `fetch` does not open `file:`
 * URLs; use `fileURLToPath` and `fs`.
 *
 * @example
 * ```ts
 * const store = createLocalObjectStore({ basePath: '/var/lib/chronos' });
 * await store.ensureBucket('tenant-a');
 * await store.put('tenant-a', 'orders/1/v0/item.json', JSON.stringify(order), { contentType: 'application/json' });
 * ```
 */
export function createLocalObjectStore(options: LocalObjectStoreOptions): ObjectStore {
  const paths = localPaths(options.basePath);

  async function requireBucket(bucket: string): Promise<void> {
    if (!(await isFolder(paths.bucketDir(bucket)))) throw missingBucket(bucket);
  }

  /** Removes folders emptied by a delete, up to (not including) the bucket folder. */
  async function pruneEmptyFolders(bucketDir: string, file: string): Promise<void> {
    for (let dir = path.dirname(file); dir !== bucketDir && dir.startsWith(bucketDir); dir = path.dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return; // not empty (or already gone): stop climbing
      }
    }
  }

  async function writeTemp(bytes: Uint8Array): Promise<string> {
    await mkdir(paths.temp, { recursive: true });
    const temp = path.join(paths.temp, `${randomUUID()}.partial`);
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    return temp;
  }

  async function moveIntoPlace(bucket: string, key: string, temp: string, file: string): Promise<void> {
    // How often `put` retries when a concurrent delete removed the emptied folder it just made.
    const tries = startRetries(LOCAL_PUT_RACES);
    for (;;) {
      try {
        await mkdir(path.dirname(file), { recursive: true });
        await rename(temp, file);
        return;
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') throw pathConflict(bucket, key, error);
        // ENOENT: a concurrent delete pruned the folder between mkdir and rename; make it again.
        if (code !== 'ENOENT' || !(await tries.next())) throw storageError('writing', bucket, key, error);
      }
    }
  }

  async function deleteOne(bucket: string, key: string): Promise<void> {
    const file = paths.objectFile(bucket, key);
    try {
      await unlink(file);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
        await requireBucket(bucket);
        return;
      }
      throw storageError('deleting', bucket, key, error);
    }
    await pruneEmptyFolders(paths.bucketDir(bucket), file);
  }

  return {
    kind: 'local',

    async ensureBucket(bucket) {
      const dir = paths.bucketDir(bucket);
      try {
        await mkdir(dir, { recursive: true });
      } catch (error) {
        throw storageError('creating', bucket, undefined, error);
      }
    },

    async put(bucket: string, key: string, body: Uint8Array | string, _options?: PutOptions) {
      const file = paths.objectFile(bucket, key);
      const bytes = bodyBytes(body);
      await requireBucket(bucket);
      let temp: string | undefined;
      try {
        temp = await writeTemp(bytes);
        await moveIntoPlace(bucket, key, temp, file);
        temp = undefined;
      } catch (error) {
        throw error instanceof StorageError ? error : storageError('writing', bucket, key, error);
      } finally {
        if (temp !== undefined) await unlink(temp).catch(() => undefined);
      }
    },

    async get(bucket, key) {
      const file = paths.objectFile(bucket, key);
      try {
        return await readFile(file);
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
          await requireBucket(bucket);
          throw new NotFoundError(`local storage: no object "${key}" in bucket "${bucket}"`, { cause: error });
        }
        throw storageError('reading', bucket, key, error);
      }
    },

    async head(bucket, key): Promise<ObjectInfo | null> {
      const file = paths.objectFile(bucket, key);
      try {
        const info = await stat(file);
        return info.isFile() ? { size: info.size, lastModified: info.mtime } : null;
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'ENOENT' || code === 'ENOTDIR') return null;
        throw storageError('inspecting', bucket, key, error);
      }
    },

    delete: deleteOne,

    async deleteMany(bucket, keys) {
      // Validate every key first so a bad one means nothing was deleted.
      for (const key of keys) paths.objectFile(bucket, key);
      await requireBucket(bucket);
      await forEachConcurrently(keys, DELETE_CONCURRENCY, (key) => deleteOne(bucket, key));
    },

    async list(bucket, listOptions: ListOptions = {}): Promise<ObjectListPage> {
      const dir = paths.bucketDir(bucket);
      const prefix = listOptions.prefix ?? '';
      assertKeyPrefix(prefix);
      const pageSize = listPageSize(listOptions.maxKeys);
      let keys: string[];
      try {
        keys = await collectKeys(dir, prefix, listOptions.continuationToken, pageSize);
      } catch (error) {
        if (errnoCode(error) === 'ENOENT') throw missingBucket(bucket);
        throw storageError('listing', bucket, undefined, error);
      }
      if (keys.length <= pageSize) return { keys };
      const page = keys.slice(0, pageSize);
      return { keys: page, nextToken: page[page.length - 1] as string };
    },

    async presignGet(bucket, key, ttlSeconds) {
      const file = paths.objectFile(bucket, key);
      assertPresignTtl(ttlSeconds);
      return pathToFileURL(file).href;
    },

    async close() {
      // Nothing is held open between calls.
    },
  };
}
