/**
 * The seam between Chronos and object storage. One implementation per backend lives in its own
 * folder beside this file (`s3/`, `azure/`, `local/`); all of them pass the shared contract suite
 * in `test/storage/object-store.contract.ts`.
 *
 * Keys are `/`-separated paths inside a bucket (for the local backend, a folder under the base
 * path). Every method is safe to call concurrently.
 */

/** Which backend an {@link ObjectStore} talks to. */
export type ObjectStoreKind = 's3' | 'azure' | 'local';

/** What {@link ObjectStore.head} tells about an object without reading it. */
export interface ObjectInfo {
  /** Size in bytes. */
  readonly size: number;
  /** The content type given when it was written, if the backend keeps it. */
  readonly contentType?: string;
  /** When it was last written, if the backend says. */
  readonly lastModified?: Date;
}

/** One page of {@link ObjectStore.list}. */
export interface ObjectListPage {
  /** Keys in lexicographic order, each starting with the asked prefix. */
  readonly keys: string[];
  /** Pass to the next call to continue; absent on the last page. */
  readonly nextToken?: string;
}

/** Options of {@link ObjectStore.list}. */
export interface ListOptions {
  /** Only keys that start with this. */
  readonly prefix?: string;
  /** The `nextToken` of the previous page. */
  readonly continuationToken?: string;
  /** At most this many keys per page (the backend may return fewer); default 1,000. */
  readonly maxKeys?: number;
}

/** Options of {@link ObjectStore.put}. */
export interface PutOptions {
  /** Stored with the object where the backend supports it; default `application/octet-stream`. */
  readonly contentType?: string;
}

/**
 * A client for one storage backend (one `spacesConnections` entry, or the local folder).
 * Buckets are named per call because one connection serves the buckets of many tenants.
 */
export interface ObjectStore {
  /** The backend behind this store. */
  readonly kind: ObjectStoreKind;

  /** Creates the bucket (or folder) if it does not exist yet. Idempotent. */
  ensureBucket(bucket: string): Promise<void>;

  /** Writes `body` at `key`, replacing what was there. */
  put(bucket: string, key: string, body: Uint8Array | string, options?: PutOptions): Promise<void>;

  /** Reads the object's bytes; throws `NotFoundError` when the key does not exist. */
  get(bucket: string, key: string): Promise<Uint8Array>;

  /** Size and type of the object, or `null` when it does not exist. */
  head(bucket: string, key: string): Promise<ObjectInfo | null>;

  /** Removes the object. Removing a missing key is not an error. */
  delete(bucket: string, key: string): Promise<void>;

  /** Removes many objects; missing keys are ignored. Batches as the backend allows. */
  deleteMany(bucket: string, keys: readonly string[]): Promise<void>;

  /** One page of keys under a prefix, in lexicographic order. */
  list(bucket: string, options?: ListOptions): Promise<ObjectListPage>;

  /** A URL that reads the object with a plain GET until `ttlSeconds` have passed. */
  presignGet(bucket: string, key: string, ttlSeconds: number): Promise<string>;

  /** Releases sockets and timers. The store is unusable afterwards. */
  close(): Promise<void>;
}
