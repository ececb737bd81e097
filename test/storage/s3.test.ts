import { DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, StorageError, ValidationError } from '../../runtime/errors.js';
import { listAllKeys } from '../../runtime/storage/list-all-keys.js';
import type { ObjectStore } from '../../runtime/storage/object-store.js';
import { usePathStyle } from '../../runtime/storage/s3/s3-endpoint.js';
import { createS3ObjectStore, type S3ObjectStoreOptions } from '../../runtime/storage/s3/s3-object-store.js';
import { testServers } from '../support/servers.js';
import { uniqueBucketName } from './bucket-names.js';
import { refusedEndpoint, startFaultServer } from './fault-server.js';
import { expectRejected } from './contract-helpers.js';
import { describeObjectStoreContract } from './object-store.contract.js';

function connection(): S3ObjectStoreOptions {
  const { s3 } = testServers();
  return { endpoint: s3.endpoint, region: s3.region, accessKey: s3.accessKey, secretKey: s3.secretKey };
}

/** Empties and removes a bucket this suite created. */
async function dropBucket(store: ObjectStore, bucket: string): Promise<void> {
  const keys: string[] = [];
  for await (const key of listAllKeys(store, bucket)) keys.push(key);
  await store.deleteMany(bucket, keys);
  const { endpoint, region, accessKey, secretKey } = connection();
  const raw = new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId: accessKey, secretAccessKey: secretKey } });
  await raw.send(new DeleteBucketCommand({ Bucket: bucket }));
  raw.destroy();
}

describeObjectStoreContract('S3 (Versity gateway)', { presign: 'http', keepsContentType: true, listOrder: 'utf8' }, async () => {
  const store = createS3ObjectStore(connection());
  const bucket = uniqueBucketName('contract');
  await store.ensureBucket(bucket);
  return {
    store,
    bucket,
    teardown: async () => {
      await dropBucket(store, bucket);
      await store.close();
    },
  };
});

describe('S3 object store', () => {
  let store: ObjectStore;
  let bucket: string;

  beforeAll(async () => {
    store = createS3ObjectStore(connection());
    bucket = uniqueBucketName('s3');
    await store.ensureBucket(bucket);
  });
  afterAll(async () => {
    await dropBucket(store, bucket);
    await store.close();
  });

  describe('buckets', () => {
    it('treats creating an existing bucket of ours as done', async () => {
      await store.put(bucket, 'keep.txt', 'kept');
      await expect(store.ensureBucket(bucket)).resolves.toBeUndefined();
      expect(Buffer.from(await store.get(bucket, 'keep.txt')).toString()).toBe('kept');
    });

    it('refuses a bucket name S3 would refuse, before sending anything', async () => {
      for (const name of ['ab', 'Upper', 'has_underscore', '192.168.1.1', 'a..b', '-dash']) {
        await expect(store.ensureBucket(name)).rejects.toBeInstanceOf(ValidationError);
      }
    });

    it('reports a missing bucket on read as a StorageError that says to create it', async () => {
      const error = await expectRejected(store.get(uniqueBucketName('absent'), 'x'), StorageError);
      expect(error).not.toBeInstanceOf(NotFoundError);
      expect(error.message).toContain('ensureBucket');
    });
  });

  describe('connection options', () => {
    it('uses path style off AWS and virtual-hosted style on AWS unless told', () => {
      expect(usePathStyle(new URL('http://127.0.0.1:9000'), undefined)).toBe(true);
      expect(usePathStyle(new URL('https://nyc3.digitaloceanspaces.com'), undefined)).toBe(true);
      expect(usePathStyle(new URL('https://s3.eu-west-1.amazonaws.com'), undefined)).toBe(false);
      expect(usePathStyle(new URL('https://s3.eu-west-1.amazonaws.com'), true)).toBe(true);
    });

    it('refuses an endpoint that is not an http(s) URL, naming the field', () => {
      const attempt = () => createS3ObjectStore({ ...connection(), endpoint: 'localhost:9000' });
      expect(attempt).toThrow(ValidationError);
      expect(attempt).toThrow(/endpoint/);
    });
  });

  describe('failures', () => {
    it('reports a refused connection as a transient StorageError', async () => {
      const down = createS3ObjectStore({ ...connection(), endpoint: await refusedEndpoint(), maxAttempts: 1 });
      const error = await expectRejected(down.get('some-bucket', 'k'), StorageError);
      expect(error.transient).toBe(true);
      await down.close();
    });

    it('reports a 503 as a transient StorageError after the SDK retries', async () => {
      const server = await startFaultServer(503, '<Error><Code>ServiceUnavailable</Code><Message>busy</Message></Error>');
      const flaky = createS3ObjectStore({ ...connection(), endpoint: server.endpoint, maxAttempts: 2 });
      try {
        const error = await expectRejected(flaky.put('some-bucket', 'k', 'x'), StorageError);
        expect(error.transient).toBe(true);
        // One direct try (s3-direct-requests), then the SDK's two attempts.
        expect(server.requests()).toBe(3);
      } finally {
        await flaky.close();
        await server.close();
      }
    });

    it('reports access denied as a permanent StorageError', async () => {
      const server = await startFaultServer(403, '<Error><Code>AccessDenied</Code><Message>no</Message></Error>');
      const denied = createS3ObjectStore({ ...connection(), endpoint: server.endpoint, maxAttempts: 1 });
      try {
        const error = await expectRejected(denied.get('some-bucket', 'k'), StorageError);
        expect(error.transient).toBe(false);
        expect(error.message).toContain('AccessDenied');
      } finally {
        await denied.close();
        await server.close();
      }
    });

    it('reports per-key DeleteObjects failures instead of ignoring them', async () => {
      const body =
        '<?xml version="1.0" encoding="UTF-8"?><DeleteResult><Error><Key>k1</Key><Code>AccessDenied</Code><Message>no</Message></Error></DeleteResult>';
      const server = await startFaultServer(200, body);
      const partial = createS3ObjectStore({ ...connection(), endpoint: server.endpoint, maxAttempts: 1 });
      try {
        const error = await expectRejected(partial.deleteMany('some-bucket', ['k1', 'k2']), StorageError);
        expect(error.message).toContain('"k1": AccessDenied');
        expect(error.transient).toBe(false);
      } finally {
        await partial.close();
        await server.close();
      }
    });
  });
});
