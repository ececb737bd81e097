/**
 * The Azure Blob Storage backend, on `@azure/storage-blob` 12.x. A bucket is a container; a
 * key is a blob name. Works with Azure and with Azurite, whose endpoint carries the account in
 * its path (`http://127.0.0.1:10000/devstoreaccount1`).
 */
import { BlobSASPermissions, BlobServiceClient, StorageSharedKeyCredential, type ContainerClient } from '@azure/storage-blob';
import { StorageError } from '../../errors.js';
import { assertAzureContainerName } from '../bucket-name.js';
import { parseEndpoint, requireText } from '../connection-options.js';
import { assertKeyPrefix, assertObjectKey } from '../object-key.js';
import type { ListOptions, ObjectInfo, ObjectListPage, ObjectStore, PutOptions } from '../object-store.js';
import { assertPresignTtl, bodyBytes, listPageSize } from '../request-limits.js';
import { azureStatusOf, isTransientAzureFailure, toChronosError } from './azure-errors.js';

/** Options of {@link createAzureObjectStore}. */
export interface AzureObjectStoreOptions {
  /** The blob service URL: `https://<account>.blob.core.windows.net`, or Azurite's `http://127.0.0.1:10000/<account>`. */
  readonly endpoint: string;
  /** The storage account name. */
  readonly accountName: string;
  /** The account's shared key (base64), which also signs SAS URLs. */
  readonly accountKey: string;
  /** Tries per call, the first included, before an error surfaces; default 3. */
  readonly maxTries?: number;
  /** Milliseconds one try may take before it is abandoned; default 60,000. */
  readonly requestTimeoutMs?: number;
}

/** The most sub-requests one Blob Batch request may carry. */
const BATCH_LIMIT = 256;

async function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/**
 * Creates an {@link ObjectStore} over an Azure Blob Storage account.
 *
 * Decisions: `put` is one Put Blob request (atomic, up to 5,000 MiB); `deleteMany` uses Blob
 * Batch, 256 deletes per request, and checks every sub-response; `presignGet` signs a blob SAS
 * with read permission that expires after `ttlSeconds` (valid from the moment it is signed).
 *
 * List order: Azure documents only "alphabetical"; Azurite orders by UTF-16 code units, which
 * differs from S3's UTF-8 byte order only between characters beyond U+FFFF and U+E000-U+FFFF.
 *
 * @example
 * ```ts
 * const store = createAzureObjectStore({ endpoint: 'https://acct.blob.core.windows.net', accountName: 'acct', accountKey });
 * await store.ensureBucket('tenant-a');
 * ```
 */
export function createAzureObjectStore(options: AzureObjectStoreOptions): ObjectStore {
  parseEndpoint(options.endpoint);
  requireText('accountName', options.accountName);
  requireText('accountKey', options.accountKey);
  const credential = new StorageSharedKeyCredential(options.accountName, options.accountKey);
  const service = new BlobServiceClient(options.endpoint, credential, {
    retryOptions: { maxTries: options.maxTries ?? 3, tryTimeoutInMs: options.requestTimeoutMs ?? 60_000 },
  });

  function container(bucket: string): ContainerClient {
    assertAzureContainerName(bucket);
    return service.getContainerClient(bucket);
  }

  async function send<T>(action: string, bucket: string, key: string | undefined, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toChronosError(action, bucket, key, error);
    }
  }

  async function deleteBatch(client: ContainerClient, bucket: string, keys: readonly string[]): Promise<void> {
    const blobs = keys.map((key) => client.getBlobClient(key));
    const result = await send('deleting a batch in', bucket, undefined, () =>
      client.getBlobBatchClient().deleteBlobs(blobs, { deleteSnapshots: 'include' }),
    );
    // The batch itself answers 202 even when some deletes failed; each sub-response says.
    const failures = result.subResponses.filter((sub) => sub.status >= 300 && sub.errorCode !== 'BlobNotFound');
    if (failures.length === 0) return;
    const keyOfUrl = new Map(blobs.map((blob, i) => [blob.url, keys[i]]));
    const sample = failures.slice(0, 3).map((sub) => `"${keyOfUrl.get(sub._request.url) ?? sub._request.url}": ${sub.errorCode ?? sub.status}`);
    throw new StorageError(
      `Azure Blob: deleting ${failures.length} of ${keys.length} blobs in container "${bucket}" failed (${sample.join('; ')})`,
      { transient: failures.every((sub) => isTransientAzureFailure({ statusCode: sub.status, code: sub.errorCode })) },
    );
  }

  return {
    kind: 'azure',

    async ensureBucket(bucket) {
      const client = container(bucket);
      await send('creating', bucket, undefined, () => client.createIfNotExists());
    },

    async put(bucket: string, key: string, body: Uint8Array | string, putOptions?: PutOptions) {
      const client = container(bucket);
      assertObjectKey(key);
      const bytes = bodyBytes(body);
      await send('writing', bucket, key, () =>
        client.getBlockBlobClient(key).upload(bytes, bytes.byteLength, {
          blobHTTPHeaders: { blobContentType: putOptions?.contentType ?? 'application/octet-stream' },
        }),
      );
    },

    async get(bucket, key) {
      const client = container(bucket);
      assertObjectKey(key);
      return send('reading', bucket, key, async () => {
        const response = await client.getBlobClient(key).download();
        return response.readableStreamBody === undefined ? new Uint8Array(0) : readAll(response.readableStreamBody);
      });
    },

    async head(bucket, key): Promise<ObjectInfo | null> {
      const client = container(bucket);
      assertObjectKey(key);
      try {
        const properties = await client.getBlobClient(key).getProperties();
        return {
          size: properties.contentLength ?? 0,
          ...(properties.contentType !== undefined ? { contentType: properties.contentType } : {}),
          ...(properties.lastModified !== undefined ? { lastModified: properties.lastModified } : {}),
        };
      } catch (error) {
        if (azureStatusOf(error) === 404) return null;
        throw toChronosError('inspecting', bucket, key, error);
      }
    },

    async delete(bucket, key) {
      const client = container(bucket);
      assertObjectKey(key);
      await send('deleting', bucket, key, () => client.getBlobClient(key).deleteIfExists({ deleteSnapshots: 'include' }));
    },

    async deleteMany(bucket, keys) {
      const client = container(bucket);
      for (const key of keys) assertObjectKey(key);
      for (let start = 0; start < keys.length; start += BATCH_LIMIT) {
        await deleteBatch(client, bucket, keys.slice(start, start + BATCH_LIMIT));
      }
    },

    async list(bucket, listOptions: ListOptions = {}): Promise<ObjectListPage> {
      const client = container(bucket);
      const prefix = listOptions.prefix ?? '';
      assertKeyPrefix(prefix);
      const pageSize = listPageSize(listOptions.maxKeys);
      const page = await send('listing', bucket, undefined, async () => {
        const pages = client
          .listBlobsFlat(prefix !== '' ? { prefix } : {})
          .byPage({ maxPageSize: pageSize, ...(listOptions.continuationToken ? { continuationToken: listOptions.continuationToken } : {}) });
        const first = await pages.next();
        return first.done ? undefined : first.value;
      });
      const keys = page ? page.segment.blobItems.map((item) => item.name) : [];
      const next = page?.continuationToken;
      return next ? { keys, nextToken: next } : { keys };
    },

    async presignGet(bucket, key, ttlSeconds) {
      const client = container(bucket);
      assertObjectKey(key);
      assertPresignTtl(ttlSeconds);
      return send('presigning', bucket, key, () =>
        client.getBlobClient(key).generateSasUrl({
          permissions: BlobSASPermissions.parse('r'),
          expiresOn: new Date(Date.now() + ttlSeconds * 1000),
        }),
      );
    },

    async close() {
      // The SDK holds no sockets of its own beyond Node's shared agent.
    },
  };
}
