/**
 * The S3-compatible backend, on AWS SDK v3: AWS S3, DigitalOcean Spaces, MinIO, the Versity
 * gateway and other servers that speak the S3 API. One store serves every bucket of one
 * `spacesConnections` entry.
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { StorageError } from '../../errors.js';
import { assertS3BucketName } from '../bucket-name.js';
import { parseEndpoint, requireText } from '../connection-options.js';
import { assertKeyPrefix, assertObjectKey } from '../object-key.js';
import type { ListOptions, ObjectInfo, ObjectListPage, ObjectStore, PutOptions } from '../object-store.js';
import { assertPresignTtl, bodyBytes, listPageSize } from '../request-limits.js';
import { createDirectObjectRequests, type DirectObjectRequests } from './s3-direct-requests.js';
import { isAwsEndpoint, usePathStyle } from './s3-endpoint.js';
import { isTransientS3Failure, nameOf, statusOf, toChronosError } from './s3-errors.js';

/** Options of {@link createS3ObjectStore}: a `spacesConnections` entry plus client tuning. */
export interface S3ObjectStoreOptions {
  /** The service URL, e.g. `https://s3.us-east-1.amazonaws.com`, `https://nyc3.digitaloceanspaces.com`, `http://127.0.0.1:9000`. */
  readonly endpoint: string;
  /** The signing region (`us-east-1` for MinIO and most self-hosted servers). */
  readonly region: string;
  /** Access key id. */
  readonly accessKey: string;
  /** Secret access key. */
  readonly secretKey: string;
  /** Address buckets as `host/bucket` (true) or `bucket.host` (false); default: see {@link usePathStyle}. */
  readonly forcePathStyle?: boolean;
  /**
   * Tries per call through the SDK, the first included, before an error surfaces; default 3.
   * `put` and `get` on a path-style endpoint make one direct try before these (see
   * `s3-direct-requests.ts`), so a failing server sees one request more from them.
   */
  readonly maxAttempts?: number;
  /**
   * Milliseconds to wait for a TCP connection; default 5,000, the same bound the Mongo clients
   * wait for a server, so an endpoint that drops connections is reported in seconds.
   */
  readonly connectTimeoutMs?: number;
  /** Milliseconds a socket may stay idle mid-request before the call fails; default 60,000. */
  readonly requestTimeoutMs?: number;
}

/** The most keys one DeleteObjects request may carry. */
const DELETE_BATCH = 1000;

/**
 * Creates an {@link ObjectStore} over an S3-compatible service.
 *
 * Decisions: path-style addressing unless the endpoint is AWS (override with `forcePathStyle`);
 * request checksums only where the API requires them, since several S3-compatible servers
 * reject the CRC headers newer SDKs add by default; `ensureBucket` sends a location constraint
 * only to AWS outside `us-east-1`.
 *
 * @example
 * ```ts
 * const store = createS3ObjectStore({ endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', accessKey, secretKey });
 * await store.ensureBucket('tenant-a');
 * const url = await store.presignGet('tenant-a', 'orders/1/v0/item.json', 3600);
 * ```
 */
export function createS3ObjectStore(options: S3ObjectStoreOptions): ObjectStore {
  const endpoint = parseEndpoint(options.endpoint);
  requireText('region', options.region);
  requireText('accessKey', options.accessKey);
  requireText('secretKey', options.secretKey);
  const onAws = isAwsEndpoint(endpoint);
  const pathStyle = usePathStyle(endpoint, options.forcePathStyle);
  const client = new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    credentials: { accessKeyId: options.accessKey, secretAccessKey: options.secretKey },
    forcePathStyle: pathStyle,
    maxAttempts: options.maxAttempts ?? 3,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? 5_000,
      requestTimeout: options.requestTimeoutMs ?? 60_000,
    },
  });

  // PutObject and GetObject skip the command pipeline where the URL is plain (see s3-direct-requests).
  const direct: DirectObjectRequests | undefined =
    pathStyle && endpoint.pathname === '/' ? createDirectObjectRequests(client, endpoint, options.region) : undefined;

  async function send<T>(action: string, bucket: string, key: string | undefined, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toChronosError(action, bucket, key, error);
    }
  }

  async function deleteBatch(bucket: string, keys: readonly string[]): Promise<void> {
    const result = await send('deleting a batch in', bucket, undefined, () =>
      client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }),
      ),
    );
    // DeleteObjects answers 200 even when some keys failed; the failures are listed per key.
    const failures = (result.Errors ?? []).filter((failure) => failure.Code !== 'NoSuchKey');
    if (failures.length === 0) return;
    const sample = failures.slice(0, 3).map((failure) => `"${failure.Key}": ${failure.Code} ${failure.Message ?? ''}`.trim());
    throw new StorageError(
      `S3: deleting ${failures.length} of ${keys.length} keys in bucket "${bucket}" failed (${sample.join('; ')})`,
      { transient: failures.every((failure) => isTransientS3Failure({ name: failure.Code })) },
    );
  }

  return {
    kind: 's3',

    async ensureBucket(bucket) {
      assertS3BucketName(bucket);
      const location = onAws && options.region !== 'us-east-1' ? (options.region as BucketLocationConstraint) : undefined;
      try {
        await client.send(
          new CreateBucketCommand({
            Bucket: bucket,
            ...(location ? { CreateBucketConfiguration: { LocationConstraint: location } } : {}),
          }),
        );
      } catch (error) {
        const name = nameOf(error);
        if (name === 'BucketAlreadyOwnedByYou') return;
        if (name !== 'BucketAlreadyExists') throw toChronosError('creating', bucket, undefined, error);
        // "Exists" can mean another account owns the name; only a bucket we can reach will do.
        await send('checking access to existing', bucket, undefined, () => client.send(new HeadBucketCommand({ Bucket: bucket })));
      }
    },

    async put(bucket: string, key: string, body: Uint8Array | string, putOptions?: PutOptions) {
      assertS3BucketName(bucket);
      assertObjectKey(key);
      const bytes = bodyBytes(body);
      const contentType = putOptions?.contentType ?? 'application/octet-stream';
      if (direct !== undefined && (await direct.put(bucket, key, bytes, contentType))) return;
      await send('writing', bucket, key, () =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: bytes,
            ContentLength: bytes.byteLength,
            ContentType: contentType,
          }),
        ),
      );
    },

    async get(bucket, key) {
      assertS3BucketName(bucket);
      assertObjectKey(key);
      const bytes = direct === undefined ? undefined : await direct.get(bucket, key);
      if (bytes !== undefined) return bytes;
      return send('reading', bucket, key, async () => {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (response.Body === undefined) return new Uint8Array(0);
        return response.Body.transformToByteArray();
      });
    },

    async head(bucket, key): Promise<ObjectInfo | null> {
      assertS3BucketName(bucket);
      assertObjectKey(key);
      try {
        const response = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return {
          size: response.ContentLength ?? 0,
          ...(response.ContentType !== undefined ? { contentType: response.ContentType } : {}),
          ...(response.LastModified !== undefined ? { lastModified: response.LastModified } : {}),
        };
      } catch (error) {
        // HEAD responses have no body, so a missing key is only a bare 404.
        if (statusOf(error) === 404 || nameOf(error) === 'NotFound' || nameOf(error) === 'NoSuchKey') return null;
        throw toChronosError('inspecting', bucket, key, error);
      }
    },

    async delete(bucket, key) {
      assertS3BucketName(bucket);
      assertObjectKey(key);
      await send('deleting', bucket, key, () => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
    },

    async deleteMany(bucket, keys) {
      assertS3BucketName(bucket);
      for (const key of keys) assertObjectKey(key);
      for (let start = 0; start < keys.length; start += DELETE_BATCH) {
        await deleteBatch(bucket, keys.slice(start, start + DELETE_BATCH));
      }
    },

    async list(bucket, listOptions: ListOptions = {}): Promise<ObjectListPage> {
      assertS3BucketName(bucket);
      const prefix = listOptions.prefix ?? '';
      assertKeyPrefix(prefix);
      const pageSize = listPageSize(listOptions.maxKeys);
      const response = await send('listing', bucket, undefined, () =>
        client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            MaxKeys: pageSize,
            ...(prefix !== '' ? { Prefix: prefix } : {}),
            ...(listOptions.continuationToken !== undefined ? { ContinuationToken: listOptions.continuationToken } : {}),
          }),
        ),
      );
      const keys = (response.Contents ?? []).flatMap((entry) => (entry.Key === undefined ? [] : [entry.Key]));
      const next = response.IsTruncated ? response.NextContinuationToken : undefined;
      return next === undefined ? { keys } : { keys, nextToken: next };
    },

    async presignGet(bucket, key, ttlSeconds) {
      assertS3BucketName(bucket);
      assertObjectKey(key);
      assertPresignTtl(ttlSeconds);
      return send('presigning', bucket, key, () =>
        getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: ttlSeconds }),
      );
    },

    async close() {
      client.destroy();
    },
  };
}
